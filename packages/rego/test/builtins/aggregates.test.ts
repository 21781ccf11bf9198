import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../src/value.ts';
import { call, rows } from './call.ts';

describe('aggregates', () => {
  it.each(rows([
    ['count', [[1, 2]], '2'],
    ['count', ['héllo'], '5'],
    ['count', [new RObject([['a', 1]])], '1'],
    ['count', [1], 'eval_type_error: count: operand 1 must be one of {array, object, set, string} but got number'],
    ['count', [null], 'eval_type_error: count: operand 1 must be one of {array, object, set, string} but got null'],
    ['sum', [[1, 2, 3]], '6'],
    ['sum', [[18446744073709551617n, 1]], '18446744073709551618'],
    ['sum', [new RSet([18446744073709551617n, 1])], '18446744073709551618'],
    ['sum', [[1, 2.5]], '3.5'],
    ['sum', [[1, 'a']], 'eval_type_error: sum: operand 1 must be array of numbers but got array containing string'],
    ['sum', ['a'], 'eval_type_error: sum: operand 1 must be one of {set, array} but got string'],
    ['product', [[18446744073709551617n, 2]], '36893488147419103234'],
    ['product', [[1.5, 2]], '3'],
    ['product', [[]], '1'],
    ['max', [[1, 3, 2]], '3'],
    ['max', [[]], 'undefined'],
    ['min', [new RSet([3, 'a', 1])], '1'],
    ['min', [new RSet()], 'undefined'],
    ['sort', [[3, 'a', null, 1]], '[null,1,3,"a"]'],
    ['sort', [1], 'eval_type_error: sort: operand 1 must be one of {set, array} but got number'],
    ['all', [[true, true]], 'true'],
    ['all', [[true, 1]], 'false'],
    ['any', [new RSet([false, true])], 'true'],
    ['any', [[]], 'false'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
