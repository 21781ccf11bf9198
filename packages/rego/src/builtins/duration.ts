/** Go's time.ParseDuration, exact in nanoseconds, with Go's error texts. */

const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX = 2n ** 63n - 1n;

export class DurationError extends Error {}

export function parseDuration(input: string): bigint {
  const q = JSON.stringify(input);
  let s = input;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return 0n;
  if (s === '') throw new DurationError(`time: invalid duration ${q}`);
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const intPart = m[1] ?? '', fracPart = m[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) throw new DurationError(`time: invalid duration ${q}`);
    s = s.slice(m[0].length);
    const u = /^[^\d.]*/.exec(s)![0];
    if (u === '') throw new DurationError(`time: missing unit in duration ${q}`);
    const unit = UNITS[u];
    if (unit === undefined) throw new DurationError(`time: unknown unit ${JSON.stringify(u)} in duration ${q}`);
    s = s.slice(u.length);
    let v = BigInt(intPart || '0') * unit;
    if (fracPart) v += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    total += v;
    if (total > MAX + (neg ? 1n : 0n)) throw new DurationError(`time: invalid duration ${q}`);
  }
  return neg ? -total : total;
}
