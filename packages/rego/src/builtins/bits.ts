/** Bitwise builtins on arbitrary-size integers (Go big.Int semantics: two's complement for negatives). */
import { makeNumber } from '../value.ts';
import { define, operandErr } from './operands.ts';
import type { Builtin } from './types.ts';

function shift(name: string, op: (x: bigint, s: bigint) => bigint): Builtin {
  return define(name, 2, (a) => {
    const x = a.bigint(1), s = a.bigint(2);
    if (s < 0n) throw operandErr(name, 2, 'must be an unsigned integer number but got a negative integer');
    return makeNumber(op(x, s));
  });
}

export const bitsBuiltins: readonly Builtin[] = [
  define('bits.or', 2, (a) => makeNumber(a.bigint(1) | a.bigint(2))),
  define('bits.and', 2, (a) => makeNumber(a.bigint(1) & a.bigint(2))),
  define('bits.xor', 2, (a) => makeNumber(a.bigint(1) ^ a.bigint(2))),
  define('bits.negate', 1, (a) => makeNumber(~a.bigint(1))),
  shift('bits.lsh', (x, s) => x << s),
  shift('bits.rsh', (x, s) => x >> s),
];
