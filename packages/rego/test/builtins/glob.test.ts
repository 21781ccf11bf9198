import { describe, expect, it } from 'vitest';
import { call, rows } from './call.ts';

describe('glob (gobwas/glob semantics)', () => {
  it.each(rows([
    ['glob.match', ['*', ['.'], 'foo'], 'true'],
    ['glob.match', ['*', ['.'], 'foo.bar'], 'false'],
    ['glob.match', ['*', [], 'foo.bar'], 'false'],
    ['glob.match', ['*', null, 'foo.bar'], 'true'],
    ['glob.match', ['*.github.com', ['.'], 'api.github.com'], 'true'],
    ['glob.match', ['*.github.com', ['.'], 'api.cdn.github.com'], 'false'],
    ['glob.match', ['*:github:com', [':'], 'api:github:com'], 'true'],
    ['glob.match', ['api.**.com', ['.'], 'api.cdn.github.com'], 'true'],
    ['glob.match', ['?at', ['f'], 'fat'], 'false'],
    ['glob.match', ['?at', [], 'at'], 'false'],
    ['glob.match', ['[!a-c]at', [], 'bat'], 'false'],
    ['glob.match', ['[!a-c]at', [], 'fat'], 'true'],
    ['glob.match', ['[abc]at', [], 'cat'], 'true'],
    ['glob.match', ['{cat,bat,[fr]at}', [], 'rat'], 'true'],
    ['glob.match', ['{cat,bat,[fr]at}', [], 'at'], 'false'],
    ['glob.match', ['a\\*b', [], 'a*b'], 'true'],
    ['glob.match', ['*', 'x', 'a'], 'eval_type_error: glob.match: operand 2 must be one of {array, null} but got string'],
    ['glob.quote_meta', ['*.github.com'], '"\\\\*.github.com"'],
    ['glob.quote_meta', ['[a]{b}?\\'], '"\\\\[a\\\\]\\\\{b\\\\}\\\\?\\\\\\\\"'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('glob edge cases (gobwas lexer)', () => {
  it.each(rows([
    ['glob.match', ['a-b', [], 'a-b'], 'true'],
    ['glob.match', ['[a-]x', [], '-x'], 'eval_builtin_error: glob.match: expected close range character'],
    ['glob.match', ['[!.]x', ['.'], '.x'], 'false'],
    ['glob.match', ['[\\]]', [], ']'], 'true'],
    ['glob.match', ['a]', [], 'a]'], 'true'],
    ['glob.match', ['a,b', [], 'a,b'], 'true'],
    ['glob.match', ['{a,b}c}', [], 'bc}'], 'true'],
    ['glob.match', ['*-*', ['-'], 'a-b'], 'true'],
    ['glob.match', ['*', ['-'], 'a-b'], 'false'],
    ['glob.match', ['***', ['.'], 'a.b'], 'true'],
    ['glob.match', ['a', ['ab'], 'a'], 'eval_type_error: glob.match: operand 2 must be array of runes but got array containing string'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
