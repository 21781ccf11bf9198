import { describe, expect, it } from 'vitest';
import { call, rows } from './call.ts';

describe('regex (Go RE2 semantics)', () => {
  it.each(rows([
    ['regex.match', ['^a+$', 'aaa'], 'true'],
    ['regex.match', ['(?i)^abc$', 'ABC'], 'true'],
    ['regex.match', ['a(?i)b', 'aB'], 'true'],
    ['regex.match', ['^a(?i:b)c$', 'aBc'], 'true'],
    ['regex.match', ['^a.c$', 'a\rc'], 'true'],
    ['regex.match', ['^a.c$', 'a\nc'], 'false'],
    ['regex.match', ['(?s)^a.c$', 'a\nc'], 'true'],
    ['regex.match', ['^abc\\z', 'abc'], 'true'],
    ['regex.match', ['\\Aabc', 'xabc'], 'false'],
    ['regex.match', ['^\\s$', '\u00a0'], 'false'],
    ['regex.match', ['^[[:alpha:]]+$', 'abcXYZ'], 'true'],
    ['regex.match', ['^(?P<first>\\w+)$', 'abc'], 'true'],
    ['regex.match', ['^\\pL+$', 'héllo'], 'true'],
    ['regex.match', ['^a{2}$', 'aa'], 'true'],
    ['regex.match', ['^a{,2}$', 'a{,2}'], 'true'],
    ['regex.match', ['^\\Q.*\\E$', '.*'], 'true'],
    ['regex.match', ['^\\x{41}$', 'A'], 'true'],
    ['regex.match', ['(abc', 'x'], 'eval_builtin_error: regex.match: error parsing regexp: missing closing ): `(abc`'],
    ['regex.is_valid', ['.*'], 'true'],
    ['regex.is_valid', ['(?=x)'], 'false'],
    ['regex.is_valid', ['(a)\\1'], 'false'],
    ['regex.is_valid', ['[a'], 'false'],
    ['regex.is_valid', [1], 'false'],
    ['regex.find_n', ['a.', 'abacad', -1], '["ab","ac","ad"]'],
    ['regex.find_n', ['a.', 'abacad', 2], '["ab","ac"]'],
    ['regex.find_n', ['a*', 'baaac', -1], '["","aaa",""]'],
    ['regex.find_all_string_submatch_n', ['a(x*)(y)?', 'axxay', -1], '[["axx","xx",""],["ay","","y"]]'],
    ['regex.split', ['a', 'banana'], '["b","n","n",""]'],
    ['regex.split', ['x*', 'abc'], '["a","b","c"]'],
    ['regex.split', ['a', ''], '[""]'],
    ['regex.replace', ['abc', 'b(.)', '[$1]'], '"a[c]"'],
    ['regex.replace', ['abc', 'b', '$$'], '"a$c"'],
    ['regex.replace', ['abc', '(?P<x>b)', '${x}${x}'], '"abbc"'],
    ['regex.replace', ['abc', '(b)', '$1x'], '"ac"'],
    ['regex.template_match', ['urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'], 'true'],
    ['regex.template_match', ['urn:foo.bar:{[a-z]+}', 'urn:foo.bar:baz', '{', '}'], 'true'],
    ['regex.template_match', ['urn:foo.bar:{[a-z]+}', 'urn:fooxbar:baz', '{', '}'], 'false'],
    ['regex.template_match', ['urn:{x', 'urn', '{', '}'], 'eval_builtin_error: regex.template_match: unbalanced braces in "urn:{x"'],
    ['regex.globs_match', ['a.a.[0-9]+z', '.b.b2359825792*594823z'], 'true'],
    ['regex.globs_match', ['[a-z]+', '[0-9]*'], 'false'],
    ['regex.globs_match', ['[a-z]+', '[a-c]*'], 'true'],
    ['regex.globs_match', ['[a-z]+', '[0-9]+'], 'false'],
    ['regex.globs_match', ['[a-z]+\\[[0-9]+\\]', 'foo\\[1\\]'], 'true'],
    ['regex.globs_match', ['[a-z]+\\[[0-9]+\\]', 'foo["bar"]'], 'false'],
    ['regex.globs_match', ['pqrs]', '[a-b]+'], "eval_builtin_error: regex.globs_match: input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid"],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('Go regexp translation edge cases', () => {
  it.each(rows([
    ['regex.match', ['^(a(?i)b)c$', 'aBc'], 'true'],
    ['regex.match', ['^(a(?i)b)c$', 'aBC'], 'false'],
    ['regex.match', ['^[\\d\\s]+$', '1 2\t3'], 'true'],
    ['regex.match', ['^[^\\s]+$', 'a\u00a0b'], 'true'],
    ['regex.match', ['^\\p{Greek}+$', 'αβγ'], 'true'],
    ['regex.match', ['^[\\pL\\d]+$', 'é1'], 'true'],
    ['regex.match', ['^[[:^digit:]]+$', 'ab'], 'true'],
    ['regex.match', ['^a-b$', 'a-b'], 'true'],
    ['regex.match', ['^[a\\-z]+$', '-'], 'true'],
    ['regex.match', ['^\\.\\-\\#$', '.-#'], 'true'],
    ['regex.match', ['^\\101$', 'A'], 'true'],
    ['regex.match', ['^a/b$', 'a/b'], 'true'],
    ['regex.match', ['(?m)^b$', 'a\nb'], 'true'],
    ['regex.match', ['^b$', 'a\nb'], 'false'],
    ['regex.is_valid', ['a{1001}'], 'false'],
    ['regex.is_valid', ['a**'], 'false'],
    ['regex.is_valid', ['\\8'], 'false'],
    ['regex.is_valid', ['(?P<n>a)(?P<m>b)'], 'true'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
