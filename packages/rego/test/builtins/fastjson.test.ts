import { describe, expect, it } from 'vitest';
import { fastGet, fastString, parseFast } from '../../src/builtins/fastjson.ts';
import type { FastParse } from '../../src/builtins/fastjson.ts';

const errorOf = (p: FastParse): string => ('error' in p ? p.error : 'parsed');
const typeOf = (p: FastParse): string => ('value' in p ? p.value.t : p.error);

describe('parseFast reads JSON as valyala/fastjson does (the JWS header reader OPA uses)', () => {
  it.each([
    ['e', 'number'],
    ['1-2+3', 'number'],
    ['  -Inf ', 'number'],
    ['NaN', 'number'],
    ['null', 'null'],
    ['[]', 'array'],
    ['{"a": [true, false, null]}', 'object'],
  ])('accepts %j as %s', (text, type) => {
    expect(typeOf(parseFast(text))).toBe(type);
  });

  it.each([
    ['', 'cannot parse JSON: cannot parse empty string; unparsed tail: ""'],
    ['x', 'cannot parse JSON: cannot parse number: unexpected char: "x"; unparsed tail: "x"'],
    ['nope', 'cannot parse JSON: unexpected value found: "nope"; unparsed tail: "nope"'],
    ['{"a" 1}', `cannot parse JSON: cannot parse object: missing ':' after object key; unparsed tail: "1}"`],
    ['{"a": 1', 'cannot parse JSON: cannot parse object: unexpected end of object; unparsed tail: ""'],
    ['{"a": "b', `cannot parse JSON: cannot parse object: cannot parse object value: cannot parse string: missing closing '"'; unparsed tail: ""`],
    ['[1,]', 'cannot parse JSON: cannot parse array: cannot parse array value: cannot parse number: unexpected char: "]"; unparsed tail: "]"'],
    ['{} {}', 'unexpected tail: "{}"'],
  ])('rejects %j with fastjson\'s message', (text, message) => {
    expect(errorOf(parseFast(text))).toBe(message);
  });

  it('abbreviates a long unparsed tail by its ends', () => {
    const tail = `${'a'.repeat(50)}${'b'.repeat(50)}`;
    expect(errorOf(parseFast(`[1 ${tail}]`))).toContain(`unparsed tail: "${'a'.repeat(40)}...${'b'.repeat(39)}]"`);
  });

  it('refuses nesting deeper than 300', () => {
    expect(typeOf(parseFast(`${'['.repeat(300)}${']'.repeat(300)}`))).toBe('array');
    expect(errorOf(parseFast(`${'['.repeat(301)}${']'.repeat(301)}`))).toContain('too big depth for the nested JSON; it exceeds 300');
  });

  it('finds the first of duplicate keys and undoes escapes best-effort', () => {
    const p = parseFast(String.raw`{"k": "first", "k": "second", "\u0065sc": "a\tb\qc\u00e9"}`);
    if (!('value' in p)) throw new Error(p.error);
    const first = fastGet(p.value, 'k');
    const esc = fastGet(p.value, 'esc');
    expect(first && fastString(first)).toBe('first');
    expect(esc && fastString(esc)).toBe('a\tb\\qcé');
    expect(fastGet(p.value, 'missing')).toBeUndefined();
  });
});
