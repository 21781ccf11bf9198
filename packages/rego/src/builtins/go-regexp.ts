/**
 * Go RE2 syntax translated to a JS RegExp (always compiled with the `u` flag). Where the two differ:
 * `.` never matches only `\n` in Go (JS also excludes `\r`, U+2028/9), Go's `\s` is ASCII, `\A`/`\z`/`\Q…\E`,
 * `(?P<name>…)`, mid-pattern `(?i)` flag groups, POSIX classes, octal and `\x{…}` escapes, and a lone `{` is
 * literal. RE2's refusals (look-around, back-references) are errors here too.
 */

export class RegexpSyntaxError extends Error {}

const REPEAT = /^\{(\d+)(,(\d*))?\}/;
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

function fail(code: string, expr: string): never {
  throw new RegexpSyntaxError(`error parsing regexp: ${code}: \`${expr}\``);
}

function codePointEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function literal(ch: string): string {
  return JS_SYNTAX.has(ch) ? '\\' + ch : ch;
}

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean }

class Translator {
  private pos = 0;
  private readonly src: string;
  private out = '';
  /** Per open group: how many synthetic `(?flags:` groups to close with it, and the flags to restore. */
  private readonly stack: { closers: number; flags: Flags }[] = [];
  private flags: Flags = { i: false, m: false, s: false, U: false };
  /** What the last piece was, for RE2's repetition errors: nothing to repeat, an atom, or a repetition. */
  private last: 'none' | 'atom' | 'repeat' = 'none';
  private lastRepeat = '';
  private closers = 0;

  constructor(src: string) {
    this.src = src;
  }

  translate(): string {
    const s = this.src;
    while (this.pos < s.length) {
      const ch = s[this.pos]!;
      if (ch === '*' || ch === '+' || ch === '?' || (ch === '{' && REPEAT.test(s.slice(this.pos)))) {
        this.repeat();
        continue;
      }
      this.last = ch === '(' || ch === '|' ? 'none' : 'atom';
      switch (ch) {
        case '\\': this.out += this.escape(false); break;
        case '[': this.out += this.charClass(); break;
        case '(': this.openGroup(); break;
        case ')': this.closeGroup(); break;
        case '.': this.pos++; this.out += this.flags.s ? '[\\s\\S]' : '[^\\n]'; break;
        case '{': this.pos++; this.out += '\\{'; break;
        case '}': this.pos++; this.out += '\\}'; break;
        case '/': this.pos++; this.out += '\\/'; break;
        default: {
          const cp = s.codePointAt(this.pos)!;
          const c = String.fromCodePoint(cp);
          this.pos += c.length;
          this.out += c;
        }
      }
    }
    if (this.stack.length > 0) fail('missing closing )', s);
    this.out += ')'.repeat(this.closers);
    return this.out;
  }

  /** A repetition operator, with RE2's errors and the U flag's swap of greedy and lazy. */
  private repeat(): void {
    const rest = this.src.slice(this.pos);
    const m = REPEAT.exec(rest);
    const op = rest[0] === '{' && m ? m[0] : rest[0]!;
    if (m && rest[0] === '{') {
      const lo = Number(m[1]), hi = m[3] ? Number(m[3]) : lo;
      if (lo > 1000 || hi > 1000 || (m[3] && hi < lo)) fail('invalid repeat count', op);
    }
    if (this.last === 'none') fail('missing argument to repetition operator', op);
    if (this.last === 'repeat') fail('invalid nested repetition operator', this.lastRepeat + op);
    this.pos += op.length;
    const lazy = this.src[this.pos] === '?';
    if (lazy) this.pos++;
    this.out += op + (lazy !== this.flags.U ? '?' : '');
    this.last = 'repeat';
    this.lastRepeat = op + (lazy ? '?' : '');
  }

  private openGroup(): void {
    const rest = this.src.slice(this.pos);
    if (rest.startsWith('(?P<') || (rest.startsWith('(?<') && !/^\(\?<[=!]/.test(rest))) {
      const m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (!m) fail('invalid named capture', rest);
      this.push();
      this.pos += m[0].length;
      this.out += `(?<${m[1]!}>`;
      return;
    }
    if (rest.startsWith('(?')) {
      const m = /^\(\?([imsU]*(?:-[imsU]*)?)([:)])/.exec(rest);
      if (!m) fail('invalid or unsupported Perl syntax', rest.slice(0, 3));
      const spec = m[1]!;
      if (spec === '' && m[2] === ')') fail('missing argument to repetition operator', m[0]);
      const flags = this.applyFlags(spec);
      // JS has no U flag: it is applied by repeat() instead.
      const jsSpec = spec.replaceAll('U', '').replace(/-$/, '');
      this.pos += m[0].length;
      if (m[2] === ':') {
        this.push();
        this.flags = flags;
        this.out += jsSpec ? `(?${jsSpec}:` : '(?:';
      } else {
        // `(?i)` mid-group: flags apply to the rest of the enclosing group.
        this.flags = flags;
        if (jsSpec) { this.out += `(?${jsSpec}:`; this.closers++; }
      }
      return;
    }
    this.push();
    this.pos++;
    this.out += '(';
  }

  private applyFlags(spec: string): Flags {
    const f = { ...this.flags };
    let on = true;
    for (const c of spec) {
      if (c === '-') on = false;
      else if (c === 'i' || c === 'm' || c === 's' || c === 'U') f[c] = on;
    }
    return f;
  }

  private push(): void {
    this.stack.push({ closers: this.closers, flags: this.flags });
    this.closers = 0;
  }

  private closeGroup(): void {
    const top = this.stack.pop();
    if (!top) fail('unexpected )', this.src);
    this.pos++;
    this.out += ')'.repeat(this.closers) + ')';
    this.closers = top.closers;
    this.flags = top.flags;
  }

  /** An escape at this.pos; inClass changes what `\b` and classes may be. */
  private escape(inClass: boolean): string {
    const s = this.src;
    const c = s[this.pos + 1];
    if (c === undefined) fail('trailing backslash at end of expression', '');
    this.pos += 2;
    switch (c) {
      case 'A': if (inClass) fail('invalid escape sequence', '\\A'); return '(?<![\\s\\S])';
      case 'z': if (inClass) fail('invalid escape sequence', '\\z'); return '(?![\\s\\S])';
      case 'b': case 'B': if (inClass) fail('invalid escape sequence', '\\' + c); return '\\' + c;
      case 'd': case 'D': case 'w': case 'W': return '\\' + c;
      case 's': return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      case 'S': return inClass ? '\\x00-\\x08\\x0B\\x0E-\\x1F!-\\u{10FFFF}' : '[^\\t\\n\\f\\r ]';
      case 'a': return '\\x07';
      case 'f': case 't': case 'n': case 'r': case 'v': return '\\' + c;
      case 'Q': {
        const end = s.indexOf('\\E', this.pos);
        const text = end === -1 ? s.slice(this.pos) : s.slice(this.pos, end);
        this.pos = end === -1 ? s.length : end + 2;
        return Array.from(text, (ch) => literal(ch)).join('');
      }
      case 'x': {
        const m = /^\{([0-9A-Fa-f]+)\}|^([0-9A-Fa-f]{2})/.exec(s.slice(this.pos));
        if (!m) fail('invalid escape sequence', '\\x');
        this.pos += m[0].length;
        const cp = parseInt(m[1] ?? m[2]!, 16);
        if (cp > 0x10ffff) fail('invalid escape sequence', '\\x' + m[0]);
        return codePointEscape(cp);
      }
      case 'p': case 'P': return this.unicodeClass(c, inClass);
      default:
        if (c >= '0' && c <= '7') {
          const m = /^[0-7]{0,2}/.exec(s.slice(this.pos))!;
          if (c !== '0' && m[0] === '') fail('invalid escape sequence', '\\' + c);
          this.pos += m[0].length;
          return codePointEscape(parseInt(c + m[0], 8));
        }
        if (/[A-Za-z0-9]/.test(c)) fail('invalid escape sequence', '\\' + c);
        return JS_SYNTAX.has(c) || (c === '-' && inClass) ? '\\' + c : c;
    }
  }

  private unicodeClass(c: 'p' | 'P', inClass: boolean): string {
    const s = this.src;
    let name: string;
    if (s[this.pos] === '{') {
      const end = s.indexOf('}', this.pos);
      if (end === -1) fail('invalid character class range', s.slice(this.pos - 2));
      name = s.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      name = s[this.pos] ?? '';
      this.pos++;
    }
    let neg = c === 'P';
    if (name.startsWith('^')) { neg = !neg; name = name.slice(1); }
    const js = name === 'Any' ? (neg ? '[^\\s\\S]' : '[\\s\\S]')
      : `\\${neg ? 'P' : 'p'}{${GENERAL_CATEGORIES.has(name) ? name : 'Script=' + name}}`;
    if (name === 'Any' && inClass) return neg ? '' : '\\x00-\\u{10FFFF}';
    return js;
  }

  private charClass(): string {
    const s = this.src;
    const start = this.pos;
    this.pos++;
    let out = '[';
    if (s[this.pos] === '^') { out += '^'; this.pos++; }
    let first = true;
    // Go checks each range's ends: both single runes, low <= high ("invalid character class range: `z-a`").
    let prev: { start: number; rune: number | undefined } | undefined;
    let rangeFrom: { start: number; rune: number | undefined } | undefined;
    const atom = (atomStart: number, rune: number | undefined): void => {
      const cur = { start: atomStart, rune };
      if (rangeFrom) {
        if (rune === undefined || rangeFrom.rune! > rune) {
          fail('invalid character class range', s.slice(rangeFrom.start, this.pos));
        }
        rangeFrom = undefined;
        prev = undefined;
      } else {
        prev = cur;
      }
    };
    for (;;) {
      if (this.pos >= s.length) fail('missing closing ]', s.slice(start));
      const ch = s[this.pos]!;
      if (ch === ']' && !first) { this.pos++; break; }
      first = false;
      const atomStart = this.pos;
      if (ch === '[' && s[this.pos + 1] === ':' && !rangeFrom) {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(this.pos));
        if (m) {
          const body = POSIX[m[2]!];
          if (body === undefined) fail('invalid character class range', m[0]);
          this.pos += m[0].length;
          out += m[1] ? this.negatedRanges(body) : body;
          atom(atomStart, undefined);
          continue;
        }
      }
      if (ch === '\\') {
        out += this.escape(true);
        const rune = singleRune(s.slice(atomStart, this.pos));
        // A range must end in one rune; Go reads the end as a plain escape, which \d or \pL is not.
        if (rangeFrom && rune === undefined) fail('invalid escape sequence', s.slice(atomStart, atomStart + 2));
        atom(atomStart, rune);
        continue;
      }
      const cp = s.codePointAt(this.pos)!;
      const c = String.fromCodePoint(cp);
      this.pos += c.length;
      // After a class (\d, [:alpha:]) a '-' is a literal, as in Go's parseClass.
      if (c === '-' && prev?.rune !== undefined && !rangeFrom && s[this.pos] !== ']') { out += '-'; rangeFrom = prev; continue; }
      out += c === '[' || c === ']' || c === '\\' || c === '^' || c === '-' ? '\\' + c : c;
      atom(atomStart, cp);
    }
    return out + ']';
  }

  /** [:^alpha:] inside a class: JS has no nested negation, so use a lookup of the complement. */
  private negatedRanges(body: string): string {
    const re = new RegExp(`[${body}]`, 'u');
    const ranges: string[] = [];
    let lo = -1;
    for (let cp = 0; cp <= 0x80; cp++) {
      const inside = cp < 0x80 && !re.test(String.fromCodePoint(cp));
      if (inside && lo < 0) lo = cp;
      if (!inside && lo >= 0) { ranges.push(`${codePointEscape(lo)}-${codePointEscape(cp - 1)}`); lo = -1; }
    }
    ranges.push('\\x80-\\u{10FFFF}');
    return ranges.join('');
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

/** The rune an escape inside a class stands for, or undefined for a class escape (\d, \pL …). */
function singleRune(escape: string): number | undefined {
  const body = escape.slice(1);
  const hex = /^x(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))$/.exec(body);
  if (hex) return parseInt(hex[1] ?? hex[2]!, 16);
  if (/^[0-7]{1,3}$/.test(body)) return parseInt(body, 8);
  if (body.length === 1 && SIMPLE_ESCAPES[body] !== undefined) return SIMPLE_ESCAPES[body];
  if (/^[^A-Za-z0-9]$/u.test(body)) return body.codePointAt(0);
  return undefined;
}

const cache = new Map<string, RegExp>();

/** Compile a Go regexp to a JS RegExp (global, so callers may iterate with lastIndex/matchAll). */
export function compileGoRegexp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) { hit.lastIndex = 0; return hit; }
  const source = new Translator(pattern).translate();
  let re: RegExp;
  try {
    re = new RegExp(source, 'gu');
  } catch (e) {
    throw new RegexpSyntaxError(`error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, re);
  return re;
}
