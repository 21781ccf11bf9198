import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';
import { HEALTHY, startSimPrometheus, type SimPrometheus } from '../../src/prometheus/index.ts';

const IMAGE = 'registry.local/acme/api';

async function query(prom: SimPrometheus, q: string): Promise<{ status: number; body: { status: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }; errorType?: string } }> {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`);
  return { status: res.status, body: await res.json() as never };
}

async function createCanary(sim: SimCluster, replicas: number, image: string): Promise<void> {
  const res = await fetch(`${sim.url}/apis/apps/v1/namespaces/staging/deployments`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metadata: { name: 'api-canary' }, spec: { replicas, selector: { matchLabels: { app: 'api', track: 'canary' } }, template: { metadata: { labels: { app: 'api', track: 'canary' } }, spec: { containers: [{ name: 'api', image }] } } } }),
  });
  expect(res.status).toBe(201);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('simulated Prometheus over HTTP, following the simulated cluster', () => {
  let sim: SimCluster;
  let prom: SimPrometheus;
  beforeEach(async () => {
    sim = await startSimCluster({ readyDelayMs: 20, seed: [{ namespace: 'staging', name: 'api', container: 'api', image: `${IMAGE}:v1.4.0`, replicas: 3 }] });
    prom = await startSimPrometheus({
      kubeUrl: sim.url, requestsPerSecond: 100, services: [{ service: 'api', namespace: 'staging', kubeService: 'api' }],
      profileOf: (image) => image.endsWith(':v1.5.2') ? { ...HEALTHY, errorRate: 0.08, p99Ms: 950 } : HEALTHY,
    });
  });
  afterEach(async () => { await prom.close(); await sim.close(); });

  const RPS = 'sum by (version) (rate(http_requests_total{namespace="staging",service="api"}[1m]))';

  it('answers the real response format, with all traffic on the only version', async () => {
    const r = await query(prom, RPS);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('success');
    expect(r.body.data?.resultType).toBe('vector');
    expect(r.body.data?.result).toEqual([{ metric: { version: 'v1.4.0' }, value: [expect.any(Number), '100'] }]);
  });

  it('splits traffic by ready replicas and applies the version profile', async () => {
    await createCanary(sim, 1, `${IMAGE}:v1.5.2`);
    await eventually(async () => ((await query(prom, RPS)).body.data?.result.length ?? 0) === 2);

    const byVersion = Object.fromEntries(((await query(prom, RPS)).body.data?.result ?? []).map((s) => [s.metric.version, Number(s.value[1])]));
    expect(byVersion).toEqual({ 'v1.4.0': 75, 'v1.5.2': 25 });
    const errors = await query(prom, 'sum(rate(http_requests_total{service="api",version="v1.5.2",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="api",version="v1.5.2"}[1m]))');
    expect(Number(errors.body.data?.result[0]?.value[1])).toBeCloseTo(0.08, 6);
    const p99 = await query(prom, 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="api",version="v1.5.2"}[1m]))) * 1000');
    expect(Number(p99.body.data?.result[0]?.value[1])).toBeGreaterThan(850);
    expect(Number(p99.body.data?.result[0]?.value[1])).toBeLessThan(1050);
  });

  it('follows HTTPRoute weights when a route names the Service', async () => {
    await fetch(`${sim.url}/api/v1/namespaces/staging/services`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'api-canary' }, spec: { selector: { app: 'api', track: 'canary' }, ports: [{ port: 80 }] } }) });
    await fetch(`${sim.url}/apis/gateway.networking.k8s.io/v1/namespaces/staging/httproutes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'api' }, spec: { rules: [{ backendRefs: [{ name: 'api', weight: 90 }, { name: 'api-canary', weight: 10 }] }] } }) });
    await createCanary(sim, 2, `${IMAGE}:v1.5.0`);
    await eventually(async () => ((await query(prom, RPS)).body.data?.result.length ?? 0) === 2);

    // The stable Service selects `app=api`, canary pods included: 90% splits over 5 pods, the canary Service gets 10%.
    const byVersion = Object.fromEntries(((await query(prom, RPS)).body.data?.result ?? []).map((s) => [s.metric.version, Number(s.value[1])]));
    expect(byVersion['v1.4.0']).toBeCloseTo(54, 6);
    expect(byVersion['v1.5.0']).toBeCloseTo(46, 6);
  });

  it('no traffic means no series (no data), and a bad query is a 400 bad_data', async () => {
    expect((await query(prom, 'sum(rate(http_requests_total{version="v1.5.0"}[1m]))')).body.data?.result).toEqual([]);
    const bad = await query(prom, 'sum(rate(');
    expect([bad.status, bad.body.status, bad.body.errorType]).toEqual([400, 'error', 'bad_data']);
  });

  it('answers probes for a pod with its version profile', async () => {
    const pods = await (await fetch(`${sim.url}/api/v1/namespaces/staging/pods`)).json() as { items: { metadata: { name: string } }[] };
    const pod = pods.items[0]!.metadata.name;
    const res = await fetch(`${prom.podUrl('staging', pod)}/healthz`);
    expect(res.status).toBe(200);
    expect((await fetch(`${prom.podUrl('staging', 'no-such-pod')}/healthz`)).status).toBe(502);
  });
});
