/**
 * glob.match and glob.quote_meta with github.com/gobwas/glob semantics: `*` matches within a delimiter-free
 * run, `**` across delimiters, `?` one non-delimiter rune, `[a-z]`/`[!a-z]` ranges, `{a,b}` alternatives.
 * Patterns are translated to JS regexps and cached per (pattern, delimiters).
 */
import type { Value } from '../value.ts';
import { define, elementErr } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

const SPECIAL = new Set(['*', '?', '\\', '[', ']', '{', '}']);

/** Escape for use outside a JS character class (u-mode rejects a needless `\\-`). */
function reEscape(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : ch;
}

/** Escape for use inside a JS character class. */
function classEscape(ch: string): string {
  return /[\\\][^-]/.test(ch) ? '\\' + ch : ch;
}

class GlobSyntaxError extends Error {}

function translate(pattern: string, delims: readonly string[]): string {
  const chars = Array.from(pattern);
  const notDelim = delims.length === 0 ? '[\\s\\S]' : `[^${delims.map(classEscape).join('')}]`;
  let i = 0;
  let depth = 0;
  let out = '';
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === '\\') {
      const n = chars[i + 1];
      if (n !== undefined) out += reEscape(n); // a trailing backslash escapes nothing and is dropped
      i += 2;
    } else if (c === '*') {
      if (chars[i + 1] === '*') { out += '[\\s\\S]*'; i += 2; } else { out += notDelim + '*'; i++; }
    } else if (c === '?') {
      out += notDelim; i++;
    } else if (c === '[') {
      // gobwas ranges are either one span `[a-z]` or a list `[abc]` (escapes allowed), each optionally `!`-negated.
      let j = i + 1;
      let neg = false;
      if (chars[j] === '!') { neg = true; j++; }
      let cls: string;
      if (chars[j] !== undefined && chars[j + 1] === '-') {
        const lo = chars[j]!, hi = chars[j + 2];
        if (hi === undefined) throw new GlobSyntaxError('unexpected end of input');
        if (chars[j + 3] !== ']') throw new GlobSyntaxError('expected close range character');
        cls = classEscape(lo) + '-' + classEscape(hi);
        j += 4;
      } else {
        cls = '';
        for (; j < chars.length && chars[j] !== ']'; j++) {
          if (chars[j] === '\\' && j + 1 < chars.length) j++;
          cls += classEscape(chars[j]!);
        }
        if (j >= chars.length) throw new GlobSyntaxError('unexpected end of input');
        j++;
      }
      out += cls === '' ? (neg ? '[\\s\\S]' : '[^\\s\\S]') : `[${neg ? '^' : ''}${cls}]`;
      i = j;
    } else if (c === '{') {
      out += '(?:'; depth++; i++;
    } else if (c === '}' && depth > 0) {
      out += ')'; depth--; i++;
    } else if (c === ',' && depth > 0) {
      out += '|'; i++;
    } else {
      out += reEscape(c); i++;
    }
  }
  if (depth > 0) throw new GlobSyntaxError('unexpected end of input in terms');
  return out;
}

const cache = new Map<string, RegExp>();

export function compileGlob(pattern: string, delims: readonly string[]): RegExp {
  const key = JSON.stringify([pattern, delims]);
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`^(?:${translate(pattern, delims)})$`, 'u');
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** OPA's RuneSliceOperand: an array of one-rune strings; null means no delimiters, [] means ["."]. */
function delimiters(a: Operands): string[] {
  const v: Value = a.at(2);
  if (v === null) return [];
  if (!Array.isArray(v)) throw a.typeErr(2, 'array', 'null');
  const out = v.map((d) => {
    if (typeof d !== 'string') throw elementErr(a.name, 2, v, d, 'string');
    if (Array.from(d).length !== 1) throw elementErr(a.name, 2, v, d, 'rune');
    return d;
  });
  return out.length === 0 ? ['.'] : out;
}

export const globBuiltins: readonly Builtin[] = [
  define('glob.match', 3, (a) => {
    const pattern = a.string(1);
    const delims = delimiters(a);
    const s = a.string(3);
    try {
      return compileGlob(pattern, delims).test(s);
    } catch (e) {
      if (e instanceof GlobSyntaxError || e instanceof SyntaxError) throw a.fail(e.message);
      throw e;
    }
  }),
  define('glob.quote_meta', 1, (a) => Array.from(a.string(1), (c) => (SPECIAL.has(c) ? '\\' + c : c)).join('')),
];
