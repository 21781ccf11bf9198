/** String builtins: v1/topdown/strings.go. Positions and lengths count runes (code points), as Go does. */
import { RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { truncToBig } from './numeric.ts';
import { define, elementErr, enumErr } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';
import {
  countOccurrences, cutset, isSpace, mapCase, replaceAll, runeIndexOf, runes, split, trimLeftFunc, trimRightFunc,
} from './go-strings.ts';
import { sprintf } from './sprintf.ts';
import { TemplateError, renderGoTemplate } from './go-template.ts';

/** A string, or an array/set of strings (strings.any_prefix_match and friends). */
function stringOrStrings(a: Operands, pos: number): string[] {
  const v = a.at(pos);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof RSet) return a.strings(pos);
  throw a.typeErr(pos, 'string', 'set', 'array');
}

function joinStrings(a: Operands): string {
  const sep = a.string(1);
  const v = a.at(2);
  let items: Value[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof RSet) items = v.sorted();
  else throw a.typeErr(2, 'set', 'array');
  return items.map((e) => {
    if (typeof e !== 'string') throw elementErr(a.name, 2, v, e, 'string');
    return e;
  }).join(sep);
}

function splitN(s: string, sep: string, n: number): string[] {
  const parts = split(s, sep);
  if (s === '' && sep !== '') return n === 0 ? [] : [''];
  if (n >= 0) return parts.slice(0, n);
  return parts.slice(Math.max(0, parts.length + n));
}

function formatInt(a: Operands): string {
  const input = a.number(1), base = a.number(2);
  const radix = typeof base === 'bigint' ? 0 : [2, 8, 10, 16].includes(base) ? base : 0;
  if (radix === 0) throw enumErr(a.name, 2, '2', '8', '10', '16');
  return truncToBig(input).toString(radix);
}

function substring(a: Operands): string {
  const s = a.string(1), start = a.int(2), length = a.int(3);
  if (start < 0) throw a.fail('negative offset');
  const rs = runes(s);
  if (start >= rs.length) return '';
  return (length < 0 ? rs.slice(start) : rs.slice(start, start + length)).join('');
}

function indexOfN(s: string, sub: string): number[] {
  const out: number[] = [];
  const rs = runes(s), subRunes = runes(sub);
  for (let i = 0; i + subRunes.length <= rs.length; i++) {
    if (subRunes.every((r, j) => rs[i + j] === r)) out.push(i);
  }
  return out;
}

export const stringBuiltins: readonly Builtin[] = [
  define('concat', 2, joinStrings),
  define('contains', 2, (a) => a.string(1).includes(a.string(2))),
  define('startswith', 2, (a) => a.string(1).startsWith(a.string(2))),
  define('endswith', 2, (a) => a.string(1).endsWith(a.string(2))),
  define('lower', 1, (a) => mapCase(a.string(1), false)),
  define('upper', 1, (a) => mapCase(a.string(1), true)),
  define('split', 2, (a) => {
    const s = a.string(1), sep = a.string(2);
    return s.includes(sep) ? split(s, sep) : [s];
  }),
  define('strings.split_n', 3, (a) => splitN(a.string(1), a.string(2), a.int(3))),
  define('replace', 3, (a) => replaceAll(a.string(1), [[a.string(2), a.string(3)]])),
  define('strings.replace_n', 2, (a) => {
    const patterns = a.object(1);
    const s = a.string(2);
    const pairs = patterns.sortedEntries().map(([k, v]): [string, string] => {
      if (typeof k !== 'string') throw a.operandErr(1, 'non-string key found in pattern object');
      if (typeof v !== 'string') throw a.operandErr(1, 'non-string value found in pattern object');
      return [k, v];
    });
    return replaceAll(s, pairs);
  }),
  define('trim', 2, (a) => {
    const drop = cutset(a.string(2));
    return trimRightFunc(trimLeftFunc(a.string(1), drop), drop);
  }),
  define('trim_left', 2, (a) => trimLeftFunc(a.string(1), cutset(a.string(2)))),
  define('trim_right', 2, (a) => trimRightFunc(a.string(1), cutset(a.string(2)))),
  define('trim_prefix', 2, (a) => {
    const s = a.string(1), p = a.string(2);
    return s.startsWith(p) ? s.slice(p.length) : s;
  }),
  define('trim_suffix', 2, (a) => {
    const s = a.string(1), p = a.string(2);
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  }),
  define('trim_space', 1, (a) => trimRightFunc(trimLeftFunc(a.string(1), isSpace), isSpace)),
  define('sprintf', 2, (a) => {
    const format = a.string(1);
    const v = a.at(2);
    if (!Array.isArray(v)) throw a.typeErr(2, 'array');
    return sprintf(format, v);
  }),
  define('format_int', 2, formatInt),
  define('indexof', 2, (a) => {
    const s = a.string(1), sub = a.string(2);
    if (sub === '') throw a.fail('empty search character');
    return runeIndexOf(s, sub);
  }),
  define('indexof_n', 2, (a) => {
    const s = a.string(1), sub = a.string(2);
    if (sub === '') throw a.fail('empty search character');
    return indexOfN(s, sub);
  }),
  define('substring', 3, substring),
  define('strings.reverse', 1, (a) => runes(a.string(1)).reverse().join('')),
  define('strings.count', 2, (a) => countOccurrences(a.string(1), a.string(2))),
  define('strings.any_prefix_match', 2, (a) => {
    const strs = stringOrStrings(a, 1), prefixes = stringOrStrings(a, 2);
    return strs.some((s) => prefixes.some((p) => s.startsWith(p)));
  }),
  define('strings.render_template', 2, (a) => {
    const template = a.string(1), vars = a.object(2);
    try {
      return renderGoTemplate(template, vars);
    } catch (e) {
      if (e instanceof TemplateError) throw a.fail(e.message);
      throw e;
    }
  }),
  define('strings.any_suffix_match', 2, (a) => {
    const strs = stringOrStrings(a, 1), suffixes = stringOrStrings(a, 2);
    return strs.some((s) => suffixes.some((p) => s.endsWith(p)));
  }),
];
