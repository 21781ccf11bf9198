/** Comparison operators: any two values compare under Rego's total order (v1/topdown/comparison.go). */
import { compare, equal } from '../value.ts';
import type { Value } from '../value.ts';
import type { Builtin } from './types.ts';

function comparison(name: string, test: (a: Value, b: Value) => boolean): Builtin {
  return { name, arity: 2, impl: (args) => test(args[0]!, args[1]!) };
}

export const comparisonBuiltins: readonly Builtin[] = [
  comparison('equal', equal),
  comparison('eq', equal),
  comparison('neq', (a, b) => !equal(a, b)),
  comparison('lt', (a, b) => compare(a, b) < 0),
  comparison('lte', (a, b) => compare(a, b) <= 0),
  comparison('gt', (a, b) => compare(a, b) > 0),
  comparison('gte', (a, b) => compare(a, b) >= 0),
];
