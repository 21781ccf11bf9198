import { afterEach, describe, expect, it } from 'vitest';
import { startProgressiveWorld, type ProgressiveWorld } from '../rollout/progressive-world.ts';

/** A step that fails is retried by the queue; meanwhile the card says why the deploy is not moving. */
describe('a failing step on the card', () => {
  let world: ProgressiveWorld;
  afterEach(async () => { await world.stop(); });

  it('given a canary whose HTTPRoute does not exist, the card says so while the step is retried', async () => {
    world = await startProgressiveWorld();

    await world.say('/deploy web v2.1.0 to staging canary 10%');
    await expect.poll(async () => { await world.app.cards.flush(); return world.output(); }, { timeout: 10_000 })
      .toMatch(/⚠️ Step start failed: .*httproute staging\/web.* Retrying; the deploy fails if it keeps failing\./);
    expect((await world.app.deploys.get('1'))?.phase).toBe('queued');
  });
});
