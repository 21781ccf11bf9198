import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startProgressiveWorld, type ProgressiveWorld } from './progressive-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
const ROUTES = '/apis/gateway.networking.k8s.io/v1/namespaces/staging/httproutes';
const ORIGINAL_RULES = [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] }];

interface Route { spec: { parentRefs: unknown[]; rules: { backendRefs: { name: string; weight?: number }[] }[] } }

async function readRoute(world: ProgressiveWorld): Promise<Route> {
  return await (await fetch(`${world.sim.url}${ROUTES}/web`)).json() as Route;
}

/** Polls the route while the deploy runs and keeps every distinct set of weights seen. */
function watchWeights(world: ProgressiveWorld): { seen: string[]; stop(): void } {
  const seen: string[] = [];
  let on = true;
  void (async () => {
    while (on) {
      const r = await readRoute(world).catch(() => undefined);
      const text = (r?.spec.rules[0]?.backendRefs ?? []).map((b) => `${b.name}=${b.weight ?? 'default'}`).join(' ');
      if (text && seen.at(-1) !== text) seen.push(text);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  return { seen, stop: () => { on = false; } };
}

describe('canary by Gateway API HTTPRoute weights', () => {
  let world: ProgressiveWorld;
  beforeEach(async () => {
    world = await startProgressiveWorld();
    const res = await fetch(`${world.sim.url}${ROUTES}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'staging' }, spec: { parentRefs: [{ name: 'gateway' }], rules: ORIGINAL_RULES } }),
    });
    expect(res.status).toBe(201);
  });
  afterEach(async () => { await world.stop(); });

  it('sets exact weights at each step and gives the route back as it was after promotion', async () => {
    const watch = watchWeights(world);
    await world.say('/deploy web v2.1.0 to staging canary 10%');
    const d = await world.waitForPhase('1', [...END], 30_000);
    // The watch reports the route's last change a moment after the record says the deploy ended.
    await expect.poll(() => watch.seen.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(5);
    watch.stop();

    expect(d.phase).toBe('succeeded');
    expect(watch.seen).toEqual(['web=default', 'web=90 web-canary=10', 'web=70 web-canary=30', 'web=40 web-canary=60', 'web=default']);
    expect((await readRoute(world)).spec.rules).toEqual(ORIGINAL_RULES);
    expect((await world.app.kube.readDeployment('staging', 'web')).images.web).toBe('registry.local/acme/web:v2.1.0');
    expect(await world.app.kube.readServiceSelector('staging', 'web-canary')).toBeUndefined();

    // /rollback afterwards restores the previous image; replicas and route weights are already the original ones.
    await world.say('/rollback web staging');
    expect((await world.waitForPhase('2', [...END])).phase).toBe('succeeded');
    const web = await world.app.kube.readDeployment('staging', 'web');
    expect([web.images.web, web.desired]).toEqual(['registry.local/acme/web:v2.0.0', 4]);
    expect((await readRoute(world)).spec.rules).toEqual(ORIGINAL_RULES);
  });

  it('given a slow version, when its p99 fails, then the route weights are restored exactly and the canary removed', async () => {
    await world.say('/deploy web v2.2.0 to staging canary 10%');
    const d = await world.waitForPhase('1', [...END], 30_000);

    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toMatch(/Check latency-p99 failed: \d+ ms against a limit of 800 ms/);
    expect(d.summary).toContain('web weights restored');
    expect((await readRoute(world)).spec.rules).toEqual(ORIGINAL_RULES);
    expect(await world.app.kube.findDeployment('staging', 'web-canary')).toBeUndefined();
    expect(await world.app.kube.readServiceSelector('staging', 'web-canary')).toBeUndefined();
  });
});
