import { describe, expect, it } from 'vitest';
import { RSet } from '../../src/value.ts';
import { equal, keyOf } from '../../src/value.ts';
import { call, rows, value } from './call.ts';

describe('arithmetic', () => {
  it.each(rows([
    ['plus', [1, 2], '3'],
    ['plus', [9007199254740991, 2], '9007199254740993'],
    ['plus', [18446744073709551617n, 1], '18446744073709551618'],
    ['plus', [1.5, 2.5], '4'],
    ['plus', [1, 'a'], 'eval_type_error: plus: operand 2 must be number but got string'],
    ['plus', [null, 1], 'eval_type_error: plus: operand 1 must be number but got null'],
    ['minus', [18446744073709551617n, 1], '18446744073709551616'],
    ['minus', [-18446744073709551617n, 1], '-18446744073709551618'],
    ['minus', [new RSet([1, 2, 3]), new RSet([2])], '[1,3]'],
    ['minus', ['a', 1], 'eval_type_error: minus: operand 1 must be one of {number, set} but got string'],
    ['minus', [new RSet([1]), 1], 'eval_type_error: minus: operand 2 must be set but got number'],
    ['minus', [1, new RSet([1])], 'eval_type_error: minus: operand 2 must be number but got set'],
    ['mul', [18446744073709551617n, 2], '36893488147419103234'],
    ['mul', [2.5, 2], '5'],
    ['div', [7, 2], '3.5'],
    ['div', [6, 3], '2'],
    ['div', [1, 0], 'eval_builtin_error: div: divide by zero'],
    ['div', [1, 0.0], 'eval_builtin_error: div: divide by zero'],
    ['div', [36893488147419103234n, 2], '18446744073709551617'],
    ['rem', [7, 3], '1'],
    ['rem', [-7, 3], '-1'],
    ['rem', [10, 18446744073709551616n], '10'],
    ['rem', [18446744073709551617n, 2], '1'],
    ['rem', [1, 0], 'eval_builtin_error: rem: modulo by zero'],
    ['rem', [1.5, 1], 'eval_builtin_error: rem: modulo on floating-point number'],
    ['abs', [-5], '5'],
    ['abs', [-18446744073709551617n], '18446744073709551617'],
    ['abs', [-1.5], '1.5'],
    ['round', [2.5], '3'],
    ['round', [-2.5], '-3'],
    ['round', [-0.4], '0'],
    ['ceil', [1.2], '2'],
    ['ceil', [-1.2], '-1'],
    ['floor', [-1.2], '-2'],
    ['floor', [18446744073709551617n], '18446744073709551617'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });

  it('treats a double beyond 2^53 as the integer value.ts keys it by, so x + 0 == x', () => {
    for (const x of [1e23, 46696454200388090, -7.000561248411177e16, 1e300]) {
      expect(equal(value('plus', x, 0)!, x)).toBe(true);
      expect(equal(value('mul', x, 1)!, x)).toBe(true);
      expect(keyOf(value('plus', x, 1)!)).not.toBe(keyOf(x));
    }
  });

  it('keeps integers within 2^53 as JS numbers and larger ones as bigints', () => {
    expect(typeof value('minus', 9007199254740993n, 2)).toBe('number');
    expect(typeof value('plus', 9007199254740991, 1)).toBe('bigint');
  });
});

describe('float arithmetic follows OPA (big.Float, shortest decimal)', () => {
  it.each(rows([
    ['plus', [0.1, 0.2], '0.3'],
    ['minus', [0.3, 0.1], '0.2'],
    ['mul', [1.1, 1.1], '1.21'],
    ['div', [0.3, 0.1], '3'],
    ['div', [1, 3], '0.3333333333333333'],
    ['div', [1e109, 1e100], '1000000000'],
    ['plus', [1e21, 1], '1000000000000000000001'],
    ['sum', [[0.1, 0.2, 0.3]], '0.6'],
    ['product', [[0.1, 3]], '0.3'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
