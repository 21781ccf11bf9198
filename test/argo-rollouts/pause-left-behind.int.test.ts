import { afterEach, describe, expect, it } from 'vitest';
import { at, RO, startArgoWorld, type ArgoWorld } from './argo-rollouts-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
const ROLLOUT = `${RO}/rollouts/search`;

let world: ArgoWorld;
afterEach(async () => { await world.stop(); });

describe('a pause Deckhand sent ends with its deploy', () => {
  it('Pause then Abort: Argo rolls back, and spec.paused is not left on the Rollout for the next deploy', async () => {
    world = await startArgoWorld([{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 60 }, { pause: {} }]);
    await world.say('/deploy search v1.1.0 to staging canary');
    await world.until('the timed pause', (ro) => at(ro, 'status', 'currentStepIndex') === 1);
    await world.say('/pause search staging');
    await world.until('spec.paused', (ro) => at(ro, 'spec', 'paused') === true);
    await world.say('/abort search staging');
    const d = await world.waitForPhase('1', [...END], 20_000);

    expect(d.phase).toBe('aborted');
    const ro = await world.rollout();
    expect([at(ro, 'status', 'abort'), at(ro, 'spec', 'paused')]).toEqual([true, false]);
    const writes = world.writes().filter((w) => w.method === 'PATCH').map((w) => ({ path: w.path, body: w.body }));
    expect(writes).toEqual([
      { path: ROLLOUT, body: { spec: { paused: true } } },
      { path: `${ROLLOUT}/status`, body: { status: { abort: true } } },
      { path: ROLLOUT, body: { spec: { paused: false } } },
    ]);
    expect(d.summary).toContain('spec.paused');

    // The next deploy is not held by a pause nobody asked it for: it reaches its own first pause.
    await world.say('/deploy search v1.2.0 to staging canary');
    await world.until('the next deploy at its timed pause', (r) => at(r, 'status', 'currentStepIndex') === 1 && String(at(r, 'spec', 'template', 'spec', 'containers', 0, 'image')).endsWith(':v1.2.0'));
    await world.say('/promote search staging --full');
    expect((await world.waitForPhase('2', [...END], 20_000)).phase).toBe('succeeded');
  });

  it('Pause then /promote --full: the Rollout is not left held by the pause (Argo halts every step while spec.paused)', async () => {
    world = await startArgoWorld([{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 60 }, { pause: {} }]);
    await world.say('/deploy search v1.1.0 to staging canary');
    await world.until('the timed pause', (ro) => at(ro, 'status', 'currentStepIndex') === 1);
    await world.say('/pause search staging');
    await world.until('spec.paused', (ro) => at(ro, 'spec', 'paused') === true);
    await world.say('/promote search staging --full');
    const d = await world.waitForPhase('1', [...END], 20_000);

    expect(d.phase).toBe('succeeded');
    const ro = await world.rollout();
    expect(at(ro, 'spec', 'paused')).toBe(false);
    expect(at(ro, 'status', 'stableRS')).toBe(at(ro, 'status', 'currentPodHash'));
  });
});
