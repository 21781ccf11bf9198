import { describe, expect, it } from 'vitest';
import { createPodMetrics } from '../../src/prometheus/pod-metrics.ts';
import { createProfileClock, HEALTHY } from '../../src/prometheus/version-profile.ts';
import type { VersionShare } from '../../src/prometheus/traffic-model.ts';

/** One service, `api`, with two ready pods: p1 on v1 (healthy, 3/4 of traffic) and p2 on v2 (8% 5xx, 1/4). */
function world(): { metrics: ReturnType<typeof createPodMetrics>; advance(ms: number): void; share: VersionShare } {
  let t = 1_000_000;
  const share: VersionShare = {
    shares: new Map([['v1', 0.75], ['v2', 0.25]]),
    images: new Map([['v1', 'reg/api:v1'], ['v2', 'reg/api:v2']]),
    pods: new Map([['p1', { tag: 'v1', share: 0.75 }], ['p2', { tag: 'v2', share: 0.25 }]]),
  };
  const metrics = createPodMetrics({
    traffic: async () => share, services: [{ service: 'api', namespace: 'staging', kubeService: 'api' }],
    profileOf: ({ image }) => image.endsWith(':v2') ? { ...HEALTHY, errorRate: 0.08 } : HEALTHY, requestsPerSecond: 100, now: () => t,
  });
  return { metrics, advance: (ms) => { t += ms; }, share };
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('a simulated pod\'s /metrics', () => {
  it('fails from `failsAfter` on once its version has served all the traffic that long, and not before', async () => {
    let t = 0;
    const profileOf = createProfileClock(() => ({ ...HEALTHY, failsAfter: { afterMs: 5000, errorRate: 0.3 } }), () => t);
    const scope = { namespace: 'staging', service: 'api', tag: 'v2', image: 'reg/api:v2' };
    expect(profileOf({ ...scope, share: 0.5 }).errorRate).toBe(HEALTHY.errorRate);
    expect(profileOf({ ...scope, share: 1 }).errorRate).toBe(HEALTHY.errorRate);
    t = 4999;
    expect(profileOf({ ...scope, share: 1 }).errorRate).toBe(HEALTHY.errorRate);
    t = 5000;
    expect(profileOf({ ...scope, share: 1 }).errorRate).toBe(0.3);
    t = 6000;
    expect(profileOf({ ...scope, share: 0.5 }).errorRate).toBe(HEALTHY.errorRate);
    expect(profileOf({ ...scope, share: 1 }).errorRate).toBe(HEALTHY.errorRate);
  });

  it('counts the requests its share of the traffic brings, at its version\'s 5xx ratio, in the text format', async () => {
    const w = world();
    await w.metrics.render('staging', 'p2');
    w.advance(10_000);
    const text = await w.metrics.render('staging', 'p2');
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    // 100 rps × 1/4 × 10 s = 250 requests, 8% of them 5xx.
    expect(sample(text, 'http_requests_total{service="api",version="v2",code="500"}')).toBeCloseTo(20, 6);
    expect(sample(text, 'http_requests_total{service="api",version="v2",code="200"}')).toBeCloseTo(230, 6);
    expect(sample(text, 'http_request_duration_seconds_count{service="api",version="v2"}')).toBeCloseTo(250, 6);
    expect(sample(text, 'http_request_duration_seconds_bucket{service="api",version="v2",le="+Inf"}')).toBeCloseTo(250, 6);
    // 99% of requests within the profile's p99 (120 ms): between the 0.1 and 0.15 buckets.
    expect(sample(text, 'http_request_duration_seconds_bucket{service="api",version="v2",le="0.1"}')).toBeLessThan(250 * 0.99);
    expect(sample(text, 'http_request_duration_seconds_bucket{service="api",version="v2",le="0.15"}')).toBeGreaterThan(250 * 0.99);
  });

  it('keeps its counters still while it gets no traffic, and never lowers them', async () => {
    const w = world();
    await w.metrics.render('staging', 'p1');
    w.advance(4000);
    const before = sample(await w.metrics.render('staging', 'p1'), 'http_request_duration_seconds_count{service="api",version="v1"}');
    expect(before).toBeCloseTo(300, 6);
    w.share.pods.delete('p1');
    w.advance(4000);
    expect(sample(await w.metrics.render('staging', 'p1'), 'http_request_duration_seconds_count{service="api",version="v1"}')).toBe(before);
  });

  it('is empty for a pod that never had traffic', async () => {
    const w = world();
    expect(await w.metrics.render('staging', 'nobody')).toBe('');
    expect(await w.metrics.render('production', 'p1')).toBe('');
  });
});
