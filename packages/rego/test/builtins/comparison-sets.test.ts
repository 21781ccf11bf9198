import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../src/value.ts';
import type { Value } from '../../src/value.ts';
import { call, rows } from './call.ts';

describe('comparison', () => {
  it.each(rows([
    ['equal', [1, 1.0], 'true'],
    ['equal', [18446744073709551617n, 18446744073709551617n], 'true'],
    ['equal', [new RSet([1, 2]), new RSet([2, 1])], 'true'],
    ['neq', [1, '1'], 'true'],
    ['lt', [null, false], 'true'],
    ['lt', [1, 'a'], 'true'],
    ['lt', [[1, 2], [1, 3]], 'true'],
    ['gte', [new RObject([['a', 1]]), [1]], 'true'],
    ['gt', [18446744073709551617n, 1e19], 'true'],
    ['lte', [2, 2], 'true'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('sets and membership', () => {
  const s = (...xs: Value[]): RSet => new RSet(xs);
  it.each(rows([
    ['and', [s(1, 2, 3), s(2, 3, 4)], '[2,3]'],
    ['or', [s(1), s(2)], '[1,2]'],
    ['and', [s(1), 1], 'eval_type_error: and: operand 2 must be set but got number'],
    ['intersection', [s(s(1, 2), s(2, 3))], '[2]'],
    ['intersection', [s()], '[]'],
    ['union', [s(s(1, 2), s(2, 3))], '[1,2,3]'],
    ['union', [s(1)], 'eval_type_error: union: operand 1 must be set but got number'],
    ['intersection', [[1]], 'eval_type_error: intersection: operand 1 must be set but got array'],
    ['internal.member_2', [2, [1, 2]], 'true'],
    ['internal.member_2', [2, s(1)], 'false'],
    ['internal.member_2', [1, new RObject([['a', 1]])], 'true'],
    ['internal.member_2', [1, 'abc'], 'false'],
    ['internal.member_3', [1, 'b', ['a', 'b']], 'true'],
    ['internal.member_3', [1.0, 'b', ['a', 'b']], 'true'],
    ['internal.member_3', [1.5, 'b', ['a', 'b']], 'false'],
    ['internal.member_3', ['a', 1, new RObject([['a', 1]])], 'true'],
    ['internal.member_3', [1, 1, s(1)], 'true'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
