/** Casts: v1/topdown/casts.go. `to_number` keeps the string's exact decimal value, as ast.Number(s) does. */
import { makeNumber } from '../value.ts';
import type { RNumber } from '../value.ts';
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

/** Checked after trimming every leading sign, as OPA does, so "+-inf" is rejected too. */
const NOT_FINITE = new Set(['nan', 'inf', 'infinity']);
/** Go's strconv.ParseFloat decimal syntax (underscores only with a base prefix, so not accepted here). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_FLOAT = /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/;
const INTEGER = /^[+-]?\d+$/;

export function parseNumberText(s: string): RNumber | undefined {
  if (INTEGER.test(s)) return makeNumber(BigInt(s));
  if (DECIMAL.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n)) return n;
    return undefined;
  }
  if (HEX_FLOAT.test(s)) return parseHexFloat(s);
  return undefined;
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s)!;
  const mant = parseInt((m[2] ?? '') + (m[3] ?? '') || '0', 16);
  const exp = Number(m[4]) - 4 * (m[3] ?? '').length;
  return (m[1] === '-' ? -1 : 1) * mant * 2 ** exp;
}

export const castBuiltins: readonly Builtin[] = [
  define('to_number', 1, (a) => {
    const v = a.at(1);
    if (v === null) return 0;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    if (typeof v === 'string') {
      if (NOT_FINITE.has(v.replace(/^[+-]+/, '').toLowerCase())) throw a.typeErr(1, 'valid number string');
      const n = parseNumberText(v);
      if (n === undefined) {
        const why = DECIMAL.test(v) ? 'value out of range' : 'invalid syntax';
        throw a.fail(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: ${why}`);
      }
      return n;
    }
    throw a.typeErr(1, 'null', 'boolean', 'number', 'string');
  }),
];
