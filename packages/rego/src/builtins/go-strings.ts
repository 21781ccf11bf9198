/**
 * Go `strings` package semantics the string builtins rely on, where JS differs:
 * rune (code point) indexing, Unicode whitespace per unicode.IsSpace, cutset trimming, and strings.Replacer.
 */

export function runes(s: string): string[] {
  return Array.from(s);
}

/** unicode.IsSpace: Latin-1 spaces incl. U+0085 and U+00A0, plus category Z spaces (no U+FEFF, unlike JS trim). */
const SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;

export function isSpace(ch: string): boolean {
  return SPACE.test(ch);
}

export function trimLeftFunc(s: string, drop: (ch: string) => boolean): string {
  const rs = runes(s);
  let i = 0;
  while (i < rs.length && drop(rs[i]!)) i++;
  return rs.slice(i).join('');
}

export function trimRightFunc(s: string, drop: (ch: string) => boolean): string {
  const rs = runes(s);
  let j = rs.length;
  while (j > 0 && drop(rs[j - 1]!)) j--;
  return rs.slice(0, j).join('');
}

export function cutset(chars: string): (ch: string) => boolean {
  const set = new Set(runes(chars));
  return (ch) => set.has(ch);
}

/** strings.Count: non-overlapping occurrences; an empty needle counts rune boundaries. */
export function countOccurrences(s: string, sub: string): number {
  if (sub === '') return runes(s).length + 1;
  let n = 0;
  for (let i = s.indexOf(sub); i !== -1; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/**
 * strings.NewReplacer(oldnew...).Replace: scanning left to right, at each position the first pair (in
 * argument order) whose old string matches is applied; an empty old string matches at every rune boundary.
 */
export function replaceAll(s: string, pairs: readonly (readonly [string, string])[]): string {
  let out = '';
  let i = 0;
  while (i <= s.length) {
    const hit = pairs.find(([old]) => s.startsWith(old, i));
    if (hit && hit[0] !== '') {
      out += hit[1];
      i += hit[0].length;
      continue;
    }
    if (hit) out += hit[1];
    if (i === s.length) break;
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    out += ch;
    i += ch.length;
  }
  return out;
}

/** strings.Split: an empty separator splits into runes. */
export function split(s: string, sep: string): string[] {
  return sep === '' ? runes(s) : s.split(sep);
}

/** Index in runes of the first occurrence, or -1. */
export function runeIndexOf(s: string, sub: string, from = 0): number {
  const i = s.indexOf(sub, from);
  return i === -1 ? -1 : runes(s.slice(0, i)).length;
}

/**
 * strings.ToUpper/ToLower map rune by rune (unicode.ToUpper/ToLower): a rune whose full case mapping is
 * several runes (ß → SS) keeps Go's single-rune simple mapping, which for these is usually itself.
 */
export function mapCase(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    if (Array.from(m).length === 1) out += m;
    else out += SIMPLE_CASE[ch] ?? ch;
  }
  return out;
}

/** Simple (one-rune) mappings where JS's full mapping expands: İ lowers to i in Go. */
const SIMPLE_CASE: Record<string, string> = { 'İ': 'i' };
