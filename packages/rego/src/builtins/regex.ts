/** Regular-expression builtins: v1/topdown/regex.go, with Go's RE2 semantics via go-regexp.ts. */
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import { RegexpSyntaxError, compileGoRegexp } from './go-regexp.ts';
import { globsMatch } from './regex-globs.ts';
import type { Builtin } from './types.ts';

function compile(a: Operands, pattern: string): RegExp {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) throw a.fail(e.message);
    throw e;
  }
}

function codePointLength(s: string, i: number): number {
  const cp = s.codePointAt(i);
  return cp !== undefined && cp > 0xffff ? 2 : 1;
}

/** Go's FindAll: at most n matches (n < 0: all); an empty match right after the previous match is skipped. */
export function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0, prevEnd = -1;
  while (pos <= s.length && (n < 0 || out.length < n)) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      if (m.index !== prevEnd) out.push(m);
      if (m.index >= s.length) break;
      pos = m.index + codePointLength(s, m.index);
    } else {
      out.push(m);
      pos = end;
    }
    prevEnd = end;
  }
  return out;
}

/** Go's Regexp.Split(s, -1). */
function goSplit(re: RegExp, pattern: string, s: string): string[] {
  if (pattern.length > 0 && s.length === 0) return [''];
  const parts: string[] = [];
  let beg = 0, end = 0;
  for (const m of findAll(re, s, -1)) {
    end = m.index;
    const mEnd = m.index + m[0].length;
    if (mEnd !== 0) parts.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) parts.push(s.slice(beg));
  return parts;
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') { out += c; continue; }
    if (template[i + 1] === '$') { out += '$'; i++; continue; }
    const rest = template.slice(i + 1);
    const mm = /^\{([A-Za-z0-9_]+)\}|^([A-Za-z0-9_]+)/.exec(rest);
    if (!mm) { out += '$'; continue; }
    const name = mm[1] ?? mm[2]!;
    i += mm[0].length;
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out;
}

function replaceAll(re: RegExp, s: string, template: string): string {
  let out = '', last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.index) + expand(template, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

const QUOTE_META = /[\\.+*?()|[\]{}^$]/g;

export function quoteMeta(s: string): string {
  return s.replace(QUOTE_META, '\\$&');
}

/** The regexp for regex.template_match: literal text with regexps between (possibly nested) delimiters. */
function templateRegexp(a: Operands, template: string, open: string, close: string): RegExp {
  let out = '^', level = 0, idx = 0, start = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === open) {
      if (level++ === 0) { out += quoteMeta(template.slice(start, i)); idx = i + 1; }
    } else if (c === close) {
      if (--level === 0) { out += '(' + template.slice(idx, i) + ')'; start = i + 1; }
      else if (level < 0) throw a.fail(`unbalanced braces in ${JSON.stringify(template)}`);
    }
  }
  if (level !== 0) throw a.fail(`unbalanced braces in ${JSON.stringify(template)}`);
  return compile(a, out + quoteMeta(template.slice(start)) + '$');
}

export const regexBuiltins: readonly Builtin[] = [
  define('regex.match', 2, (a) => {
    const re = compile(a, a.string(1));
    re.lastIndex = 0;
    return re.test(a.string(2));
  }),
  define('regex.is_valid', 1, (a) => {
    const p = a.at(1);
    if (typeof p !== 'string') return false;
    try { compileGoRegexp(p); return true; } catch { return false; }
  }),
  define('regex.find_n', 3, (a) => {
    const re = compile(a, a.string(1));
    return findAll(re, a.string(2), a.int(3)).map((m) => m[0]);
  }),
  define('regex.find_all_string_submatch_n', 3, (a) => {
    const re = compile(a, a.string(1));
    return findAll(re, a.string(2), a.int(3)).map((m) => Array.from(m, (g) => g ?? ''));
  }),
  define('regex.split', 2, (a) => {
    const pattern = a.string(1);
    return goSplit(compile(a, pattern), pattern, a.string(2));
  }),
  define('regex.replace', 3, (a) => {
    const s = a.string(1), pattern = a.string(2), value = a.string(3);
    return replaceAll(compile(a, pattern), s, value);
  }),
  define('regex.template_match', 4, (a) => {
    const template = a.string(1), value = a.string(2), open = a.string(3), close = a.string(4);
    if (open.length !== 1) throw a.fail(`start delimiter has to be exactly one character long but is ${open.length} long`);
    if (close.length !== 1) throw a.fail(`end delimiter has to be exactly one character long but is ${close.length} long`);
    const re = templateRegexp(a, template, open, close);
    re.lastIndex = 0;
    return re.test(value);
  }),
  define('regex.globs_match', 2, (a) => {
    const r = globsMatch(a.string(1), a.string(2));
    if (typeof r === 'string') throw a.fail(r);
    return r;
  }),
];
