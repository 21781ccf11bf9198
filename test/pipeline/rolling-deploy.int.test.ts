import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../helpers/world.ts';

/** How many times the sim was asked to change the api Deployment in `ns`. */
function patchesOf(world: World, ns: string): number {
  return world.sim.requests.filter((r) => r.method === 'PATCH' && r.path === `/apis/apps/v1/namespaces/${ns}/deployments/api`).length;
}

async function imageOf(world: World, ns: string): Promise<string | undefined> {
  return (await world.app.kube.readDeployment(ns, 'api')).images.api;
}

describe('rolling deploys through the console chat', () => {
  let world: World;
  beforeEach(async () => { world = await startWorld(); });
  afterEach(async () => { await world.stop(); });

  it('given api on v1.4.0, when alice deploys v1.5.0 to staging, then it rolls out and the card ends succeeded', async () => {
    const reply = await world.say('/deploy api v1.5.0 to staging');
    expect(reply).toContain('Deploy #1');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back']);

    expect(d.phase).toBe('succeeded');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.5.0');
    const status = await world.app.kube.readDeployment('staging', 'api');
    expect(status.available).toBe(3);
    expect(status.revision).toBe(2);
    await world.app.cards.flush();
    expect(world.output()).toMatch(/\[#1 api v1\.5\.0 \(rolling\) → staging\] 🚀 Rolling out {2}[▓░]+ \d\/3/);
    expect(world.output()).toContain('✅ Succeeded');
    expect(await world.app.locks.get('api', 'staging')).toBeUndefined();
  });

  it('given a faulty version, when it never becomes ready, then Deckhand rolls back by itself and says why', async () => {
    await world.say('/deploy api v1.5.1 to staging');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 30_000);

    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toMatch(/progress deadline|did not become ready/);
    expect(d.summary).toContain('back on v1.4.0');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.4.0');
    const status = await world.app.kube.readDeployment('staging', 'api');
    expect(status.available).toBe(3);
    await world.app.cards.flush();
    expect(world.output()).toContain('↩️ Rolled back');
  });

  it('given a finished deploy, when /rollback is asked, then the previous revision is restored like kubectl rollout undo', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'succeeded');

    await world.say('/rollback api staging');
    const r = await world.waitForPhase('2', ['succeeded', 'failed']);

    expect(r.phase).toBe('succeeded');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.4.0');
    // Undo reuses revision 1's ReplicaSet, which becomes revision 3, as on a real cluster.
    const revisions = await world.app.kube.listRevisions('staging', 'api');
    expect(revisions.map((x) => x.revision)).toEqual([2, 3]);
    expect((await world.app.kube.readDeployment('staging', 'api')).revision).toBe(3);
  });

  it('rolls back to a named version', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'succeeded');

    await world.say('/rollback api staging to v1.4.0');

    expect((await world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.4.0');
  });

  it('given a deploy in flight, when another is requested for the same service and env, then it is refused naming the holder', async () => {
    // v1.5.1 never gets ready, so deploy #1 stays in flight for seconds whatever the machine's load.
    await world.say('/deploy api v1.5.1 to staging');

    const reply = await world.say('@dave /deploy api v1.5.0 to staging');

    expect(reply).toContain('api in staging is busy: deploy #1 by alice');
    expect((await world.app.deploys.get('2'))?.phase).toBe('denied');
    await world.waitForPhase('1', ['rolled_back', 'failed'], 30_000);
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.4.0');
  });

  it('a manual /lock blocks deploys until /unlock', async () => {
    expect(await world.say('/lock api staging "db migration"')).toContain('locked');
    expect(await world.say('@dave /deploy api v1.5.0 to staging')).toContain('locked by alice (“db migration”)');
    await world.say('/unlock api staging');
    await world.say('@dave /deploy api v1.5.0 to staging');
    expect((await world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');
  });

  it('reclaims a lock whose deploy is over, with a note', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'succeeded');
    // The record says succeeded a moment before the lock is released; wait for that, then play a process that
    // died right after the deploy ended, before releasing its lock:
    for (let i = 0; i < 200 && await world.app.locks.get('api', 'staging'); i++) await new Promise((r) => setTimeout(r, 10));
    expect((await world.app.locks.acquire('api', 'staging', { kind: 'deploy', deployId: '1', by: 'alice', at: new Date().toISOString() })).ok).toBe(true);

    // A redeploy of what runs: going back to v1.4.0 would be a downgrade, which needs a reason and an approval.
    const reply = await world.say('/deploy api v1.5.0 to staging');

    expect(reply).toContain('was stale and was reclaimed for #2');
    expect((await world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');
  });

  it('the same chat delivery twice (a retry) makes one deploy', async () => {
    const event = {
      kind: 'message' as const, platform: 'console' as const, text: '/deploy api v1.5.0 to staging', channel: 'console', deliveryId: 'retry-1', addressed: true,
      actor: { id: 'alice', name: 'alice', platform: 'console' as const, groups: [] },
    };
    const replies: string[] = [];
    const [a, b] = await Promise.all([
      world.app.pipeline.handle(event, async (r) => { replies.push(String(r.text)); }),
      world.app.pipeline.handle(event, async (r) => { replies.push(String(r.text)); }),
    ]);

    expect([a.deployId, b.deployId]).toEqual(['1', '1']);
    expect(replies.some((t) => t.includes('already received'))).toBe(true);
    await world.waitForPhase('1', 'succeeded');
    expect(await world.app.deploys.get('2')).toBeUndefined();
    expect(patchesOf(world, 'staging')).toBe(1);
  });

  it('given a worker killed mid-rollout, when a new worker starts, then the deploy resumes and the image is patched once', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'rolling_out');
    for (let i = 0; i < 200 && (await world.app.deploys.get('1'))?.step !== 'await'; i++) await new Promise((r) => setTimeout(r, 10));

    await world.app.stopWorker(true);
    const survivor = await world.restart();

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 30_000);
    expect(d.phase).toBe('succeeded');
    expect(patchesOf(world, 'staging')).toBe(1);
    expect((await survivor.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.5.0');
  });

  it('/abort during a rollout restores the previous version', async () => {
    // A faulty version keeps the rollout going long enough to abort it.
    await world.say('/deploy api v1.5.1 to staging');
    await world.waitForPhase('1', 'rolling_out');

    const reply = await world.say('/abort api staging');

    expect(reply).toContain('Aborting deploy #1');
    const d = await world.waitForPhase('1', ['aborted', 'rolled_back', 'failed', 'succeeded']);
    expect(d.phase).toBe('aborted');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.4.0');
  });
});

describe('requests survive a crash between recording and queueing', () => {
  it('given a deploy recorded but never queued, when Deckhand starts, then it runs', async () => {
    const world = await startWorld();
    try {
      const now = new Date().toISOString();
      // What a process that died right after writing the record leaves behind: a queued deploy with no job.
      const { deploy } = await world.app.deploys.create({
        service: 'api', env: 'staging', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } },
        requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] }, channel: 'console',
        phase: 'queued', step: 'gate', steering: {}, state: {}, approvals: [], createdAt: now, updatedAt: now,
      }, 'crashed-before-enqueue');
      await world.app.locks.acquire('api', 'staging', { kind: 'deploy', deployId: deploy.id, by: 'alice', at: now });

      await world.restart();

      expect((await world.waitForPhase(deploy.id, ['succeeded', 'failed'])).phase).toBe('succeeded');
    } finally {
      await world.stop();
    }
  });
});

describe('/rollback while a deploy is in flight', () => {
  it('stops the deploy and restores the previous version, and a second /rollback changes nothing more', async () => {
    const world = await startWorld();
    try {
      await world.say('/deploy api v1.5.1 to staging');
      await world.waitForPhase('1', 'rolling_out');

      const first = await world.say('/rollback api staging');
      const second = await world.say('/rollback api staging');

      expect(first).toContain('Aborting deploy #1');
      expect(second).not.toContain('⚠️');
      expect((await world.waitForPhase('1', ['aborted', 'rolled_back', 'failed'])).phase).toBe('aborted');
      expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    } finally {
      await world.stop();
    }
  });
});
