import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../src/value.ts';
import { call, rows, value } from './call.ts';

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

describe('json.filter, json.remove, json.patch', () => {
  const doc = new RObject([['a', new RObject([['b', 1], ['c', [10, 20, 30]]])], ['d', 'x']]);
  const op = (...p: [string, unknown][]): RObject => new RObject(p as [string, never][]);
  it.each(rows([
    ['json.filter', [doc, ['a/b', 'd']], '{"a":{"b":1},"d":"x"}'],
    ['json.filter', [doc, new RSet(['/a/c/1'])], '{"a":{"c":[20]}}'],
    ['json.filter', [doc, [['a', 'b']]], '{"a":{"b":1}}'],
    ['json.filter', [doc, ['a', 'a/b']], '{"a":{"b":1,"c":[10,20,30]}}'],
    ['json.filter', [doc, 'a'], 'eval_type_error: json.filter: operand 2 must be one of {set, array} but got string'],
    ['json.filter', [doc, [1]], 'eval_type_error: json.filter: operand 2 must be one of {set, array} containing string paths or array of path segments but got number'],
    ['json.remove', [doc, ['a/c', 'd']], '{"a":{"b":1}}'],
    ['json.remove', [doc, ['/a/c/0']], '{"a":{"b":1,"c":[20,30]},"d":"x"}'],
    ['json.patch', [doc, [op(['op', 'add'], ['path', '/a/c/-'], ['value', 40])]], '{"a":{"b":1,"c":[10,20,30,40]},"d":"x"}'],
    ['json.patch', [doc, [op(['op', 'add'], ['path', '/a/c/0'], ['value', 5])]], '{"a":{"b":1,"c":[5,10,20,30]},"d":"x"}'],
    ['json.patch', [doc, [op(['op', 'remove'], ['path', '/d'])]], '{"a":{"b":1,"c":[10,20,30]}}'],
    ['json.patch', [doc, [op(['op', 'replace'], ['path', '/a/b'], ['value', 2])]], '{"a":{"b":2,"c":[10,20,30]},"d":"x"}'],
    ['json.patch', [doc, [op(['op', 'move'], ['from', '/d'], ['path', '/e'])]], '{"a":{"b":1,"c":[10,20,30]},"e":"x"}'],
    ['json.patch', [doc, [op(['op', 'copy'], ['from', '/a/b'], ['path', '/f'])]], '{"a":{"b":1,"c":[10,20,30]},"d":"x","f":1}'],
    ['json.patch', [doc, [op(['op', 'test'], ['path', '/d'], ['value', 'y'])]], 'undefined'],
    ['json.patch', [doc, [op(['op', 'remove'], ['path', '/zz'])]], 'undefined'],
    ['json.patch', [1, [op(['op', 'replace'], ['path', ''], ['value', 2])]], '2'],
    ['json.patch', [doc, [op(['op', 'add'], ['path', null], ['value', 2])]], 'undefined'],
    ['json.patch', [['a', 'b'], [op(['op', 'test'], ['path', '/01'], ['value', 'b'])]], 'undefined'],
    ['json.patch', [new RObject([['baz', [new RObject([['qux', 'hello']])]]]), [op(['op', 'move'], ['from', '/baz/0/qux'], ['path', '/baz/1'])]], '{"baz":[{},"hello"]}'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('crypto digests and per-query random values', () => {
  it.each(rows([
    ['crypto.md5', ['abc'], '"900150983cd24fb0d6963f7d28e17f72"'],
    ['crypto.sha1', ['abc'], '"a9993e364706816aba3e25717850c26c9cd0d89d"'],
    ['crypto.sha256', ['abc'], '"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"'],
    ['crypto.hmac.sha256', ['message', 'key'], '"6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a"'],
    ['crypto.hmac.equal', ['a', 'a'], 'true'],
    ['crypto.hmac.equal', ['a', 'ab'], 'false'],
    ['rand.intn', ['x', 0], '0'],
    ['opa.runtime', [], '{}'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });

  it('rand.intn and uuid.rfc4122 are stable for the same arguments within one context', () => {
    const x = value('rand.intn', 'k', 1000);
    expect(value('rand.intn', 'k', 1000)).toBe(x);
    expect(Number(x)).toBeLessThan(1000);
    const u = value('uuid.rfc4122', 'k');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value('uuid.rfc4122', 'k')).toBe(u);
  });
});
