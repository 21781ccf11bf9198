import { afterEach, describe, expect, it } from 'vitest';
import { startSignalsWorld, until, type SignalsWorld } from './signals-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
const apiAlert = { alertname: 'HighErrorRate', service: 'api', env: 'staging', severity: 'page' };

describe('POST /alertmanager/webhook', () => {
  let world: SignalsWorld;
  afterEach(async () => { await world.stop(); });

  it('given no token or a wrong one, when Alertmanager posts, then it gets 401 and the canary goes on', async () => {
    world = await startSignalsWorld();
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the canary rolling out', () => world.app.deploys.get('1'), (d) => d?.phase === 'rolling_out');

    const missing = await world.alert([{ labels: apiAlert }], { token: null });
    const wrong = await world.alert([{ labels: apiAlert }], { token: 'not-the-token-0123456789' });

    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    const d = await world.waitForPhase('1', [...END], 30_000);
    expect(d.phase).toBe('succeeded');
    expect(d.steering.abort).toBeUndefined();
  });

  it('given a canary at its first step, when a firing alert names its service and env, then it is rolled back and the card names the alert', async () => {
    world = await startSignalsWorld();
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the canary analysed', () => world.app.deploys.get('1'), (d) => d?.step === 'hold');

    const res = await world.alert([{ labels: apiAlert, summary: 'api 5xx above 5% <@here>', generatorURL: 'http://prometheus.local:9090/graph?g0.expr=x' }]);

    expect(res.status).toBe(200);
    expect(res.body.aborted).toEqual(['1']);
    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toContain('Alert HighErrorRate fired');
    expect(d.summary).toMatch(/Traffic was back on v1\.4\.0 \d+ ms after the alert arrived/);
    expect(d.steering.abort?.signal).toMatchObject({ source: 'alertmanager', name: 'HighErrorRate', summary: 'api 5xx above 5% <@here>', url: 'http://prometheus.local:9090/graph?g0.expr=x' });
    const stable = await world.app.kube.readDeployment('staging', 'api');
    expect(stable.images.api).toBe('registry.local/acme/api:v1.4.0');
    expect(await world.app.kube.findDeployment('staging', 'api-canary')).toBeUndefined();
    await world.app.cards.flush();
    expect(world.output()).toContain('🚨 Alert HighErrorRate: api 5xx above 5%');
    expect(world.output()).toContain('http://prometheus.local:9090/graph?g0.expr=x');
    // The alert is its sender's text: the console shows it, but it cannot ping anyone on a chat platform either way.
    const audit = await world.app.audit.latest(50, '1');
    expect(JSON.stringify(audit)).toContain('[alertmanager] HighErrorRate firing for #1');
  });

  it('given a canary in flight, when resolved alerts and alerts about other services or envs arrive, then nothing changes', async () => {
    world = await startSignalsWorld();
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the canary rolling out', () => world.app.deploys.get('1'), (d) => d?.phase === 'rolling_out');

    const resolved = await world.alert([{ labels: apiAlert, status: 'resolved' }], { status: 'resolved' });
    const otherService = await world.alert([{ labels: { ...apiAlert, service: 'billing' } }]);
    const otherEnv = await world.alert([{ labels: { ...apiAlert, env: 'production' } }]);
    const older = await world.alert([{ labels: apiAlert, startsAt: new Date(Date.now() - 3_600_000).toISOString() }]);

    for (const r of [resolved, otherService, otherEnv, older]) {
      expect(r.status).toBe(200);
      expect(r.body.aborted).toEqual([]);
    }
    expect(older.body.ignored?.[0]?.why).toContain('fired before #1 was requested');
    const d = await world.waitForPhase('1', [...END], 30_000);
    expect(d.phase).toBe('succeeded');
  });

  it('given a delivery that is not Alertmanager v4, when it is posted with the token, then it is refused with 400', async () => {
    world = await startSignalsWorld();
    const res = await fetch(`${world.url}/alertmanager/webhook`, { method: 'POST', headers: { authorization: 'Bearer am-token-0123456789abcdef' }, body: JSON.stringify({ version: '3', alerts: [] }) });
    expect(res.status).toBe(400);
  });

  it('given a soaking canary, when an alert fires, then traffic is back on the warm previous version within 2 s, and a redelivery changes nothing', async () => {
    world = await startSignalsWorld({ soak: '60s' });
    await world.say('/deploy api v1.5.0 to staging canary 25%');
    await until('the soak', () => world.app.deploys.get('1'), (d) => d?.phase === 'watching' && d.step === 'soak', 20_000);
    const stableBefore = await world.app.kube.readDeployment('staging', 'api');
    expect(stableBefore.images.api).toBe('registry.local/acme/api:v1.4.0');
    expect(stableBefore.available).toBe(4);
    const podsBefore = (await world.app.kube.listPods('staging', { app: 'api' })).filter((p) => p.images.api?.endsWith(':v1.4.0')).map((p) => p.name).sort();
    expect(podsBefore).toHaveLength(4);

    const first = await world.alert([{ labels: apiAlert, summary: 'error budget burning' }]);
    const again = await world.alert([{ labels: apiAlert, summary: 'error budget burning' }]);

    expect(first.body.aborted).toEqual(['1']);
    expect(again.body.aborted).toEqual([]);
    const d = await world.waitForPhase('1', [...END], 15_000);
    expect(d.phase).toBe('rolled_back');
    const state = d.state as { trafficRestoredAt: number };
    const latency = state.trafficRestoredAt - (d.steering.abort?.signal?.receivedAt ?? 0);
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(2_000);
    expect(d.summary).toContain('while it was watched after promotion');
    // The same pods serve: nothing was started for the switch back.
    const podsAfter = (await world.app.kube.listPods('staging', { app: 'api' })).filter((p) => !p.deleting).map((p) => p.name).sort();
    expect(podsAfter).toEqual(podsBefore);
  });
});
