import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../helpers/world.ts';

/** The release stage (tag, image, GitHub Actions build, release notes, GitHub deployment) through the console chat. */
describe('builds and releases through the console chat, against the simulated GitHub', () => {
  let world: World;
  beforeEach(async () => { world = await startWorld({ github: true }); });
  afterEach(async () => { await world.stop(); });

  it('given a tag without an image, when it is deployed, then it is built first and then rolled out', async () => {
    await world.say('/deploy api v1.5.3 to staging');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 30_000);

    expect(d.phase, d.summary).toBe('succeeded');
    expect(world.github?.runsOf('acme/api').some((r) => r.conclusion === 'success')).toBe(true);
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.5.3');
    // The outcome goes to GitHub once the deploy has ended (after its lock is released): it may still be on its way.
    await expect.poll(() => world.github?.deploymentsOf('acme/api').at(-1)?.statuses.map((s) => s.state), { timeout: 10_000 }).toContain('success');
  });

  it('given a build that fails, then the deploy fails with its link and nothing is rolled out', async () => {
    await world.say('/deploy api v1.6.0 to staging');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 30_000);

    expect(d.phase).toBe('failed');
    expect(d.summary).toMatch(/build.*failed[\s\S]*Nothing was rolled out/i);
    expect(world.sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('given an image that exists, no build runs and release notes reach the card', async () => {
    await world.say('/deploy api v1.5.0 to staging');

    expect((await world.waitForPhase('1', ['succeeded', 'failed'], 30_000)).phase).toBe('succeeded');
    expect(world.github?.runsOf('acme/api')).toHaveLength(0);
    await world.app.cards.flush();
    expect(world.output()).toMatch(/v1\.4\.0 → v1\.5\.0|v1\.4\.0\.\.\.v1\.5\.0|changes|Release notes/i);
  });

  it('refuses a version that is not a tag when it is asked for, with the closest tags, and records nothing', async () => {
    const reply = await world.say('/deploy api v1.5.9 to production');

    expect(reply).toMatch(/v1\.5\.9 is not a tag of acme\/api\. Did you mean `v1\.5\.\d`/);
    expect(await world.app.deploys.get('1')).toBeUndefined();
  });
});
