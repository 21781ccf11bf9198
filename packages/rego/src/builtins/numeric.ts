/**
 * Arithmetic on Rego numbers as OPA does it: integers exactly (big.Int), everything else in big.Float with a
 * 64-bit mantissa, printed back as the shortest decimal. We model the float path with exact decimal arithmetic
 * on each operand's shortest decimal text, rounded once to a double at the end — so 0.1 + 0.2 is 0.3, as in
 * OPA, rather than JS's 0.30000000000000004. Results stay in `makeNumber`'s canonical form.
 */
import { keyOf, makeNumber } from '../value.ts';
import type { RNumber } from '../value.ts';

export function isInt(n: RNumber): boolean {
  return typeof n === 'bigint' || Number.isInteger(n);
}

/** value = m × 10^e */
interface Decimal { readonly m: bigint; readonly e: number }

function toDecimal(n: RNumber): Decimal {
  if (typeof n === 'bigint') return { m: n, e: 0 };
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (!match) return { m: 0n, e: 0 };
  const frac = match[3] ?? '';
  const m = BigInt(match[1]! + match[2]! + frac);
  return { m, e: Number(match[4] ?? 0) - frac.length };
}

/**
 * An integral number as a bigint. A double beyond 2^53 stands for the integer value.ts keys it by (the integer
 * its decimal text denotes, as OPA numbers are decimal text), so arithmetic agrees with `equal`: `x + 0 == x`.
 */
export function toBig(n: RNumber): bigint {
  if (typeof n === 'bigint') return n;
  return Number.isSafeInteger(n) ? BigInt(n) : BigInt(keyOf(n).slice(1));
}

function fromDecimal(d: Decimal): RNumber {
  if (d.e >= 0) return makeNumber(d.m * 10n ** BigInt(d.e));
  return Number(`${d.m}e${d.e}`);
}

function align(x: Decimal, y: Decimal): [bigint, bigint, number] {
  const e = Math.min(x.e, y.e);
  return [x.m * 10n ** BigInt(x.e - e), y.m * 10n ** BigInt(y.e - e), e];
}

/** Beyond this magnitude a float's decimal expansion is not worth materialising; doubles are as good. */
function huge(x: RNumber, y: RNumber): boolean {
  const big = (n: RNumber): boolean => typeof n === 'number' && (Math.abs(n) > 1e300 || (n !== 0 && Math.abs(n) < 1e-300));
  return big(x) || big(y) || (typeof x === 'number' && !Number.isFinite(x)) || (typeof y === 'number' && !Number.isFinite(y));
}

export function add(x: RNumber, y: RNumber): RNumber {
  if (typeof x === 'number' && typeof y === 'number' && isInt(x) && isInt(y) && Number.isSafeInteger(x + y)) return x + y;
  if (isInt(x) && isInt(y) && !huge(x, y)) return makeNumber(toBig(x) + toBig(y));
  if (huge(x, y)) return Number(x) + Number(y);
  const [a, b, e] = align(toDecimal(x), toDecimal(y));
  return fromDecimal({ m: a + b, e });
}

export function sub(x: RNumber, y: RNumber): RNumber {
  return add(x, neg(y));
}

export function mul(x: RNumber, y: RNumber): RNumber {
  if (typeof x === 'number' && typeof y === 'number' && isInt(x) && isInt(y) && Number.isSafeInteger(x * y)) return x * y;
  if (isInt(x) && isInt(y) && !huge(x, y)) return makeNumber(toBig(x) * toBig(y));
  if (huge(x, y)) return Number(x) * Number(y);
  const a = toDecimal(x), b = toDecimal(y);
  return fromDecimal({ m: a.m * b.m, e: a.e + b.e });
}

export function isZero(n: RNumber): boolean {
  return typeof n === 'bigint' ? n === 0n : n === 0;
}

const QUOTIENT_DIGITS = 25;

/** Quotient; the caller has rejected a zero divisor. Exact when an integer divides an integer. */
export function div(x: RNumber, y: RNumber): RNumber {
  if (isInt(x) && isInt(y) && !huge(x, y)) {
    const bx = toBig(x), by = toBig(y);
    if (bx !== 0n && bx % by === 0n) return makeNumber(bx / by);
  }
  if (huge(x, y) || isZero(x)) return Number(x) / Number(y);
  const a = toDecimal(x), b = toDecimal(y);
  // a.m·10^a.e / (b.m·10^b.e), carried to enough digits that the final rounding to a double is the only one.
  const digits = (v: bigint): number => (v < 0n ? -v : v).toString().length;
  const shift = Math.max(0, QUOTIENT_DIGITS - digits(a.m) + digits(b.m));
  const q = (a.m * 10n ** BigInt(shift)) / b.m;
  const exact = (a.m * 10n ** BigInt(shift)) % b.m === 0n;
  const r = fromDecimal({ m: q, e: a.e - b.e - shift });
  // An exact integral quotient of non-integers (0.3 / 0.1) is an integer, as FloatToNumber prints it.
  return exact && typeof r === 'number' && Number.isInteger(r) ? makeNumber(BigInt(r)) : r;
}

export function neg(x: RNumber): RNumber {
  return typeof x === 'bigint' ? makeNumber(-x) : -x;
}

/** Number to bigint, truncating toward zero (Go's big.Float.Int). */
export function truncToBig(n: RNumber): bigint {
  return typeof n === 'bigint' ? n : toBig(Math.trunc(n));
}
