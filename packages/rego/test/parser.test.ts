import { describe, expect, it } from 'vitest';
import { formatRegoErrorWithColumn, parseModule, parseQuery, parseTerm, RegoError, termToValue, toJSON, RSet } from '../src/index.ts';

function parseError(src: string): RegoError {
  try { parseModule('p.rego', src); } catch (e) { if (e instanceof RegoError) return e; throw e; }
  throw new Error('expected a parse error');
}

describe('parseModule', () => {
  it('reads package, imports and rules of every head form', () => {
    const m = parseModule('p.rego', [
      'package a.b',
      'import rego.v1',
      'import data.lib.x as y',
      'default allow := false',
      'allow if input.ok',
      'deny contains msg if { msg := "no" }',
      'obj[k] := v if { some k, v in input.o }',
      'a.b[c].d := 1 if c := "x"',
      'f(x) := x + 1',
      'g(x) if x > 1 else := false',
    ].join('\n'));
    expect(m.pkg).toEqual(['a', 'b']);
    expect(m.imports.map((i) => i.alias)).toEqual([undefined, 'y']);
    expect(m.rules).toHaveLength(7);
    expect(m.rules[0]!.isDefault).toBe(true);
    expect(m.rules[2]!.key).toBeDefined();
    expect(m.rules[4]!.ref).toHaveLength(4);
    expect(m.rules[5]!.args).toHaveLength(1);
    expect(m.rules[6]!.else).toBeDefined();
  });

  it.each([
    ['p { true }', '`if` keyword is required'],
    ['p if {', 'expected'],
    ['p := "unterminated', 'non-terminated string'],
    ['p := 1 +', 'expected a term'],
  ])('reports %j with file:row', (body, message) => {
    const e = parseError(`package x\n\n${body}`);
    expect(e.code).toBe('rego_parse_error');
    expect(e.message).toMatch(/^p\.rego:3: rego_parse_error: /);
    expect(e.message).toContain(message);
  });

  it('can show the column too', () => {
    expect(formatRegoErrorWithColumn(parseError('package x\n\np := 1 +'))).toBe('p.rego:3:9: rego_parse_error: unexpected end of input, expected a term');
  });

  it('requires a package', () => {
    expect(parseError('p := 1').message).toContain('package expected');
  });
});

describe('parseQuery', () => {
  it('splits on newlines and semicolons but not inside brackets', () => {
    expect(parseQuery('x := [\n1,\n2\n]; y = x[0]\nz := 3')).toHaveLength(3);
  });

  it('treats `with` on the next line as part of the expression', () => {
    expect(parseQuery('data.p\n  with input as 1')[0]!.withs).toHaveLength(1);
  });
});

describe('parseTerm', () => {
  it.each([
    ['{"a": {1, 2}}', { a: [1, 2] }],
    ['[1, -2.5, 1e3, null, true]', [1, -2.5, 1000, null, true]],
    ['`raw\\n`', 'raw\\n'],
    ['"esc\\n\\u0041"', 'esc\nA'],
    ['set()', []],
  ])('%s', (src, want) => {
    expect(toJSON(termToValue(parseTerm(src)))).toEqual(want);
  });

  it('keeps big integers exact', () => {
    expect(termToValue(parseTerm('12345678901234567890'))).toBe(12345678901234567890n);
  });

  it('parses sets as sets', () => {
    expect(termToValue(parseTerm('{1, 2, 1}'))).toBeInstanceOf(RSet);
  });
});
