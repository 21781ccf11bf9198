/**
 * units.parse and units.parse_bytes: v1/topdown/parse_units.go and parse_bytes.go. Amounts are parsed as
 * exact rationals (as Go's big.Rat), so "0.0005K" is exactly 0.5.
 */
import { makeNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

const K = 1000n, KI = 1024n;
const SI: Record<string, bigint> = { k: K, m: K ** 2n, g: K ** 3n, t: K ** 4n, p: K ** 5n, e: K ** 6n };
const BINARY: Record<string, bigint> = { k: KI, m: KI ** 2n, g: KI ** 3n, t: KI ** 4n, p: KI ** 5n, e: KI ** 6n };
const MAX_EXPONENT_DIGITS = 6;

interface Rat { num: bigint; den: bigint }

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** OPA's extractNumAndUnit; 'too-large' when an exponent has more than six digits. */
function splitAmount(s: string): [string, string] | 'too-large' {
  let first = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!isDigit(c) && c !== '.' && c !== 'e' && c !== 'E' && c !== '+' && c !== '-') { first = i; break; }
    if (c === 'e' || c === 'E') {
      const n = s[i + 1];
      if (i === s.length - 1 || (!isDigit(n) && n !== '+' && n !== '-')) { first = i; break; }
      if (n === '+' || n === '-') i++;
      let end = i + 1;
      while (end < s.length && isDigit(s[end])) end++;
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) return 'too-large';
    }
  }
  if (first === -1) return [s, ''];
  return [s.slice(0, first), s.slice(first)];
}

/** Go's big.Rat.SetString for decimal text with an optional exponent. */
function parseRat(s: string): Rat | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  let num = BigInt((m[2] || '0') + frac);
  let den = 10n ** BigInt(frac.length);
  const exp = Number(m[4] ?? 0);
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den *= 10n ** BigInt(-exp);
  if (m[1] === '-') num = -num;
  return { num, den };
}

/** big.Rat.FloatString(10) read back as a number: rounded half away from zero at ten decimals. */
function ratToNumber(r: Rat): Value {
  if (r.num % r.den === 0n) return makeNumber(r.num / r.den);
  const scale = 10n ** 10n;
  const neg = r.num < 0n;
  const abs = neg ? -r.num : r.num;
  const scaled = (abs * scale * 2n + r.den) / (2n * r.den);
  const text = `${neg ? '-' : ''}${scaled / scale}.${(scaled % scale).toString().padStart(10, '0')}`;
  return Number(text);
}

export const unitBuiltins: readonly Builtin[] = [
  define('units.parse', 1, (a) => {
    const s = a.string(1).replaceAll('"', '');
    const fail = (msg: string): Error => a.fail(msg);
    if (s.includes(' ')) throw fail('spaces not allowed in resource strings');
    const parts = splitAmount(s);
    if (parts === 'too-large') throw fail('exponent too large');
    const [amount, rawUnit] = parts;
    if (amount === '') throw fail('no amount provided');
    // Only the first letter keeps its case, so that 'm' (milli) and 'M' (mega) differ.
    const unit = rawUnit.length > 1 ? rawUnit[0]! + rawUnit.slice(1).toLowerCase() : rawUnit;
    let mul: Rat;
    if (unit === 'm') mul = { num: 1n, den: 1000n };
    else if (unit === '') mul = { num: 1n, den: 1n };
    else if (/^[kKgGtTpPeE]$/.test(unit) || unit === 'M') mul = { num: SI[unit.toLowerCase()]!, den: 1n };
    else if (/^[kmgtpeKMGTPE]i$/.test(unit)) mul = { num: BINARY[unit[0]!.toLowerCase()]!, den: 1n };
    else throw fail(`unit ${unit} not recognized`);
    const r = parseRat(amount);
    if (!r) throw fail('could not parse amount to a number');
    return ratToNumber({ num: r.num * mul.num, den: r.den * mul.den });
  }),
  define('units.parse_bytes', 1, (a) => {
    const s = a.string(1).toLowerCase().replaceAll('"', '');
    const fail = (msg: string): Error => a.fail(msg);
    if (s.includes(' ')) throw fail('spaces not allowed in resource strings');
    const parts = splitAmount(s);
    if (parts === 'too-large') throw fail('exponent too large');
    const [amount, unit] = parts;
    if (amount === '') throw fail('no byte amount provided');
    let mul: bigint;
    const m = /^([kmgtpe])(i?)b?$/.exec(unit);
    if (unit === '') mul = 1n;
    else if (m && !(m[2] === '' && unit.length === 3)) mul = (m[2] ? BINARY : SI)[m[1]!]!;
    else throw fail(`byte unit ${unit} not recognized`);
    const r = parseRat(amount);
    if (!r) throw fail('could not parse byte amount to a number');
    return makeNumber((r.num * mul) / r.den);
  }),
];
