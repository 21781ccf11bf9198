/**
 * Exact decimal arithmetic for JSON Schema's numeric keywords. gojsonschema compares numbers as big.Rat built
 * from the number's decimal text, so `0.3` is a multiple of `0.1` there and must be here too.
 */
import type { RNumber } from '../value.ts';
import { formatNumber } from './rego-text.ts';

export interface Rat { readonly num: bigint; readonly den: bigint }

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a, y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Parses JSON number text (`-12.5e3`) exactly. */
export function ratFromText(text: string): Rat {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a JSON number: ${text}`);
  const frac = m[3] ?? '';
  let num = BigInt(m[2]! + frac);
  let den = 10n ** BigInt(frac.length);
  const exp = Number(m[4] ?? 0);
  if (exp > 0) num *= 10n ** BigInt(exp);
  else if (exp < 0) den *= 10n ** BigInt(-exp);
  if (m[1] === '-') num = -num;
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

export function ratOf(n: RNumber): Rat {
  return ratFromText(formatNumber(n));
}

export function cmpRat(a: Rat, b: Rat): number {
  const l = a.num * b.den, r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Whether a / b is an integer (b is never zero: the schema rejects multipleOf <= 0). */
export function isMultiple(a: Rat, b: Rat): boolean {
  return (a.num * b.den) % (b.num * a.den) === 0n;
}

export function isIntegerRat(r: Rat): boolean {
  return r.den === 1n;
}
