import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROGRESSIVE_CONFIG, startProgressiveWorld, type ProgressiveWorld } from './progressive-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('blue-green deploys', () => {
  let world: ProgressiveWorld;
  afterEach(async () => { await world.stop(); });

  describe('with the old colour kept for a minute', () => {
    beforeEach(async () => { world = await startProgressiveWorld({ config: PROGRESSIVE_CONFIG.replace('keepOldFor: 1s', 'keepOldFor: 60s') }); });

    it('switches the Service to the new colour at full size, and /abort switches back at once', async () => {
      await world.say('/deploy api v1.5.0 to staging bluegreen');
      await until('the switch', async () => (await world.app.deploys.get('1'))?.step === 'keep');

      expect(await world.app.kube.readServiceSelector('staging', 'api')).toEqual({ app: 'api-green' });
      const green = await world.app.kube.readDeployment('staging', 'api-green');
      expect([green.images.api, green.available]).toEqual(['registry.local/acme/api:v1.5.0', 4]);
      const blue = await world.app.kube.readDeployment('staging', 'api');
      expect([blue.images.api, blue.available]).toEqual(['registry.local/acme/api:v1.4.0', 4]);
      await world.app.cards.flush();
      expect(world.output()).toContain('buttons: Promote · Roll back');

      const asked = Date.now();
      await world.say('/abort api staging');
      await until('the selector back on blue', async () => JSON.stringify(await world.app.kube.readServiceSelector('staging', 'api')) === '{"app":"api"}', 5_000);
      const switchBackMs = Date.now() - asked;
      const d = await world.waitForPhase('1', [...END]);

      expect(d.phase).toBe('aborted');
      expect(switchBackMs).toBeLessThan(2_000);
      expect(await world.app.kube.findDeployment('staging', 'api-green')).toBeUndefined();
      expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    });

    it('keeps blue live when the new colour fails its probe', async () => {
      await world.say('/deploy api v1.5.4 to staging bluegreen');
      const d = await world.waitForPhase('1', [...END]);

      expect(d.phase).toBe('rolled_back');
      expect(d.summary).toMatch(/Probe failed on the new colour: probe \/healthz: (api-green-\S+ answered 503; ){3}api-green-\S+ answered 503\./);
      expect(await world.app.kube.readServiceSelector('staging', 'api')).toEqual({ app: 'api' });
      expect(await world.app.kube.findDeployment('staging', 'api-green')).toBeUndefined();
    });
  });

  it('after keepOldFor, the old colour is scaled down and the service runs the new version on its own Deployment', async () => {
    world = await startProgressiveWorld();
    await world.say('/deploy api v1.5.0 to staging bluegreen');
    const d = await world.waitForPhase('1', [...END], 30_000);

    expect(d.phase).toBe('succeeded');
    expect(await world.app.kube.readServiceSelector('staging', 'api')).toEqual({ app: 'api' });
    const live = await world.app.kube.readDeployment('staging', 'api');
    expect([live.images.api, live.available]).toEqual(['registry.local/acme/api:v1.5.0', 4]);
    expect(await world.app.kube.findDeployment('staging', 'api-green')).toBeUndefined();

    // Rollback after a blue-green deploy is the usual undo of the service's Deployment, and clicking it twice makes one.
    const click = { kind: 'action' as const, action: 'rollback' as const, deployId: '1', platform: 'console' as const, channel: 'console', actor: { id: 'alice', name: 'alice', platform: 'console' as const, groups: [] } };
    const [a, b] = await Promise.all([
      world.app.pipeline.handle({ ...click, deliveryId: 'c1' }, async () => {}),
      world.app.pipeline.handle({ ...click, deliveryId: 'c2' }, async () => {}),
    ]);
    expect(a.deployId).toBe('2');
    expect(b.deployId).toBe('2');
    expect((await world.waitForPhase('2', [...END])).phase).toBe('succeeded');
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });
});
