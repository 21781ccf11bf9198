import { describe, expect, it } from 'vitest';
import { createPrometheusProvider, renderQuery, type CheckSpec } from '../../src/analysis/index.ts';
import type { HttpGet } from '../../src/analysis/http-get.ts';

const CHECK: Extract<CheckSpec, { kind: 'prometheus' }> = { kind: 'prometheus', name: 'error-rate', query: 'sum(rate(x{service="{{service}}",namespace="{{ namespace }}",version="{{version}}"}[1m]))', failAbove: 0.01, unit: 'ratio' };
const TARGET = { service: 'api', namespace: 'staging', version: 'v1.5.0', podLabels: {} };

function answering(body: unknown, status = 200): { get: HttpGet; urls: string[] } {
  const urls: string[] = [];
  return { urls, get: async (url) => { urls.push(String(url)); return { status, text: typeof body === 'string' ? body : JSON.stringify(body) }; } };
}

describe('prometheus provider: measurements from /api/v1/query, no judgement', () => {
  it('templates the query with service, namespace and version', () => {
    expect(renderQuery(CHECK.query, TARGET)).toBe('sum(rate(x{service="api",namespace="staging",version="v1.5.0"}[1m]))');
  });

  it.each([
    ['a vector sample', { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.01'] }] } }, { kind: 'value', value: 0.01 }],
    ['several series: the largest', { status: 'success', data: { resultType: 'vector', result: [{ metric: { a: '1' }, value: [1, '0.2'] }, { metric: { a: '2' }, value: [1, '0.7'] }] } }, { kind: 'value', value: 0.7 }],
    ['a scalar', { status: 'success', data: { resultType: 'scalar', result: [1, '3'] } }, { kind: 'value', value: 3 }],
    ['an empty vector is no data', { status: 'success', data: { resultType: 'vector', result: [] } }, { kind: 'no_data' }],
    ['NaN (0/0) is no data', { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'NaN'] }] } }, { kind: 'no_data' }],
    ['+Inf is a value', { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '+Inf'] }] } }, { kind: 'value', value: Infinity }],
    ['a matrix is refused', { status: 'success', data: { resultType: 'matrix', result: [] } }, { kind: 'error' }],
  ])('%s', async (_name, body, expected) => {
    const { get, urls } = answering(body);
    const m = await createPrometheusProvider({ url: 'http://prom:9090', get }).measure(CHECK, TARGET, new AbortController().signal);
    expect(m).toMatchObject({ check: 'error-rate', ...expected });
    expect(new URL(urls[0]!).pathname).toBe('/api/v1/query');
    expect(new URL(urls[0]!).searchParams.get('query')).toContain('version="v1.5.0"');
  });

  it('an error answer or an unreachable server is an error measurement, not a throw', async () => {
    const bad = answering({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 400);
    expect(await createPrometheusProvider({ url: 'http://prom:9090', get: bad.get }).measure(CHECK, TARGET, new AbortController().signal))
      .toMatchObject({ kind: 'error', detail: 'Prometheus answered 400: parse error' });
    const down: HttpGet = async () => { throw new Error('connect ECONNREFUSED 10.0.0.9:9090'); };
    expect(await createPrometheusProvider({ url: 'http://prom:9090', get: down }).measure(CHECK, TARGET, new AbortController().signal))
      .toMatchObject({ kind: 'error', detail: 'Prometheus could not be queried: connect ECONNREFUSED 10.0.0.9:9090' });
    const proxy = answering('<html><body>502 Bad Gateway</body></html>', 502);
    expect(await createPrometheusProvider({ url: 'http://prom:9090', get: proxy.get }).measure(CHECK, TARGET, new AbortController().signal))
      .toMatchObject({ kind: 'error', detail: 'Prometheus answered 502 with something other than JSON: <html><body>502 Bad Gateway</body></html>' });
  });
});
