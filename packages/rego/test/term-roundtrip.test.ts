import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../src/eval/format-value.ts';
import { equal, fromJSON, parseTerm, RObject, RSet, termToValue } from '../src/index.ts';
import type { Value } from '../src/index.ts';

const scalar = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), fc.string({ unit: 'binary' }),
);

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((s) => fromJSON(s)),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => new RSet(xs)),
    fc.array(fc.tuple(tie('v'), tie('v')), { maxLength: 4 }).map((ps) => new RObject(ps)),
  ),
})).v;

describe('term text round trip', () => {
  it('parses what formatValue prints, for any value', () => {
    fc.assert(fc.property(value, (v) => {
      const back = termToValue(parseTerm(formatValue(v)));
      expect(equal(back, v)).toBe(true);
    }), { numRuns: 300 });
  });
});
