import { afterEach, describe, expect, it } from 'vitest';
import { firstOf, sequence, share, startFlakyProxy, type FlakyProxy, type ProxiedRequest } from '../helpers/flaky-proxy.ts';
import { WORLD_CONFIG, startWorld, worldConfig, type World } from '../helpers/world.ts';

const API = (ns: string): string => `/apis/apps/v1/namespaces/${ns}/deployments/api`;
/** Short limits so faults cost milliseconds: 400 ms per request, backoff capped at 300 ms, 8 attempts. */
const RETRY = { requestTimeoutMs: 400, baseMs: 50, maxMs: 300, attempts: 8 };

const isPatchOfApi = (r: ProxiedRequest): boolean => r.method === 'PATCH' && r.path === API('staging');

/** How many PATCHes of the api Deployment reached the sim (faulted ones never do). */
function patchesOf(world: World, ns: string, contentType?: string): number {
  return world.sim.requests.filter((r) => r.method === 'PATCH' && r.path === API(ns) && (!contentType || r.contentType?.includes(contentType))).length;
}

describe('the Kubernetes API failing intermittently during a deploy', () => {
  let world: World | undefined;
  let proxy: FlakyProxy | undefined;
  let retried: string[] = [];

  async function startBehindProxy(readyDelayMs = 60): Promise<{ world: World; proxy: FlakyProxy }> {
    proxy = await startFlakyProxy(() => {
      if (!world) throw new Error('world not started');
      return world.sim.url;
    });
    const config = worldConfig(WORLD_CONFIG.replace('readyDelayMs: 60', `readyDelayMs: ${readyDelayMs}`));
    retried = [];
    world = await startWorld({ config, deckhand: { kube: { kubeconfigYaml: proxy.kubeconfig(), retry: RETRY, onRetry: (code) => retried.push(code) } } });
    return { world, proxy };
  }

  afterEach(async () => {
    await world?.stop();
    await proxy?.close();
    world = undefined;
    proxy = undefined;
  });

  it('given the image patch answered 500, 429 + Retry-After, 409 and a timeout, when alice deploys, then it completes and the image is patched exactly once', async () => {
    const { world, proxy } = await startBehindProxy();
    proxy.setRule(sequence(isPatchOfApi, [
      { kind: 'status', code: 500 },
      { kind: 'status', code: 429, retryAfterSeconds: 1 },
      { kind: 'status', code: 409 },
      { kind: 'hold', ms: 1500 },
      { kind: 'status', code: 503 },
    ]));

    await world.say('/deploy api v1.5.0 to staging');
    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 40_000);

    expect(d.phase).toBe('succeeded');
    expect(proxy.faults.map((f) => (f.answer.kind === 'status' ? f.answer.code : f.answer.kind))).toEqual([500, 429, 409, 'hold', 503]);
    expect(retried).toEqual(['http_500', 'http_429', 'http_409', 'timeout', 'http_503']);
    expect(patchesOf(world, 'staging')).toBe(1);
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.5.0');
  });

  it('given half of reads and watches failing (500, 503, 429, timeouts, dropped watches), when alice deploys, then it completes with one patch', async () => {
    // Slower pods keep the rollout (and its watch) open long enough for every watch fault to be met.
    const { world, proxy } = await startBehindProxy(500);
    proxy.setRule(firstOf(
      // The first watches fail outright or hang until dropped: follow-rollout must reopen them.
      sequence((r) => r.watch, [{ kind: 'status', code: 500 }, { kind: 'hold', ms: 700 }, { kind: 'status', code: 503 }]),
      share((r) => r.method === 'GET' && !r.watch, 0.5, [
        { kind: 'status', code: 500 },
        { kind: 'hold', ms: 700 },
        { kind: 'status', code: 503 },
        { kind: 'status', code: 429, retryAfterSeconds: 0 },
        { kind: 'status', code: 504 },
      ], { seed: 7, limit: 30 }),
    ));

    await world.say('/deploy api v1.5.0 to staging');
    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 40_000);

    expect(d.phase).toBe('succeeded');
    expect(proxy.faults.filter((f) => !f.watch).length).toBeGreaterThan(0);
    expect(proxy.faults.filter((f) => f.watch).length).toBeGreaterThanOrEqual(2);
    expect(patchesOf(world, 'staging')).toBe(1);
  });

  it('given the undo JSON patch answered 409 then 500, when /rollback runs, then it re-reads and restores the previous revision with one patch', async () => {
    const { world, proxy } = await startBehindProxy();
    await world.say('/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'succeeded', 40_000);
    proxy.setRule(sequence(isPatchOfApi, [{ kind: 'status', code: 409 }, { kind: 'status', code: 500 }]));

    await world.say('/rollback api staging');
    const r = await world.waitForPhase('2', ['succeeded', 'failed'], 40_000);

    expect(r.phase).toBe('succeeded');
    expect(proxy.faults).toHaveLength(2);
    expect(patchesOf(world, 'staging', 'json-patch')).toBe(1);
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });
});
