/** Turns a parsed ground term (e.g. `input_term: '{"a": {1, 2}}'`) into a value. */
import type { Term } from './ast/types.ts';
import { RegoError } from './errors.ts';
import { makeNumber, RObject, RSet } from './value.ts';
import type { Value } from './value.ts';

export function termToValue(t: Term): Value {
  switch (t.kind) {
    case 'scalar': return typeof t.scalar === 'number' || typeof t.scalar === 'bigint' ? makeNumber(t.scalar) : t.scalar;
    case 'array': return t.items.map(termToValue);
    case 'set': return new RSet(t.items.map(termToValue));
    case 'object': return new RObject(t.pairs.map(([k, v]) => [termToValue(k), termToValue(v)] as const));
    default: throw new RegoError('rego_parse_error', `term is not a ground value (found ${t.kind})`, t.loc);
  }
}
