/** Type predicates and type_name: v1/topdown/type.go and type_name.go. */
import { RObject, RSet, isNumber, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import type { Builtin } from './types.ts';

/** OPA's is_* return false (not undefined) for other types. */
function check(name: string, test: (v: Value) => boolean): Builtin {
  return { name, arity: 1, impl: (args) => test(args[0]!) };
}

export const typeCheckBuiltins: readonly Builtin[] = [
  check('is_number', isNumber),
  check('is_string', (v) => typeof v === 'string'),
  check('is_boolean', (v) => typeof v === 'boolean'),
  check('is_array', Array.isArray),
  check('is_set', (v) => v instanceof RSet),
  check('is_object', (v) => v instanceof RObject),
  check('is_null', (v) => v === null),
  { name: 'type_name', arity: 1, impl: (args) => typeName(args[0]!) },
];
