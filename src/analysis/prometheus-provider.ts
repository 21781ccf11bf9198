import { deadline } from './deadline.ts';
import { createHttpGet, type HttpGet } from './http-get.ts';
import type { AnalysisProvider, AnalysisTarget, Measurement } from './types.ts';

/** `{{service}}`, `{{namespace}}`, `{{version}}` in a PromQL template, filled with the target's values. */
export function renderQuery(template: string, target: AnalysisTarget): string {
  return template.replace(/\{\{\s*(service|namespace|version)\s*\}\}/g, (_m, key: 'service' | 'namespace' | 'version') => target[key]);
}

interface QueryResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Prometheus sample values are strings: "0.01", "NaN", "+Inf". */
function sampleValue(pair: unknown): number | undefined {
  if (!Array.isArray(pair) || pair.length < 2) return undefined;
  const text = String(pair[1]);
  if (text === 'NaN') return undefined;
  const n = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
  return Number.isNaN(n) ? undefined : n;
}

/**
 * Measures a PromQL expression with Prometheus' instant query API (`GET /api/v1/query`). An empty vector or NaN is
 * "no data"; several series are reduced to the largest (the worst, for the "fail above" limits we use).
 */
export function createPrometheusProvider(o: { url: string; timeoutMs?: number; get?: HttpGet }): AnalysisProvider<'prometheus'> {
  const get = o.get ?? createHttpGet();
  return {
    kind: 'prometheus',
    async measure(check, target, signal): Promise<Measurement> {
      const query = renderQuery(check.query, target);
      const url = new URL('api/v1/query', o.url.endsWith('/') ? o.url : `${o.url}/`);
      url.searchParams.set('query', query);
      let body: QueryResponse;
      const limit = deadline(signal, o.timeoutMs ?? 5_000);
      try {
        const res = await get(url, limit.signal);
        const ok = res.status >= 200 && res.status < 300;
        try {
          body = JSON.parse(res.text) as QueryResponse;
        } catch {
          // A proxy's error page, or a server that is not Prometheus: what it said, shortened, is the clue.
          return { kind: 'error', check: check.name, detail: `Prometheus answered ${res.status} with something other than JSON: ${res.text.slice(0, 120).trim() || 'an empty body'}` };
        }
        if (!ok || body.status !== 'success') return { kind: 'error', check: check.name, detail: `Prometheus answered ${res.status}: ${body.error ?? 'no error text'}` };
      } catch (err) {
        return { kind: 'error', check: check.name, detail: `Prometheus could not be queried: ${(err as Error).message}` };
      } finally {
        limit.done();
      }
      const { resultType, result } = body.data ?? {};
      let values: number[] = [];
      if (resultType === 'scalar') {
        const v = sampleValue(result);
        if (v !== undefined) values = [v];
      } else if (resultType === 'vector' && Array.isArray(result)) {
        values = result.map((s: { value?: unknown }) => sampleValue(s.value)).filter((v): v is number => v !== undefined);
      } else {
        return { kind: 'error', check: check.name, detail: `the query returned a ${resultType ?? 'missing'} result; an instant vector or scalar is needed` };
      }
      if (values.length === 0) return { kind: 'no_data', check: check.name, detail: `no series for ${target.service} ${target.version} yet` };
      return { kind: 'value', check: check.name, value: Math.max(...values) };
    },
  };
}
