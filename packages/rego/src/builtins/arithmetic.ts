/** Arithmetic operators and rounding: v1/topdown/arithmetic.go. */
import { RSet, isNumber, makeNumber } from '../value.ts';
import type { RNumber, Value } from '../value.ts';
import { add, div, isInt, isZero, mul, sub, toBig } from './numeric.ts';
import { define, typeErr } from './operands.ts';
import type { Builtin } from './types.ts';

function binary(name: string, op: (x: RNumber, y: RNumber) => RNumber): Builtin {
  return define(name, 2, (a) => op(a.number(1), a.number(2)));
}

function unary(name: string, op: (x: number) => number): Builtin {
  return define(name, 1, (a) => {
    const n = a.number(1);
    if (typeof n === 'bigint') return name === 'abs' && n < 0n ? -n : n;
    return op(n);
  });
}

/** Go's arithRound: half away from zero. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x)) || 0;
}

function minus(args: readonly Value[]): Value {
  const [x, y] = args as [Value, Value];
  if (isNumber(x) && isNumber(y)) return sub(x, y);
  if (x instanceof RSet && y instanceof RSet) {
    return new RSet([...x.values()].filter((v) => !y.has(v)));
  }
  if (!isNumber(x) && !(x instanceof RSet)) throw typeErr('minus', 1, x, 'number', 'set');
  if (isNumber(y)) throw typeErr('minus', 2, y, 'set');
  throw typeErr('minus', 2, y, 'number');
}

export const arithmeticBuiltins: readonly Builtin[] = [
  binary('plus', add),
  { name: 'minus', arity: 2, impl: minus },
  binary('mul', mul),
  define('div', 2, (a) => {
    const x = a.number(1), y = a.number(2);
    if (isZero(y)) throw a.fail('divide by zero');
    return div(x, y);
  }),
  define('rem', 2, (a) => {
    const x = a.number(1), y = a.number(2);
    if (!isInt(x) || !isInt(y)) throw a.fail('modulo on floating-point number');
    if (isZero(y)) throw a.fail('modulo by zero');
    if (typeof x === 'number' && typeof y === 'number') return (x % y) + 0; // + 0 turns -0 into 0, as ints have no sign
    return makeNumber(toBig(x) % toBig(y));
  }),
  unary('abs', Math.abs),
  unary('round', roundHalfAway),
  unary('ceil', (x) => Math.ceil(x) + 0),
  unary('floor', Math.floor),
];
