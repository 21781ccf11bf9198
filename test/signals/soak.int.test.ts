import { afterEach, describe, expect, it } from 'vitest';
import { startSignalsWorld, until, type SignalsWorld } from './signals-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;

async function serviceSelector(world: SignalsWorld, name: string): Promise<Record<string, string> | undefined> {
  return world.app.kube.readServiceSelector('staging', name);
}

describe('the soak window after promotion', () => {
  let world: SignalsWorld;
  afterEach(async () => { await world.stop(); });

  it('given a healthy canary, when its soak window passes, then it ends succeeded on the stable Deployment and the previous version is gone', async () => {
    world = await startSignalsWorld({ soak: '1s' });
    const before = await serviceSelector(world, 'api');
    await world.say('/deploy api v1.5.0 to staging canary 25%');

    const watching = await until('the soak', () => world.app.deploys.get('1'), (d) => d?.phase === 'watching', 20_000);
    // While it soaks, both versions are up and the Service selects only the new one.
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    expect(await serviceSelector(world, 'api')).toEqual({ ...before, 'deckhand.io/track': 'canary' });
    expect(watching?.state.soakUntil).toBeTypeOf('number');

    const d = await world.waitForPhase('1', [...END], 20_000);
    expect(d.phase).toBe('succeeded');
    expect(d.summary).toMatch(/watched for 1 s/);
    const stable = await world.app.kube.readDeployment('staging', 'api');
    expect(stable.images.api).toBe('registry.local/acme/api:v1.5.0');
    expect(stable.desired).toBe(4);
    expect(await world.app.kube.findDeployment('staging', 'api-canary')).toBeUndefined();
    expect(await serviceSelector(world, 'api')).toEqual(before);
    await world.app.cards.flush();
    expect(world.output()).toContain('👀 Watching');
    expect(world.output()).toMatch(/Analysis while watching \(\d+ m?s left\)/);
  });

  it('given a rolling deploy, when its soak window passes, then the warm copy of the previous version is removed', async () => {
    world = await startSignalsWorld({ soak: '1s' });
    await world.say('/deploy shop v3.1.0 to staging');

    await until('the warm copy', () => world.app.kube.findDeployment('staging', 'shop-previous'), (p) => p?.available === 3, 20_000);
    const copy = await world.app.kube.findDeployment('staging', 'shop-previous');
    expect(copy?.images.shop).toBe('registry.local/acme/shop:v3.0.0');
    const d = await world.waitForPhase('1', [...END], 20_000);

    expect(d.phase).toBe('succeeded');
    expect(d.summary).toContain('the copy of v3.0.0 is removed');
    expect(await world.app.kube.findDeployment('staging', 'shop-previous')).toBeUndefined();
    expect((await world.app.kube.readDeployment('staging', 'shop')).images.shop).toBe('registry.local/acme/shop:v3.1.0');
  });

  it('given a soaking rolling deploy, when someone ends the watch with /promote, then it succeeds at once and /pause is refused', async () => {
    world = await startSignalsWorld({ soak: '60s' });
    await world.say('/deploy shop v3.1.0 to staging');
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.step === 'soak', 20_000);

    const paused = await world.say('/pause shop staging');
    const promoted = await world.say('/promote shop staging');

    expect(paused).toContain('there is nothing to pause');
    expect(promoted).toContain('its watch ends now');
    const d = await world.waitForPhase('1', [...END], 10_000);
    expect(d.phase).toBe('succeeded');
    expect(await world.app.kube.findDeployment('staging', 'shop-previous')).toBeUndefined();
  });

  it('given a soaking rolling deploy, when an alert with the service\'s own labels fires, then the Service switches to the warm copy and the Deployment is undone', async () => {
    world = await startSignalsWorld({ soak: '60s' });
    const before = await serviceSelector(world, 'shop');
    await world.say('/deploy shop v3.1.0 to staging');
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.step === 'soak', 20_000);

    const res = await world.alert([{ labels: { alertname: 'ShopLatency', app: 'shop-svc', stage: 'staging' }, summary: 'p99 above 2 s' }]);

    expect(res.body.aborted).toEqual(['1']);
    const d = await world.waitForPhase('1', [...END], 20_000);
    expect(d.phase).toBe('rolled_back');
    const state = d.state as { trafficRestoredAt: number };
    expect(state.trafficRestoredAt - (d.steering.abort?.signal?.receivedAt ?? 0)).toBeLessThan(2_000);
    expect(d.summary).toMatch(/Traffic was back on v3\.0\.0 \d+ ms after the alert arrived, on the copy kept warm/);
    expect((await world.app.kube.readDeployment('staging', 'shop')).images.shop).toBe('registry.local/acme/shop:v3.0.0');
    expect(await serviceSelector(world, 'shop')).toEqual(before);
    expect(await world.app.kube.findDeployment('staging', 'shop-previous')).toBeUndefined();
  });

  it('given a soaking canary, when its error rate climbs after promotion, then background analysis rolls it back to the warm stable', async () => {
    world = await startSignalsWorld({ soak: '60s' });
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.step === 'soak', 20_000);

    world.prometheus.setProfile('registry.local/acme/api:v1.5.0', { errorRate: 0.2 });

    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toContain('Check error-rate failed: 20% against a limit of 1%');
    expect(d.summary).toContain('while it was watched after promotion');
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    expect(await world.app.kube.findDeployment('staging', 'api-canary')).toBeUndefined();
  });

  it.each([
    ['rolling', 'shop', 'v3.1.0', '/deploy shop v3.1.0 to staging', 'soak', 'v3.0.0'],
    ['blue-green', 'api', 'v1.5.0', '/deploy api v1.5.0 to staging bluegreen', 'keep', 'v1.4.0'],
  ])('given a soaking %s deploy, when its error rate climbs, then background analysis switches back to the warm previous version', async (_kind, service, version, command, step, previous) => {
    world = await startSignalsWorld({ soak: '60s' });
    const before = await serviceSelector(world, service);
    await world.say(command);
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.phase === 'watching' && d.step === step, 20_000);

    world.prometheus.setProfile(`registry.local/acme/${service}:${version}`, { errorRate: 0.2 });

    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toContain('Analysis failed while watching: error-rate 20%');
    expect((await world.app.kube.readDeployment('staging', service)).images[service]).toBe(`registry.local/acme/${service}:${previous}`);
    expect(await serviceSelector(world, service)).toEqual(before);
  });

  it('given a soaking canary, when someone types /rollback, then traffic goes back to the warm previous version at once', async () => {
    world = await startSignalsWorld({ soak: '60s' });
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.step === 'soak', 20_000);
    const asked = Date.now();

    const reply = await world.say('/rollback api staging');

    expect(reply).toContain('Aborting deploy #1');
    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('aborted');
    expect((d.state as { trafficRestoredAt: number }).trafficRestoredAt - asked).toBeLessThan(2_000);
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });

  it('given a soaking HTTPRoute canary, when an alert fires, then the route\'s weights are put back as they were', async () => {
    world = await startSignalsWorld({ soak: '60s' });
    const created = await fetch(`${world.sim.url}/apis/gateway.networking.k8s.io/v1/namespaces/staging/httproutes`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'staging' }, spec: { parentRefs: [{ name: 'gateway' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } }),
    });
    expect(created.status).toBe(201);
    const before = await world.app.kube.readRouteBackends('staging', 'web');
    await world.say('/deploy web v2.1.0 to staging canary 25%');
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.step === 'soak', 20_000);
    expect(await world.app.kube.readRouteBackends('staging', 'web')).toEqual([[{ name: 'web', weight: 0 }, { name: 'web-canary', weight: 100 }]]);

    await world.alert([{ labels: { alertname: 'WebDown', service: 'web' } }]);

    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(await world.app.kube.readRouteBackends('staging', 'web')).toEqual(before);
    expect((await world.app.kube.readDeployment('staging', 'web')).available).toBe(4);
  });

  it('given a soaking blue-green deploy, when an alert fires, then the Service goes back to the old colour', async () => {
    world = await startSignalsWorld({ soak: '60s' });
    const before = await serviceSelector(world, 'api');
    await world.say('/deploy api v1.5.0 to staging bluegreen');
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.phase === 'watching' && d.step === 'keep', 20_000);

    await world.alert([{ labels: { alertname: 'HighErrorRate', service: 'api' } }]);

    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toContain('Alert HighErrorRate fired');
    expect(await serviceSelector(world, 'api')).toEqual(before);
    expect(await world.app.kube.findDeployment('staging', 'api-green')).toBeUndefined();
  });
});
