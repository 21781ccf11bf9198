import { describe, expect, it } from 'vitest';
import type { Deploy, DeployEvent, StepResult } from '../../src/deploy/index.ts';
import type { ArgoRolloutsClient, RolloutView } from '../../src/kube/index.ts';
import { createArgoRolloutsDriver } from '../../src/rollout/index.ts';

/**
 * The driver's steps run against a Rollout held in memory (the controller does not move here: what is tested is what
 * Deckhand sends, and that it sends it once). The writes are the plugin's, checked over HTTP in the *.int tests.
 */
function rolloutAt(over: Partial<RolloutView> = {}): RolloutView {
  return {
    namespace: 'shop', name: 'search', uid: 'u1', generation: 2, observedGeneration: 2, resourceVersion: '9',
    strategy: 'canary', steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause' }, { kind: 'setWeight', weight: 60 }],
    trafficRouted: true, images: { search: 'registry.local/acme/search:v1.1.0' }, paused: false, currentStepIndex: 1, phase: 'Paused',
    currentPodHash: 'new', stableRS: 'old', abort: false, promoteFull: false, controllerPause: true, pauseReasons: ['CanaryPauseStep'],
    replicas: { desired: 4, current: 5, updated: 1, ready: 5, available: 5 }, conditions: [], ...over,
  };
}

function fakeRollouts(initial: RolloutView): { client: ArgoRolloutsClient; sent: string[]; set(r: Partial<RolloutView>): void } {
  let r = initial;
  const sent: string[] = [];
  const record = (what: string) => async (): Promise<RolloutView> => { sent.push(what); return r; };
  return {
    sent,
    set: (over) => { r = { ...r, ...over }; },
    client: {
      getRollout: async () => r,
      setImage: async (_ns, _n, _c, image) => { sent.push(`set image ${image}`); r = { ...r, images: { search: image }, generation: r.generation + 1 }; return r; },
      promote: async (_ns, _n, full) => { sent.push(full ? 'promote --full' : 'promote'); return r; },
      pause: record('pause'), resume: record('resume'), abort: record('abort'), retry: record('retry'),
      undo: async () => { sent.push('undo'); return { revision: 1, skipped: false, images: {} }; },
      listRevisions: async () => [],
      listAnalysisRuns: async () => [],
    },
  };
}

function deploy(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '7', service: 'search', env: 'production', action: { kind: 'deploy', version: 'v1.1.0', strategy: { kind: 'rolling' } },
    requestedBy: { id: 'U1', name: 'alice', platform: 'console', groups: [] }, channel: 'deploys', phase: 'rolling_out', step: 'follow',
    state: { namespace: 'shop', rollout: 'search', fromImage: 'registry.local/acme/search:v1.0.0', toImage: 'registry.local/acme/search:v1.1.0', generation: 2 },
    steering: {}, approvals: [], createdAt: '2026-12-07T00:00:00Z', updatedAt: '2026-12-07T00:00:00Z', ...over,
  };
}

const target = { namespace: 'shop', deployment: 'search', container: 'search', image: 'registry.local/acme/search' };

async function run(fake: ReturnType<typeof fakeRollouts>, d: Deploy): Promise<StepResult> {
  const driver = createArgoRolloutsDriver({ rollouts: fake.client, targetOf: () => target, deliveryOf: () => ({ kind: 'argo-rollouts' }) });
  const step = driver.steps.get(d.step);
  if (!step) throw new Error(`no step ${d.step}`);
  const events: DeployEvent[] = [];
  return step({ deploy: d, emit: (e) => events.push(e), signal: new AbortController().signal, reload: async () => d });
}

/** What the runner records: the state merged, the steering taken. */
function recorded(d: Deploy, r: StepResult): Deploy {
  const steering = Object.fromEntries(Object.entries(d.steering).filter(([k]) => !(r.taken ?? []).some((t) => t === k)));
  return { ...d, step: r.kind === 'done' ? 'done' : r.step ?? d.step, state: { ...d.state, ...r.state }, steering };
}

describe('the Argo Rollouts driver', () => {
  it('a promote is recorded first, then sent once: a re-run after a crash does not promote twice', async () => {
    const fake = fakeRollouts(rolloutAt());
    const asked = deploy({ steering: { promote: 'next' } });
    const first = await run(fake, asked);
    expect(first).toMatchObject({ kind: 'next', step: 'promote', taken: expect.arrayContaining(['promote']) });
    const atPromote = recorded(asked, first);

    expect(await run(fake, atPromote)).toMatchObject({ kind: 'next', step: 'follow' });
    expect(fake.sent).toEqual(['promote']);
    // The controller moved on; the step runs again (its record was lost in a crash): nothing more is sent.
    fake.set({ pauseReasons: [], controllerPause: false, phase: 'Progressing', currentStepIndex: 2 });
    await run(fake, atPromote);
    expect(fake.sent).toEqual(['promote']);
  });

  it('a pause is sent once and stays asked (the card offers Resume); a resume is sent and clears it', async () => {
    const fake = fakeRollouts(rolloutAt({ pauseReasons: [], phase: 'Progressing', controllerPause: false }));
    const asked = deploy({ steering: { paused: true } });
    const first = await run(fake, asked);
    expect(first.taken).toBeUndefined();
    fake.set({ paused: true });
    const holding = recorded(asked, first);
    expect(await run(fake, holding)).toMatchObject({ kind: 'wait' });
    expect(fake.sent).toEqual(['pause']);

    const resumed = await run(fake, { ...holding, steering: { resume: true } });
    expect(resumed).toMatchObject({ kind: 'next', taken: ['resume', 'paused'], state: { pauseSent: undefined } });
    expect(fake.sent).toEqual(['pause', 'resume']);
  });

  it('an abort is sent to Argo; the deploy ends once Argo reports it, traffic back on stable', async () => {
    const fake = fakeRollouts(rolloutAt());
    const asked = deploy({ steering: { abort: { by: 'bob', reason: 'errors' } } });
    const first = await run(fake, asked);
    expect(first).toMatchObject({ kind: 'next', step: 'follow', phase: 'rolling_back' });
    expect(fake.sent).toEqual(['abort']);
    fake.set({ abort: true, phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2' });
    const end = await run(fake, recorded(asked, first));
    expect(end).toMatchObject({ kind: 'done', phase: 'aborted' });
    expect(end.kind === 'done' && end.summary).toBe('Aborted by bob (“errors”). All traffic is back on v1.0.0. Argo: RolloutAborted: Rollout aborted update to revision 2. The Rollout\'s template still names v1.1.0 (Argo\'s aborted state): `/rollback search production` undoes it, a new /deploy replaces it.');
  });

  it('when Argo aborts on an analysis that started and failed between two looks, its measurements reach the card before the end', async () => {
    const fake = fakeRollouts(rolloutAt({ abort: true, phase: 'Degraded', pauseReasons: [], controllerPause: false, currentStepIndex: 1, message: 'RolloutAborted: Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)' }));
    fake.client.listAnalysisRuns = async () => [{ name: 'search-7d9f-2-1', phase: 'Failed', stepIndex: 1, metrics: [{ name: 'error-rate', phase: 'Failed', successful: 0, failed: 2, measurements: [{ phase: 'Failed', value: '[0.2]' }, { phase: 'Failed', value: '[0.2]' }] }] }];
    const driver = createArgoRolloutsDriver({ rollouts: fake.client, targetOf: () => target, deliveryOf: () => ({ kind: 'argo-rollouts' }) });
    const events: DeployEvent[] = [];
    const d = deploy({ state: { ...deploy().state, lastReport: 'Progressing|0|false||false|20|' } });
    const result = await driver.steps.get('follow')!({ deploy: d, emit: (e) => events.push(e), signal: new AbortController().signal, reload: async () => d });
    expect(result).toMatchObject({ kind: 'done', phase: 'failed' });
    const notes = events.filter((e) => e.kind === 'note').map((e) => (e as { message: string }).message);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('analysis search-7d9f-2-1 Failed — error-rate Failed: [0.2] (Failed), [0.2] (Failed)');
  });

  it('never measures on its own: a Rollout Healthy at the new pod hash is success', async () => {
    const fake = fakeRollouts(rolloutAt({ phase: 'Healthy', stableRS: 'new', pauseReasons: [], currentStepIndex: 3 }));
    expect(await run(fake, deploy())).toMatchObject({ kind: 'done', phase: 'succeeded' });
    expect(fake.sent).toEqual([]);
  });

  it('set_image run again after a crash does not retry a Rollout Argo aborted on the image this deploy set', async () => {
    // The image was written, the process died before recording it, and Argo's analysis aborted the update meanwhile.
    const fake = fakeRollouts(rolloutAt({ abort: true, phase: 'Degraded', pauseReasons: [], generation: 3, observedGeneration: 3 }));
    const d = deploy({ step: 'set_image', state: { namespace: 'shop', rollout: 'search', fromImage: 'registry.local/acme/search:v1.0.0', toImage: 'registry.local/acme/search:v1.1.0' } });
    expect(await run(fake, d)).toMatchObject({ kind: 'next', step: 'follow', state: { generation: 3 } });
    expect(fake.sent).toEqual([]);
  });

  it('the same version asked again on an aborted Rollout is the plugin\'s retry', async () => {
    const fake = fakeRollouts(rolloutAt({ abort: true, phase: 'Degraded', pauseReasons: [] }));
    const d = deploy({ step: 'set_image', state: { namespace: 'shop', rollout: 'search', fromImage: 'registry.local/acme/search:v1.1.0', toImage: 'registry.local/acme/search:v1.1.0' } });
    expect(await run(fake, d)).toMatchObject({ kind: 'next', step: 'follow' });
    expect(fake.sent).toEqual(['retry']);
  });
});
