import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../src/value.ts';
import { call, rows, value } from './call.ts';

describe('units', () => {
  it.each(rows([
    ['units.parse', ['500m'], '0.5'],
    ['units.parse', ['0.0005K'], '0.5'],
    ['units.parse', ['1.1Ki'], '1126.4'],
    ['units.parse', ['"100TI"'], '109951162777600'],
    ['units.parse', ['10KI'], '10240'],
    ['units.parse', ['.5K'], '500'],
    ['units.parse', ['1e3'], '1000'],
    ['units.parse', ['200M'], '200000000'],
    ['units.parse', [''], 'eval_builtin_error: units.parse: no amount provided'],
    ['units.parse', ['G'], 'eval_builtin_error: units.parse: no amount provided'],
    ['units.parse', ['0.0.0'], 'eval_builtin_error: units.parse: could not parse amount to a number'],
    ['units.parse', ['100 k'], 'eval_builtin_error: units.parse: spaces not allowed in resource strings'],
    ['units.parse', ['10e10000000Ei'], 'eval_builtin_error: units.parse: exponent too large'],
    ['units.parse', ['10Q'], 'eval_builtin_error: units.parse: unit Q not recognized'],
    ['units.parse_bytes', ['1.1KiB'], '1126'],
    ['units.parse_bytes', ['12MB'], '12000000'],
    ['units.parse_bytes', ['"5 gib"'], 'eval_builtin_error: units.parse_bytes: spaces not allowed in resource strings'],
    ['units.parse_bytes', ['100eib'], '115292150460684697600'],
    ['units.parse_bytes', ['foo'], 'eval_builtin_error: units.parse_bytes: no byte amount provided'],
    ['units.parse_bytes', ['1.2.3kb'], 'eval_builtin_error: units.parse_bytes: could not parse byte amount to a number'],
    ['units.parse_bytes', ['5xb'], 'eval_builtin_error: units.parse_bytes: byte unit xb not recognized'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('json and yaml', () => {
  const opts = (...p: [string, string | boolean][]): RObject => new RObject(p);
  it.each(rows([
    ['json.marshal', [[new RObject([['foo', new RSet([3, 1, 2])]])]], '"[{\\"foo\\":[1,2,3]}]"'],
    ['json.marshal', ['<&>'], '"\\"\\\\u003c\\\\u0026\\\\u003e\\""'],
    ['json.marshal', [[18446744073709551617n]], '"[18446744073709551617]"'],
    ['json.marshal_with_options', [[1, 2], opts(['indent', '  '])], '"[\\n  1,\\n  2\\n]"'],
    ['json.marshal_with_options', [[1, 2], opts()], '"[1,2]"'],
    ['json.marshal_with_options', [[1], opts(['pretty', false], ['prefix', 'NO!'])], '"[1]"'],
    ['json.marshal_with_options', [[], opts(['indent', '    '], ['prefix', '---'])], '"---[]"'],
    ['json.marshal_with_options', [new RObject([['b', 1], ['a', 2]]), opts(['prefix', '> '])], '"> {\\n> \\t\\"a\\": 2,\\n> \\t\\"b\\": 1\\n> }"'],
    ['json.marshal_with_options', [[], opts(['x', true])], 'eval_type_error: json.marshal_with_options: operand 2 object contained unknown key "x"'],
    ['json.unmarshal', ['{"a": [1, 2.5, "x", null, true]}'], '{"a":[1,2.5,"x",null,true]}'],
    ['json.unmarshal', ['123456789012345678901234567890'], '123456789012345678901234567890'],
    ['json.unmarshal', [''], 'eval_builtin_error: json.unmarshal: unexpected end of JSON input'],
    ['json.unmarshal', ['{"a": 1'], 'eval_builtin_error: json.unmarshal: unexpected end of JSON input'],
    ['json.unmarshal', ['x'], "eval_builtin_error: json.unmarshal: invalid character 'x' looking for beginning of value"],
    ['json.unmarshal', ['[1,]'], "eval_builtin_error: json.unmarshal: invalid character ']' looking for beginning of value"],
    ['json.unmarshal', ['{"a" 1}'], "eval_builtin_error: json.unmarshal: invalid character '1' after object key"],
    ['json.unmarshal', ['[1 2]'], "eval_builtin_error: json.unmarshal: invalid character '2' after array element"],
    ['json.unmarshal', ['1 2'], "eval_builtin_error: json.unmarshal: invalid character '2' after top-level value"],
    ['json.unmarshal', ['{"a":1,}'], "eval_builtin_error: json.unmarshal: invalid character '}' looking for beginning of object key string"],
    ['json.is_valid', ['{"a": 1}'], 'true'],
    ['json.is_valid', ['{"a": 1'], 'false'],
    ['json.is_valid', [1], 'false'],
    ['yaml.unmarshal', ['a: 1\nb: [x, 2]'], '{"a":1,"b":["x",2]}'],
    ['yaml.unmarshal', ['1: x'], '{"1":"x"}'],
    ['yaml.unmarshal', ['[1,2,3'], "eval_builtin_error: yaml.unmarshal: yaml: line 1: did not find expected ',' or ']'"],
    ['yaml.is_valid', ['a: [1'], 'false'],
    ['yaml.is_valid', ['a: 1'], 'true'],
    ['yaml.is_valid', [1], 'false'],
    ['yaml.marshal', [new RObject([['foo', [1, 2]]])], '"foo:\\n- 1\\n- 2\\n"'],
    // `<<` resolves to the merge tag in go-yaml v2, so it quotes it; read back quoted, it is an ordinary key.
    ['yaml.marshal', [new RObject([['<<', 0]])], '"\\"<<\\": 0\\n"'],
    ['yaml.unmarshal', ['"<<": 0'], '{"<<":0}'],
    ['yaml.unmarshal', ['<<: 0'], 'eval_builtin_error: yaml.unmarshal: yaml: map merge requires map or sequence of maps as the value'],
    ['yaml.is_valid', ['<<: 0'], 'false'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });

  it('yaml.marshal quotes as go-yaml v2: double for type-ambiguous strings, single for syntax', () => {
    const obj = new RObject([['b', 'a: b'], ['d', '123'], ['k', 'plain'], ['l', ''], ['y', 'yes']]);
    expect(value('yaml.marshal', obj)).toBe('b: \'a: b\'\nd: "123"\nk: plain\nl: ""\n"y": "yes"\n');
  });

  it('keeps a "__proto__" key in json and yaml text', () => {
    const obj = new RObject([['__proto__', 1], [2, 'x']]);
    expect(call('json.marshal', obj)).toBe('"{\\"2\\":\\"x\\",\\"__proto__\\":1}"');
    expect(value('yaml.marshal', obj)).toBe('"2": x\n__proto__: 1\n');
    expect(value('yaml.marshal', new RObject([['9', 1], ['10', 2], ['a', 3]]))).toBe('"10": 2\n"9": 1\na: 3\n');
  });

  it('yaml.marshal then yaml.unmarshal round-trips sets as arrays', () => {
    const text = value('yaml.marshal', [new RObject([['foo', new RSet([1, 2, 3])]])])!;
    expect(call('yaml.unmarshal', text)).toBe('[{"foo":[1,2,3]}]');
  });
});

describe('net and semver', () => {
  it.each(rows([
    ['net.cidr_contains', ['10.0.0.0/8', '10.1.2.3'], 'true'],
    ['net.cidr_contains', ['10.0.0.0/8', '10.1.0.0/16'], 'true'],
    ['net.cidr_contains', ['10.0.0.0/8', '11.0.0.0/24'], 'false'],
    ['net.cidr_contains', ['2001:db8::/32', '2001:db8:1::1'], 'true'],
    ['net.cidr_contains', ['10.0.0.0/8', '::ffff:10.0.0.1'], 'true'],
    ['net.cidr_contains', ['10.0.0.0/33', '10.0.0.1'], 'eval_builtin_error: net.cidr_contains: invalid CIDR address: 10.0.0.0/33'],
    ['net.cidr_intersects', ['192.168.0.0/16', '192.168.1.0/24'], 'true'],
    ['net.cidr_intersects', ['192.168.0.0/24', '192.168.1.0/24'], 'false'],
    ['semver.is_valid', ['1.0.0'], 'true'],
    ['semver.is_valid', ['1.0.0-rc.1+build.5'], 'true'],
    ['semver.is_valid', ['1'], 'false'],
    ['semver.is_valid', ['01.0.0'], 'false'],
    ['semver.is_valid', [1], 'false'],
    ['semver.compare', ['1.0.0', '2.0.0'], '-1'],
    ['semver.compare', ['1.0.0-alpha', '1.0.0'], '-1'],
    ['semver.compare', ['1.0.0-alpha.10', '1.0.0-alpha.9'], '1'],
    ['semver.compare', ['1.0.0-alpha', '1.0.0-alpha.1'], '-1'],
    ['semver.compare', ['1.2.3+a', '1.2.3+b'], '0'],
    ['semver.compare', ['x', '1.0.0'], 'eval_builtin_error: semver.compare: operand 1: string "x" is not a valid SemVer'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('yaml follows go-yaml v2 (YAML 1.1)', () => {
  it.each(rows([
    ['yaml.unmarshal', ['a: yes\nb: off\nc: 0777'], '{"a":true,"b":false,"c":511}'],
    ['yaml.unmarshal', ['d: 2001-12-14\nt: 1:20'], '{"d":"2001-12-14","t":"1:20"}'],
    ['yaml.unmarshal', [''], 'null'],
    ['yaml.marshal', [new RObject([['a', 'yes'], ['n', 'x'], ['e', 'multi\nline']])], '"a: \\"yes\\"\\ne: |-\\n  multi\\n  line\\n\\"n\\": x\\n"'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('net extras', () => {
  it.each(rows([
    ['net.cidr_contains', ['10.0.0.0/8', 'nope'], 'eval_builtin_error: net.cidr_contains: not a valid textual representation of an IP address or CIDR: nope'],
    ['net.cidr_is_valid', ['10.0.0.0/8'], 'true'],
    ['net.cidr_is_valid', ['10.0.0.0'], 'false'],
    ['net.cidr_is_valid', [1], 'false'],
    ['net.cidr_expand', ['192.168.1.0/31'], '["192.168.1.0","192.168.1.1"]'],
    ['net.cidr_expand', ['2001:db8::/127'], '["2001:db8::","2001:db8::1"]'],
    ['net.cidr_contains_matches', [['10.0.0.0/8', '192.168.0.0/16'], '10.1.2.3'], '[[0,"10.1.2.3"]]'],
    ['net.cidr_contains_matches', [new RObject([['a', '10.0.0.0/8']]), new RSet(['10.1.0.0/16', '11.0.0.1'])], '[["a","10.1.0.0/16"]]'],
    ['net.cidr_contains_matches', [[1], 'x'], 'eval_builtin_error: net.cidr_contains_matches: operand 1: element must be string or non-empty array'],
    ['net.cidr_merge', [['192.0.128.0/24', '192.0.129.0/24']], '["192.0.128.0/23"]'],
    ['net.cidr_merge', [['10.0.0.0/8', '10.1.0.0/16', '2001:db8::/32']], '["10.0.0.0/8","2001:db8::/32"]'],
    ['net.cidr_merge', [['192.168.1.1']], '["192.168.1.1/24"]'],
    ['net.cidr_merge', [['10.0.0.0/32', '10.0.0.1/32', '10.0.0.2/32']], '["10.0.0.0/31","10.0.0.2/32"]'],
    ['net.cidr_merge', [['::1']], 'eval_builtin_error: net.cidr_merge: IPv6 invalid: needs prefix length'],
    ['net.cidr_merge', [['2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64', '2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128']], '["2601:600:8a80:207e::/64"]'],
    ['net.cidr_merge', [['2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128', '2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128']], '["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"]'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
