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
