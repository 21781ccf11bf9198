/** How an analysis value reads in chat: `0.08` ratio → `8%`, `950` ms → `950 ms`, absent → `no data`. */
export function formatCheckValue(value: number | undefined, unit: 'ratio' | 'ms' | 'count'): string {
  if (value === undefined) return 'no data';
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ratio': return `${Number((value * 100).toFixed(2))}%`;
    case 'ms': return `${Math.round(value)} ms`;
    case 'count': return String(Number(value.toFixed(3)));
  }
}

/**
 * One check's result as chat reads it. A metric shows its value against the limit (`error-rate 8% > 1%`); a probe,
 * whose value is only a count of pods that failed, says what the pods answered (`probe /healthz: api-7f answered 503`).
 */
export function describeCheck(c: { check: string; status: 'pass' | 'fail' | 'inconclusive'; value?: number; threshold: number; unit: 'ratio' | 'ms' | 'count'; detail?: string }): string {
  if (c.unit === 'count' && c.detail) return `${c.check}: ${c.detail}`;
  const sign = c.status === 'fail' ? '>' : c.status === 'pass' ? '≤' : 'vs';
  return `${c.check} ${formatCheckValue(c.value, c.unit)} ${sign} ${formatCheckValue(c.threshold, c.unit)}${c.status === 'inconclusive' && c.detail ? ` (${c.detail})` : ''}`;
}
