import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../src/value.ts';
import type { Value } from '../../src/value.ts';
import { call, rows } from './call.ts';

const o = (...pairs: [Value, Value][]): RObject => new RObject(pairs);

describe('objects', () => {
  it.each(rows([
    ['object.get', [o(['a', 1]), 'a', 0], '1'],
    ['object.get', [o(['a', 1]), 'b', 0], '0'],
    ['object.get', [o(['a', o(['b', [10, 20]])]), ['a', 'b', 1], 0], '20'],
    ['object.get', [o(['a', 1]), [], 0], '{"a":1}'],
    ['object.get', [o(['a', o(['b', 1])]), ['a', 'c'], 'd'], '"d"'],
    ['object.get', [o(['a', new RSet(['x'])]), ['a', 'x'], 0], '"x"'],
    ['object.get', ['x', 'a', 0], 'eval_type_error: object.get: operand 1 must be object but got string'],
    ['object.keys', [o(['a', 1], [2, 3])], '[2,"a"]'],
    ['object.keys', ['x'], 'eval_type_error: object.keys: operand 1 must be object but got string'],
    ['object.union', [o(['a', o(['b', 1])]), o(['a', o(['c', 2])])], '{"a":{"b":1,"c":2}}'],
    ['object.union', [o(['a', o(['b', 1])]), o(['a', 3])], '{"a":3}'],
    ['object.union', [[], o()], 'eval_type_error: object.union: operand 1 must be object but got array'],
    ['object.union', [o(), []], 'eval_type_error: object.union: operand 2 must be object but got array'],
    ['object.union_n', [[o(['a', o(['b', 2])]), o(['a', 4]), o(['a', o(['c', 3])])]], '{"a":{"c":3}}'],
    ['object.union_n', [[o(['a', o(['b', 2])]), o(['a', o(['c', 3])])]], '{"a":{"b":2,"c":3}}'],
    ['object.union_n', [[]], '{}'],
    ['object.union_n', [[1]], 'eval_type_error: object.union_n: operand 1 must be array of objects but got array containing number'],
    ['object.remove', [o(['a', 1], ['b', 2]), ['a']], '{"b":2}'],
    ['object.remove', [o(['a', 1], [1, 2]), new RSet([1])], '{"a":1}'],
    ['object.remove', [o(['a', 1], ['b', 2]), o(['b', 0])], '{"a":1}'],
    ['object.filter', [o(['a', 1], ['b', 2]), ['a', 'z']], '{"a":1}'],
    ['object.filter', [o(), 'x'], 'eval_type_error: object.filter: operand 2 must be one of {object, set, array} but got string'],
    ['object.filter', [null, []], 'eval_type_error: object.filter: operand 1 must be object but got null'],
    ['object.subset', [o(['a', 1], ['b', o(['c', 2], ['d', 3])]), o(['b', o(['c', 2])])], 'true'],
    ['object.subset', [o(['a', [1, 2, 3]]), o(['a', [2, 3]])], 'true'],
    ['object.subset', [o(['a', new RSet([1, 2])]), o(['a', new RSet([3])])], 'false'],
    ['object.subset', [[1, 2, 3, 4], [2, 3]], 'true'],
    ['object.subset', [[1, 2, 3, 4], [2, 4]], 'false'],
    ['object.subset', [[1, 2, 3], new RSet([3, 1])], 'true'],
    ['object.subset', [new RSet([1, 2]), new RSet([1])], 'true'],
    ['object.subset', [[1, 2], new RSet()], 'true'],
    ['object.subset', [[], new RSet()], 'false'],
    ['object.subset', [[1, 1], new RSet([1, 2])], 'true'],
    ['object.subset', [1, 1], 'eval_type_error: object.subset: both arguments object.subset must be of the same type or array and set'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('arrays, numbers, casts and types', () => {
  it.each(rows([
    ['array.concat', [[1], [2, 3]], '[1,2,3]'],
    ['array.slice', [[1, 2, 3, 4], 1, 3], '[2,3]'],
    ['array.slice', [[1, 2, 3], -5, 10], '[1,2,3]'],
    ['array.slice', [[1, 2, 3], 2, 1], '[]'],
    ['array.reverse', [[1, 2, 3]], '[3,2,1]'],
    ['array.flatten', [[[1, 2], 'x', [[3], []], 4.5]], '[1,2,"x",[3],[],4.5]'],
    ['array.flatten', [42], 'eval_type_error: array.flatten: operand 1 must be array but got number'],
    ['numbers.range', [1, 3], '[1,2,3]'],
    ['numbers.range', [3, 1], '[3,2,1]'],
    ['numbers.range', [1.5, 3], 'eval_type_error: numbers.range: operand 1 must be integer number but got floating-point number'],
    ['numbers.range', [1, 3.5], 'eval_type_error: numbers.range: operand 2 must be integer number but got floating-point number'],
    ['numbers.range_step', [0, 10, 3], '[0,3,6,9]'],
    ['numbers.range_step', [10, 3, 2], '[10,8,6,4]'],
    ['numbers.range_step', [0, 10, 99999999999999999999n], '[0]'],
    ['numbers.range_step', [0, 10, -2], 'eval_builtin_error: numbers.range_step: step must be a positive integer'],
    ['to_number', ['-42.0'], '-42'],
    ['to_number', ['123456789012345678901234567890'], '123456789012345678901234567890'],
    ['to_number', [false], '0'],
    ['to_number', [true], '1'],
    ['to_number', [null], '0'],
    ['to_number', [100.1], '100.1'],
    ['to_number', ['broken'], 'eval_builtin_error: to_number: strconv.ParseFloat: parsing "broken": invalid syntax'],
    ['to_number', ['NaN'], 'eval_type_error: to_number: operand 1 must be valid number string but got string'],
    ['to_number', ['-Infinity'], 'eval_type_error: to_number: operand 1 must be valid number string but got string'],
    ['to_number', [[]], 'eval_type_error: to_number: operand 1 must be one of {null, boolean, number, string} but got array'],
    ['is_number', [18446744073709551617n], 'true'],
    ['is_string', [1], 'false'],
    ['is_boolean', [false], 'true'],
    ['is_array', [new RSet()], 'false'],
    ['is_set', [new RSet()], 'true'],
    ['is_object', [o()], 'true'],
    ['is_null', [null], 'true'],
    ['type_name', [new RSet()], '"set"'],
    ['type_name', [1.5], '"number"'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('to_number syntax (strconv.ParseFloat)', () => {
  it.each(rows([
    ['to_number', ['+5'], '5'],
    ['to_number', ['.5'], '0.5'],
    ['to_number', ['5.'], '5'],
    ['to_number', ['1e3'], '1000'],
    ['to_number', ['0x1p-2'], '0.25'],
    ['to_number', ['007'], '7'],
    ['to_number', ['+-inf'], 'eval_type_error: to_number: operand 1 must be valid number string but got string'],
    ['to_number', ['1e400'], 'eval_builtin_error: to_number: strconv.ParseFloat: parsing "1e400": value out of range'],
    ['to_number', [' 1'], 'eval_builtin_error: to_number: strconv.ParseFloat: parsing " 1": invalid syntax'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
