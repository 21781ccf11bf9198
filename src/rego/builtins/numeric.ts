/**
 * Exact-where-possible arithmetic on Rego numbers. OPA computes integers exactly (big.Int) and everything
 * else as floats; we do the same with bigint and JS doubles, keeping results in `makeNumber`'s canonical form.
 */
import { makeNumber } from '../value.ts';
import type { RNumber } from '../value.ts';

export function isInt(n: RNumber): boolean {
  return typeof n === 'bigint' || Number.isInteger(n);
}

function safe(n: number): boolean {
  return Number.isSafeInteger(n);
}

export function add(x: RNumber, y: RNumber): RNumber {
  if (typeof x === 'number' && typeof y === 'number' && !(isInt(x) && isInt(y) && !safe(x + y))) return x + y;
  if (isInt(x) && isInt(y)) return makeNumber(BigInt(x) + BigInt(y));
  return Number(x) + Number(y);
}

export function sub(x: RNumber, y: RNumber): RNumber {
  if (typeof x === 'number' && typeof y === 'number' && !(isInt(x) && isInt(y) && !safe(x - y))) return x - y;
  if (isInt(x) && isInt(y)) return makeNumber(BigInt(x) - BigInt(y));
  return Number(x) - Number(y);
}

export function mul(x: RNumber, y: RNumber): RNumber {
  if (typeof x === 'number' && typeof y === 'number' && !(isInt(x) && isInt(y) && !safe(x * y))) return x * y;
  if (isInt(x) && isInt(y)) return makeNumber(BigInt(x) * BigInt(y));
  return Number(x) * Number(y);
}

export function isZero(n: RNumber): boolean {
  return typeof n === 'bigint' ? n === 0n : n === 0;
}

/** Quotient; the caller has rejected a zero divisor. Exact when an integer divides an integer. */
export function div(x: RNumber, y: RNumber): RNumber {
  if (isInt(x) && isInt(y)) {
    const bx = BigInt(x), by = BigInt(y);
    if (bx !== 0n && bx % by === 0n) return makeNumber(bx / by);
  }
  return Number(x) / Number(y);
}

export function neg(x: RNumber): RNumber {
  return typeof x === 'bigint' ? makeNumber(-x) : -x;
}

/** Number to bigint, truncating toward zero (Go's big.Float.Int). */
export function truncToBig(n: RNumber): bigint {
  return typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
}
