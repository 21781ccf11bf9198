import { isPlainObject } from '../kube-types.ts';

/** What one Prometheus query returned, as Argo's prometheus provider hands it to the conditions. */
export type PrometheusResult =
  | { ok: true; value: string; result: number | number[] }
  | { ok: false; message: string };

function toNumber(text: unknown): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return typeof text === 'string' ? Number(text) : Number.NaN;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64) for the usual values: how Argo prints a sample into `value`. */
function formatSample(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Runs an instant query the way Argo's prometheus provider does (metric/provider.go → prometheus.go): a vector
 * becomes `result` = its sample values and `value` = `[v1,v2]`; a scalar becomes a number. Transport errors and
 * Prometheus' own errors are measurement errors.
 */
export async function queryPrometheus(address: string, query: string, signal?: AbortSignal): Promise<PrometheusResult> {
  let body: unknown;
  try {
    const url = `${address.replace(/\/+$/, '')}/api/v1/query?${new URLSearchParams({ query }).toString()}`;
    const res = await fetch(url, signal ? { signal } : {});
    body = await res.json();
  } catch (err) {
    return { ok: false, message: `Post "${address}/api/v1/query": ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!isPlainObject(body)) return { ok: false, message: 'Prometheus answered something that is not JSON' };
  if (body.status !== 'success' || !isPlainObject(body.data)) {
    return { ok: false, message: `${typeof body.errorType === 'string' ? body.errorType : 'error'}: ${typeof body.error === 'string' ? body.error : 'query failed'}` };
  }
  const { resultType, result } = body.data;
  if (resultType === 'scalar' && Array.isArray(result)) {
    const value = toNumber(result[1]);
    return { ok: true, value: formatSample(value), result: value };
  }
  if (resultType === 'vector' && Array.isArray(result)) {
    const values = result.map((sample) => (isPlainObject(sample) && Array.isArray(sample.value) ? toNumber(sample.value[1]) : Number.NaN));
    return { ok: true, value: `[${values.map(formatSample).join(',')}]`, result: values };
  }
  return { ok: false, message: `Prometheus metric type not supported: ${String(resultType)}` };
}
