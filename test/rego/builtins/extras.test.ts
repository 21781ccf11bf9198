import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../../src/rego/value.ts';
import { call, rows } from './call.ts';

const graph = new RObject([
  ['a', ['b']], ['b', new RSet(['c'])], ['c', ['a']], ['d', []],
]);

describe('bits, graph, hex and urlquery', () => {
  it.each(rows([
    ['bits.or', [5, 3], '7'],
    ['bits.and', [5, 3], '1'],
    ['bits.xor', [5, 3], '6'],
    ['bits.negate', [5], '-6'],
    ['bits.lsh', [1, 70], '1180591620717411303424'],
    ['bits.rsh', [-8, 1], '-4'],
    ['bits.lsh', [1, -1], 'eval_type_error: bits.lsh: operand 2 must be an unsigned integer number but got a negative integer'],
    ['bits.or', [1.5, 1], 'eval_type_error: bits.or: operand 1 must be integer number but got floating-point number'],
    ['graph.reachable', [graph, ['a']], '["a","b","c"]'],
    ['graph.reachable', [graph, new RSet(['d', 'z'])], '["d"]'],
    ['graph.reachable', [graph, 'a'], 'eval_type_error: graph.reachable: operand 2 must be {array, set} but got string'],
    ['graph.reachable_paths', [graph, ['a']], '[["a","b","c"]]'],
    ['graph.reachable_paths', [graph, ['d']], '[["d"]]'],
    ['hex.encode', ['hi!'], '"686921"'],
    ['hex.decode', ['686921'], '"hi!"'],
    ['hex.decode', ['6g'], "eval_builtin_error: hex.decode: encoding/hex: invalid byte: U+0067 'g'"],
    ['hex.decode', ['686'], 'eval_builtin_error: hex.decode: encoding/hex: odd length hex string'],
    ['urlquery.encode', ['a b&c=d/é'], '"a+b%26c%3Dd%2F%C3%A9"'],
    ['urlquery.decode', ['a+b%26c'], '"a b&c"'],
    ['urlquery.decode', ['%zz'], 'eval_builtin_error: urlquery.decode: invalid URL escape "%zz"'],
    ['urlquery.encode_object', [new RObject([['b', ['2', '1']], ['a', 'x y'], ['c', new RSet(['z'])]])], '"a=x+y&b=2&b=1&c=z"'],
    ['urlquery.encode_object', [new RObject([['a', 1]])], 'eval_type_error: urlquery.encode_object: operand 1 values must be string, array[string], or set[string]'],
    ['urlquery.decode_object', ['a=1&b=2&a=3&c'], '{"a":["1","3"],"b":["2"],"c":[""]}'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
