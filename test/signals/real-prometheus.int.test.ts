import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { startFileSdWriter, startSimPrometheus, HEALTHY, type FileSdWriter, type SimPrometheus, type VersionProfile } from '@deckhand/sim/prometheus';
import { assess, createPrometheusProvider, type AnalysisTarget, type CheckSpec } from '../../src/analysis/index.ts';
import { DEFAULT_CHECKS } from '../../src/config/progressive-schema.ts';
import { isInstalled } from '../../src/sandbox/is-installed.ts';
import { spawnPrometheus, type SpawnedPrometheus } from '../../src/sandbox/prometheus-server.ts';

/**
 * Debian's real `prometheus` scrapes the simulated pods' /metrics (file-based discovery the simulator writes, 1 s
 * scrapes), and Deckhand's Prometheus provider runs the default checks' PromQL on it, unchanged: a healthy version
 * passes, a version with 8% 5xx fails the error rate, a slow one the p99 latency — the verdicts the simulated
 * Prometheus gives for the same cluster. CI installs prometheus (.ci/run); elsewhere the suite is skipped, named.
 */
const installed = isInstalled('prometheus');
const IMAGE = 'registry.local/acme';
const PROFILES: Record<string, Partial<VersionProfile>> = {
  [`${IMAGE}/pay:v2.0.0`]: { errorRate: 0.08 },
  [`${IMAGE}/web:v3.0.0`]: { p99Ms: 1500 },
  [`${IMAGE}/mute:v1.0.0`]: { silent: true },
};
const SERVICES = ['api', 'pay', 'web', 'mute'].map((name) => ({ service: name, namespace: 'staging', kubeService: name }));
const CHECKS: CheckSpec[] = DEFAULT_CHECKS.map((c) => ({ kind: 'prometheus', name: c.name, query: c.query, failAbove: c.failAbove, unit: c.unit }));
const target = (service: string, version: string): AnalysisTarget => ({ service, namespace: 'staging', version, podLabels: { app: service } });

describe.skipIf(!installed)('a real Prometheus scraping the simulated pods (needs `prometheus` on PATH: apt-get install prometheus)', () => {
  let sim: SimCluster;
  let pods: SimPrometheus;
  let prometheus: SpawnedPrometheus;
  let writer: FileSdWriter;

  beforeAll(async () => {
    sim = await startSimCluster({
      readyDelayMs: 50,
      seed: [
        { namespace: 'staging', name: 'api', container: 'api', image: `${IMAGE}/api:v1.4.0`, replicas: 3, labels: { app: 'api' } },
        { namespace: 'staging', name: 'pay', container: 'pay', image: `${IMAGE}/pay:v2.0.0`, replicas: 2, labels: { app: 'pay' } },
        { namespace: 'staging', name: 'web', container: 'web', image: `${IMAGE}/web:v3.0.0`, replicas: 2, labels: { app: 'web' } },
        { namespace: 'staging', name: 'mute', container: 'mute', image: `${IMAGE}/mute:v1.0.0`, replicas: 1, labels: { app: 'mute' } },
      ],
    });
    pods = await startSimPrometheus({ kubeUrl: sim.url, services: SERVICES, profileOf: (image) => ({ ...HEALTHY, ...PROFILES[image] }), requestsPerSecond: 100 });
    prometheus = await spawnPrometheus({ intervalMs: 1000 });
    writer = await startFileSdWriter({ path: prometheus.targetsFile, targets: () => pods.scrapeTargets(), intervalMs: 200 });
  });
  afterAll(async () => {
    writer?.stop();
    await prometheus?.stop();
    await pods?.close();
    await sim?.close();
  });

  /** Runs the default checks against the real Prometheus until every check has a number (or `ms` passes). */
  async function analyse(t: AnalysisTarget, ms = 25_000): Promise<ReturnType<typeof assess>> {
    const provider = createPrometheusProvider({ url: prometheus.url });
    const deadline = Date.now() + ms;
    for (;;) {
      const measurements = await Promise.all(CHECKS.map((c) => provider.measure(c as Extract<CheckSpec, { kind: 'prometheus' }>, t, AbortSignal.timeout(5000))));
      const a = assess(CHECKS, measurements, {}, 1);
      if (a.verdict !== 'inconclusive' || Date.now() > deadline) return a;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('discovers every ready pod of the simulated cluster and scrapes its /metrics', async () => {
    const deadline = Date.now() + 25_000;
    let up: { labels: Record<string, string>; health: string }[] = [];
    while (Date.now() < deadline) {
      const body = await (await fetch(`${prometheus.url}/api/v1/targets?state=active`)).json() as { data: { activeTargets: { labels: Record<string, string>; health: string }[] } };
      up = body.data.activeTargets;
      if (up.length === 8 && up.every((t) => t.health === 'up')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(up).toHaveLength(8);
    expect(up.every((t) => t.health === 'up')).toBe(true);
    expect(up.map((t) => t.labels.pod).filter((p) => p?.startsWith('api-'))).toHaveLength(3);
    expect(new Set(up.map((t) => t.labels.namespace))).toEqual(new Set(['staging']));
  });

  it('passes the default checks for a healthy version', async () => {
    const a = await analyse(target('api', 'v1.4.0'));
    expect(a.verdict).toBe('pass');
    const byName = Object.fromEntries(a.results.map((r) => [r.check, r.value]));
    expect(byName['error-rate']).toBeCloseTo(0.001, 3);
    expect(byName['latency-p99']).toBeGreaterThan(50);
    expect(byName['latency-p99']).toBeLessThan(200);
  });

  it('fails the error-rate check for a version that answers 8% 5xx', async () => {
    const a = await analyse(target('pay', 'v2.0.0'));
    expect(a.verdict).toBe('fail');
    expect(a.failed?.check).toBe('error-rate');
    expect(a.failed?.value).toBeCloseTo(0.08, 2);
  });

  it('fails the p99 latency check for a slow version', async () => {
    const a = await analyse(target('web', 'v3.0.0'));
    expect(a.verdict).toBe('fail');
    expect(a.failed?.check).toBe('latency-p99');
    expect(a.failed?.value).toBeGreaterThan(1000);
  });

  it('has no data for a version that exports no metrics, and for one that is not running', async () => {
    const provider = createPrometheusProvider({ url: prometheus.url });
    const [silent, absent] = await Promise.all([
      provider.measure(CHECKS[0] as Extract<CheckSpec, { kind: 'prometheus' }>, target('mute', 'v1.0.0'), AbortSignal.timeout(5000)),
      provider.measure(CHECKS[0] as Extract<CheckSpec, { kind: 'prometheus' }>, target('api', 'v9.9.9'), AbortSignal.timeout(5000)),
    ]);
    expect(silent.kind).toBe('no_data');
    expect(absent.kind).toBe('no_data');
  });

  it('gives the same verdicts as the simulated Prometheus for the same cluster', async () => {
    const sim = createPrometheusProvider({ url: pods.url });
    for (const t of [target('api', 'v1.4.0'), target('pay', 'v2.0.0'), target('web', 'v3.0.0')]) {
      const real = await analyse(t);
      const simulated = assess(CHECKS, await Promise.all(CHECKS.map((c) => sim.measure(c as Extract<CheckSpec, { kind: 'prometheus' }>, t, AbortSignal.timeout(5000)))), {}, 1);
      expect(real.verdict).toBe(simulated.verdict);
      expect(real.failed?.check).toBe(simulated.failed?.check);
    }
  });
});
