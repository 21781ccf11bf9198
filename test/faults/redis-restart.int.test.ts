import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnRedis, type SpawnedRedis } from '../../src/sandbox/redis-server.ts';
import { WORLD_CONFIG, startWorld, worldConfig, type World } from '../helpers/world.ts';

/** Slow pods (a rollout of 3 takes seconds) and approvals that outlive the restarts. */
const CONFIG = WORLD_CONFIG.replace('readyDelayMs: 60', 'readyDelayMs: 700').replace('expireAfter: 2s', 'expireAfter: 120s');

function patchesOf(world: World, ns: string): number {
  return world.sim.requests.filter((r) => r.method === 'PATCH' && r.path === `/apis/apps/v1/namespaces/${ns}/deployments/api`).length;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Redis restarted while deploys are in flight', () => {
  let world: World | undefined;
  let redis: SpawnedRedis | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await world?.stop();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    world = undefined;
    redis = undefined;
    dir = undefined;
  });

  /** Stops the private redis-server (SIGTERM: AOF flushed, as in a pod restart) and starts it again on the same port and dir. */
  async function restartRedis(port: number, downMs: number): Promise<void> {
    await redis?.stop();
    await new Promise((r) => setTimeout(r, downMs));
    redis = await spawnRedis({ port, dir });
  }

  it('given a pending approval and then a rollout in flight, when Redis restarts each time, then nothing is lost and the deploy completes once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deckhand-redis-restart-'));
    const port = await freePort();
    redis = await spawnRedis({ port, dir });
    world = await startWorld({ config: worldConfig(CONFIG), deckhand: { redisUrl: redis.url } });
    const w = world;

    // Given: a production deploy waiting for an approval, across a Redis restart.
    await w.say('/deploy api v1.5.0 to production');
    await w.waitForPhase('1', 'awaiting_approval');
    await restartRedis(port, 500);
    expect((await w.app.deploys.get('1'))?.phase).toBe('awaiting_approval');

    // When: approved, and Redis restarts again once the image is patched and the rollout is being followed.
    await w.say('@bob /approve 1');
    await until('the image patch', () => patchesOf(w, 'production') === 1);
    await w.waitForPhase('1', 'rolling_out');
    const auditBefore = await w.app.audit.read();
    await restartRedis(port, 1000);

    // Then: the deploy completes, the image was patched once, and every audit entry from before is still there.
    const d = await w.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 45_000);
    expect(d.phase).toBe('succeeded');
    expect(d.approvals.map((a) => a.vote)).toEqual(['approve']);
    expect(patchesOf(w, 'production')).toBe(1);
    expect((await w.app.kube.readDeployment('production', 'api')).images.api).toBe('registry.local/acme/api:v1.5.0');
    const auditAfter = await w.waitForAudit((e) => e.kind === 'phase' && e.deployId === '1' && e.phase === 'succeeded');
    expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
    expect(auditBefore.some((e) => e.kind === 'approval' && e.deployId === '1' && e.vote === 'approve')).toBe(true);
    expect(await w.app.locks.get('api', 'production')).toBeUndefined();
  });
});
