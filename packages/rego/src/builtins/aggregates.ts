/** Aggregates over collections: v1/topdown/aggregates.go. */
import { RObject, RSet, compare, isNumber } from '../value.ts';
import type { RNumber, Value } from '../value.ts';
import { add, mul } from './numeric.ts';
import { define, elementErr } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

/** The elements of an array or set operand (sets in sorted order), or OPA's type error. */
function collection(a: Operands, ...expected: string[]): Value[] {
  const v = a.at(1);
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  throw a.typeErr(1, ...expected);
}

function fold(a: Operands, init: RNumber, op: (x: RNumber, y: RNumber) => RNumber): RNumber {
  const items = collection(a, 'set', 'array');
  let acc = init;
  for (const x of items) {
    if (!isNumber(x)) throw elementErr(a.name, 1, a.at(1), x, 'number');
    acc = op(acc, x);
  }
  return acc;
}

export const aggregateBuiltins: readonly Builtin[] = [
  define('count', 1, (a) => {
    const v = a.at(1);
    if (Array.isArray(v)) return v.length;
    if (v instanceof RSet || v instanceof RObject) return v.size;
    if (typeof v === 'string') return [...v].length;
    throw a.typeErr(1, 'array', 'object', 'set', 'string');
  }),
  define('sum', 1, (a) => fold(a, 0, add)),
  define('product', 1, (a) => fold(a, 1, mul)),
  define('max', 1, (a) => {
    const items = collection(a, 'set', 'array');
    if (items.length === 0) return undefined;
    return items.reduce((m, x) => (compare(m, x) <= 0 ? x : m));
  }),
  define('min', 1, (a) => {
    const items = collection(a, 'set', 'array');
    if (items.length === 0) return undefined;
    return items.reduce((m, x) => (compare(m, x) >= 0 ? x : m));
  }),
  define('sort', 1, (a) => [...collection(a, 'set', 'array')].sort(compare)),
  define('all', 1, (a) => collection(a, 'array', 'set').every((x) => x === true)),
  define('any', 1, (a) => collection(a, 'array', 'set').some((x) => x === true)),
];
