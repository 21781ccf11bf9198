import { describe, expect, it } from 'vitest';
import { evaluatePromQL, parsePromQL, PromQLError, type RateSeries, type SeriesSource } from '../../src/prometheus/index.ts';

const SERIES: RateSeries[] = [
  { labels: { __name__: 'http_requests_total', service: 'api', version: 'v1', code: '200' }, ratePerSecond: 90, total: 900 },
  { labels: { __name__: 'http_requests_total', service: 'api', version: 'v1', code: '500' }, ratePerSecond: 10, total: 100 },
  { labels: { __name__: 'http_requests_total', service: 'api', version: 'v2', code: '200' }, ratePerSecond: 5, total: 50 },
  ...[['0.1', 50], ['0.5', 90], ['1', 99], ['+Inf', 100]].map(([le, n]): RateSeries => ({ labels: { __name__: 'lat_bucket', service: 'api', le: String(le) }, ratePerSecond: Number(n), total: 0 })),
];
const source: SeriesSource = async (metric) => SERIES.filter((s) => metric === undefined || s.labels.__name__ === metric);

async function scalarOf(q: string): Promise<number[]> {
  const v = await evaluatePromQL(parsePromQL(q), source);
  return v.kind === 'scalar' ? [v.value] : v.samples.map((s) => s.value);
}

describe('the simulated Prometheus PromQL subset', () => {
  it.each([
    ['sum(rate(http_requests_total{service="api",version="v1",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="api",version="v1"}[1m]))', [0.1]],
    ['sum by (version) (rate(http_requests_total[5m]))', [100, 5]],
    ['sum(rate(http_requests_total{version!="v1"}[1m])) * 2', [10]],
    ['sum(rate(http_requests_total{code!~"2.."}[1m]))', [10]],
    ['sum(increase(http_requests_total{version="v2"}[2m]))', [600]],
    ['count(http_requests_total)', [3]],
    ['sum(rate(http_requests_total{version="v9"}[1m]))', []],
    ['histogram_quantile(0.9, sum by (le) (rate(lat_bucket[1m]))) * 1000', [500]],
    ['histogram_quantile(0.7, sum(rate(lat_bucket[1m])) by (le))', [0.3]],
    ['1 + 2 * 3 - -1', [8]],
    ['vector(0)', [0]],
  ])('%s', async (q, expected) => {
    const got = await scalarOf(q);
    expect(got).toHaveLength(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it.each(['sum(rate(x[1m]', 'rate(x)', 'x{a=1}', 'nosuchfn(x)', 'x[5m]'])('%s is a bad query', async (q) => {
    await expect((async () => evaluatePromQL(parsePromQL(q), source))()).rejects.toBeInstanceOf(PromQLError);
  });
});
