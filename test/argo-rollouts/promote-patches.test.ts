import { describe, expect, it } from 'vitest';
import { promotePatches, type RolloutView } from '../../src/kube/index.ts';

/** A canary Rollout of 4 steps standing at step `index`; what differs per case is overridden. */
function rollout(over: Partial<RolloutView> = {}): RolloutView {
  return {
    namespace: 'shop', name: 'api', uid: 'u1', generation: 2, observedGeneration: 2, resourceVersion: '9',
    strategy: 'canary', steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause' }, { kind: 'analysis', templates: ['rate'] }, { kind: 'setWeight', weight: 60 }],
    trafficRouted: true, images: { api: 'registry.local/acme/api:v2' }, paused: false, currentStepIndex: 1,
    currentPodHash: 'new', stableRS: 'old', abort: false, promoteFull: false, controllerPause: false, pauseReasons: [],
    replicas: { desired: 4, current: 5, updated: 1, ready: 5, available: 5 }, conditions: [], ...over,
  };
}

// The cases of pkg/kubectl-argo-rollouts/cmd/promote getPatches, one by one.
describe('promotePatches: what `kubectl argo rollouts promote` sends', () => {
  it('at a pause step: clears the pause conditions through the status subresource, nothing else', () => {
    expect(promotePatches(rollout({ pauseReasons: ['CanaryPauseStep'], controllerPause: true }), false)).toEqual({ status: { status: { pauseConditions: null } } });
  });

  it('paused by a person at a pause step: unpauses the spec and clears the conditions', () => {
    expect(promotePatches(rollout({ paused: true, pauseReasons: ['CanaryPauseStep'] }), false)).toEqual({
      spec: { spec: { paused: false } }, status: { status: { pauseConditions: null } },
    });
  });

  it('in the middle of a step (an analysis running): skips it, the next step index with the conditions cleared', () => {
    expect(promotePatches(rollout({ currentStepIndex: 2 }), false)).toEqual({ status: { status: { pauseConditions: null, currentStepIndex: 3 } } });
  });

  it('never moves the step index past the number of steps', () => {
    expect(promotePatches(rollout({ currentStepIndex: 4 }), false)).toEqual({ status: { status: { pauseConditions: null, currentStepIndex: 4 } } });
  });

  it('a blue-green Rollout without pause conditions: nothing to the status', () => {
    expect(promotePatches(rollout({ strategy: 'blueGreen', steps: [], currentStepIndex: undefined }), false)).toEqual({});
  });

  it('--full: promoteFull through the status subresource while the canary is not stable yet', () => {
    expect(promotePatches(rollout({ paused: true, pauseReasons: ['CanaryPauseStep'] }), true)).toEqual({ status: { status: { promoteFull: true } } });
  });

  it('--full on a Rollout already stable at its pod hash: nothing to send', () => {
    expect(promotePatches(rollout({ currentPodHash: 'same', stableRS: 'same' }), true)).toEqual({});
  });
});
