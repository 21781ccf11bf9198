import { describe, expect, it } from 'vitest';
import type { AnalysisRunView, RolloutView } from '../../src/kube/index.ts';
import { canaryShare, dashboardLink, describeRollout, rolloutOutcome } from '../../src/rollout/argo-rollouts-report.ts';

const V2 = 'registry.local/acme/api:v2';

function rollout(over: Partial<RolloutView> = {}): RolloutView {
  return {
    namespace: 'shop', name: 'api', uid: 'u1', generation: 2, observedGeneration: 2, resourceVersion: '9',
    strategy: 'canary', steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause' }, { kind: 'analysis', templates: ['error-rate'] }, { kind: 'setWeight', weight: 60 }],
    trafficRouted: false, images: { api: V2 }, paused: false, currentStepIndex: 1, phase: 'Paused', message: 'CanaryPauseStep',
    currentPodHash: 'new', stableRS: 'old', abort: false, promoteFull: false, controllerPause: true, pauseReasons: ['CanaryPauseStep'],
    replicas: { desired: 4, current: 5, updated: 1, ready: 5, available: 5 }, conditions: [], ...over,
  };
}
const ours = { container: 'api', toImage: V2, generation: 2 };

describe('rolloutOutcome', () => {
  it.each<[string, Partial<RolloutView>, ReturnType<typeof rolloutOutcome>]>([
    ['not yet observed by the controller', { observedGeneration: 1, phase: 'Healthy', currentPodHash: 'old' }, { kind: 'progressing' }],
    ['paused at a step', {}, { kind: 'progressing' }],
    ['Healthy with the new pod hash stable', { phase: 'Healthy', currentPodHash: 'new', stableRS: 'new' }, { kind: 'healthy' }],
    ['Healthy but the stable ReplicaSet is still the old one', { phase: 'Healthy', stableRS: 'old' }, { kind: 'progressing' }],
    ['aborted (Degraded, status.abort)', { phase: 'Degraded', abort: true, message: 'RolloutAborted: Rollout aborted update to revision 2' }, { kind: 'aborted', message: 'RolloutAborted: Rollout aborted update to revision 2' }],
    ['Degraded without an abort', { phase: 'Degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "api-new" has timed out progressing.' }, { kind: 'degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "api-new" has timed out progressing.' }],
    ['another image set meanwhile', { images: { api: 'registry.local/acme/api:v3' } }, { kind: 'superseded', image: 'registry.local/acme/api:v3' }],
  ])('%s', (_what, over, expected) => {
    expect(rolloutOutcome(rollout(over), ours)).toEqual(expected);
  });
});

describe('the card line', () => {
  const run: AnalysisRunView = {
    name: 'api-new-2', phase: 'Running', stepIndex: 2,
    metrics: [{ name: 'error-rate', phase: 'Running', successful: 2, failed: 0, measurements: [{ phase: 'Successful', value: '[0.004]' }, { phase: 'Successful', value: '[0.006]' }] }],
  };

  it('shows the phase, the step, the weights by replica ratio, the pause reason', () => {
    expect(describeRollout(rollout(), [])).toBe('Rollout api: Paused · step 2/4 (pause (until promoted)) · canary 20% / stable 80% · 5/4 available, 1 updated · paused: CanaryPauseStep');
  });

  it('shows the routed weights and the current analysis run with its measurements', () => {
    const line = describeRollout(rollout({
      currentStepIndex: 2, phase: 'Progressing', message: undefined, pauseReasons: [], weights: { canary: 20, stable: 80 },
      currentStepAnalysisRun: { name: 'api-new-2', status: 'Running' },
    }), [run]);
    expect(line).toBe('Rollout api: Progressing · step 3/4 (analysis error-rate) · canary 20% / stable 80% · 5/4 available, 1 updated · analysis api-new-2 Running — error-rate Running: [0.004] (Successful), [0.006] (Successful)');
  });

  it('a person\'s pause is named as such', () => {
    expect(describeRollout(rollout({ paused: true, pauseReasons: ['PausedByUser'] }), [])).toContain('paused: paused by a person (spec.paused), PausedByUser');
  });

  it.each<[Partial<RolloutView>, ReturnType<typeof canaryShare>]>([
    [{ currentStepIndex: 0 }, { canary: 20, stable: 80 }],
    [{ currentStepIndex: 3 }, { canary: 60, stable: 40 }],
    [{ currentStepIndex: 4 }, { canary: 100, stable: 0 }],
    [{ currentStepIndex: 4, stableRS: 'new' }, { canary: 0, stable: 100 }],
    [{ weights: { canary: 35, stable: 65 } }, { canary: 35, stable: 65 }],
    [{ strategy: 'blueGreen', currentStepIndex: undefined }, undefined],
  ])('canary share of %j → %j', (over, expected) => {
    expect(canaryShare(rollout(over))).toEqual(expected);
  });

  it('links to the Rollout in the Argo Rollouts dashboard', () => {
    expect(dashboardLink('https://rollouts.example.com/', { namespace: 'shop', name: 'api' })).toBe('https://rollouts.example.com/rollouts/rollout/shop/api');
    expect(dashboardLink(undefined, { namespace: 'shop', name: 'api' })).toBeUndefined();
  });
});
