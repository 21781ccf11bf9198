/** numbers.range and numbers.range_step: v1/topdown/numbers.go (inclusive, counting down when start > end). */
import { makeNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

function range(from: bigint, to: bigint, step: bigint): Value[] {
  const out: Value[] = [];
  if (from <= to) for (let i = from; i <= to; i += step) out.push(makeNumber(i));
  else for (let i = from; i >= to; i -= step) out.push(makeNumber(i));
  return out;
}

export const numberBuiltins: readonly Builtin[] = [
  define('numbers.range', 2, (a) => range(a.bigint(1), a.bigint(2), 1n)),
  define('numbers.range_step', 3, (a) => {
    const from = a.bigint(1), to = a.bigint(2), step = a.bigint(3);
    if (step <= 0n) throw a.fail('step must be a positive integer');
    return range(from, to, step);
  }),
];
