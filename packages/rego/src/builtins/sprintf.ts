/**
 * Go's fmt.Sprintf, for the argument kinds OPA's sprintf passes: Go ints (integers), *big.Int (integers
 * too large for an int), float64 (other numbers) and strings (strings, and every other value as its Rego text).
 */
import { isNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { expDigits, fixedDigits } from './go-float.ts';
import { goQuote, regoText } from './rego-text.ts';

/**
 * A Go value as fmt sees it. OPA's sprintf only passes ints, *big.Ints, float64s and strings; text/template
 * (strings.render_template's printf) also passes bools, nil, and string kinds of other named types (json.Number).
 */
export type GoArg =
  | { readonly kind: 'int'; readonly v: bigint }
  | { readonly kind: 'bigint'; readonly v: bigint }
  | { readonly kind: 'float'; readonly v: number }
  | { readonly kind: 'string'; readonly v: string; readonly type?: string }
  | { readonly kind: 'bool'; readonly v: boolean }
  | { readonly kind: 'nil' };

type Arg = GoArg;

const INT64_MAX = 2n ** 63n - 1n;

function toArg(v: Value): Arg {
  if (isNumber(v)) {
    if (typeof v === 'bigint') return v > INT64_MAX || v < -INT64_MAX - 1n ? { kind: 'bigint', v } : { kind: 'int', v };
    // A double beyond 2^53 came from a float literal such as 1e21, which OPA formats as a float64.
    if (Number.isSafeInteger(v)) return { kind: 'int', v: BigInt(v) };
    return { kind: 'float', v };
  }
  if (typeof v === 'string') return { kind: 'string', v };
  return { kind: 'string', v: regoText(v) };
}

interface Spec {
  minus: boolean; plus: boolean; sharp: boolean; space: boolean; zero: boolean;
  width: number | undefined; prec: number | undefined;
}

function goTypeName(a: Arg): string {
  switch (a.kind) {
    case 'int': return 'int';
    case 'bigint': return '*big.Int';
    case 'float': return 'float64';
    case 'string': return a.type ?? 'string';
    case 'bool': return 'bool';
    case 'nil': return '<nil>';
  }
}

function argText(a: Arg): string {
  switch (a.kind) {
    case 'int': case 'bigint': return a.v.toString();
    case 'float': return formatFloat(a.v, 'g', undefined);
    case 'string': return a.v;
    case 'bool': return String(a.v);
    case 'nil': return '<nil>';
  }
}

/** fmt's badVerb: the argument is printed with %v under the same flags, width and precision. */
function badVerb(verb: string, a: Arg, spec: Spec): string {
  if (a.kind === 'nil') return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(a)}=${formatOne(a, 'v', { ...spec, sharp: false })})`;
}

function pad(s: string, spec: Spec, zeroOk: boolean): string {
  const w = spec.width ?? 0;
  if (s.length >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - s.length);
  if (spec.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(w - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(w - s.length) + s;
}

function signed(body: string, negative: boolean, spec: Spec): string {
  if (negative) return '-' + body;
  if (spec.plus) return '+' + body;
  if (spec.space) return ' ' + body;
  return body;
}

function formatInteger(v: bigint, verb: string, spec: Spec): string | undefined {
  const neg = v < 0n, abs = neg ? -v : v;
  let body: string;
  switch (verb) {
    case 'd': case 'v': case 's': body = abs.toString(10); break;
    case 'b': body = abs.toString(2); break;
    case 'o': case 'O': body = (verb === 'O' ? '0o' : spec.sharp ? '0' : '') + abs.toString(8); break;
    case 'x': body = (spec.sharp ? '0x' : '') + abs.toString(16); break;
    case 'X': body = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase(); break;
    case 'c': return String.fromCodePoint(Number(v));
    case 'q': return "'" + String.fromCodePoint(Number(v)) + "'";
    case 'U': return 'U+' + abs.toString(16).toUpperCase().padStart(4, '0');
    default: return undefined;
  }
  if (spec.prec !== undefined) {
    body = body.padStart(spec.prec, '0');
    if (spec.prec === 0 && v === 0n) body = '';
  }
  return signed(body, neg, spec);
}

/** Shortest round-trip digits and decimal exponent of |x| (x finite, nonzero). */
function shortest(x: number): { digits: string; exp: number } {
  const [m, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: m.replace('.', ''), exp: Number(e) };
}

function expText(mant: string, exp: number, upper: boolean): string {
  const sign = exp < 0 ? '-' : '+';
  const e = String(Math.abs(exp)).padStart(2, '0');
  return mant + (upper ? 'E' : 'e') + sign + e;
}

/** strconv.FormatFloat for 'e', 'f' and 'g' with Go's precision rules (undefined = shortest). */
export function formatFloat(x: number, verb: 'e' | 'f' | 'g', prec: number | undefined, upper = false): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let out: string;
  if (verb === 'f') {
    out = prec === undefined ? fixedShortest(a) : fixedDigits(a, prec);
  } else if (verb === 'e') {
    if (prec === undefined) {
      const { digits, exp } = a === 0 ? { digits: '0', exp: 0 } : shortest(a);
      out = expText(digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits, exp, upper);
    } else {
      const { digits, exp } = expDigits(a, prec);
      out = expText(digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits, exp, upper);
    }
  } else {
    let digits: string, exp: number;
    if (a === 0) { digits = '0'; exp = 0; } else if (prec === undefined) ({ digits, exp } = shortest(a));
    else {
      const p = prec === 0 ? 1 : prec;
      ({ digits, exp } = expDigits(a, p - 1));
      digits = digits.replace(/0+$/, '') || '0';
    }
    // strconv's %g rule: exponent form when exp < -4 or exp >= eprec (6 for shortest).
    let eprec = prec === undefined ? 6 : prec === 0 ? 1 : prec;
    if (prec !== undefined && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
    if (exp < -4 || exp >= eprec) {
      out = expText(digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits, exp, upper);
    } else {
      out = placePoint(digits, exp);
    }
  }
  return (neg ? '-' : '') + out;
}

function placePoint(digits: string, exp: number): string {
  if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

function fixedShortest(a: number): string {
  if (a === 0) return '0';
  const { digits, exp } = shortest(a);
  return placePoint(digits, exp);
}

function formatFloatVerb(x: number, verb: string, spec: Spec): string | undefined {
  let body: string;
  switch (verb) {
    case 'v': case 'g': body = formatFloat(x, 'g', spec.prec); break;
    case 'G': body = formatFloat(x, 'g', spec.prec, true); break;
    case 'e': body = formatFloat(x, 'e', spec.prec ?? 6); break;
    case 'E': body = formatFloat(x, 'e', spec.prec ?? 6, true); break;
    case 'f': case 'F': body = formatFloat(x, 'f', spec.prec ?? 6); break;
    default: return undefined;
  }
  if (!body.startsWith('-') && (spec.plus || spec.space) && body !== 'NaN') {
    body = body.startsWith('+') ? body : (spec.plus ? '+' : ' ') + body;
  }
  return body;
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case 's': case 'v': return spec.prec === undefined ? s : Array.from(s).slice(0, spec.prec).join('');
    case 'q': return goQuote(s);
    case 'x': case 'X': {
      const hex = Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join(spec.space ? ' ' : '');
      return verb === 'X' ? hex.toUpperCase() : hex;
    }
    default: return undefined;
  }
}

function formatOne(a: Arg, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(a.kind === 'nil' ? '<nil>' : goTypeName(a), spec, false);
  // %#v is Go syntax: a quoted string; numbers print as %v does
  if (verb === 'v' && spec.sharp && a.kind === 'string') return pad(goQuote(a.v), { ...spec, sharp: false }, false);
  let out: string | undefined;
  let zeroOk = true;
  switch (a.kind) {
    case 'int': out = verb === 's' ? undefined : formatInteger(a.v, verb, spec); zeroOk = spec.prec === undefined; break;
    case 'bigint': out = 'bdoxXsv'.includes(verb) ? formatInteger(a.v, verb, spec) : undefined; break;
    case 'float': out = formatFloatVerb(a.v, verb, spec); break;
    case 'string': out = formatString(a.v, verb, spec); zeroOk = true; break;
    case 'bool': out = verb === 't' || verb === 'v' ? String(a.v) : undefined; break;
    case 'nil': out = verb === 'v' ? '<nil>' : undefined; break;
  }
  if (out === undefined) return badVerb(verb, a, spec);
  return pad(out, spec, zeroOk && !spec.minus);
}

/** Go's parsenum: a decimal number at i (capped as fmt caps it), or undefined when there are no digits. */
function parseNum(format: string, i: number, end: number): { n: number | undefined; next: number } {
  let j = i, n = 0;
  while (j < end && format[j]! >= '0' && format[j]! <= '9') {
    if (n > 1e6) return { n: undefined, next: end }; // fmt's tooLarge: the rest of the format is consumed
    n = n * 10 + Number(format[j]);
    j++;
  }
  return { n: j > i ? n : undefined, next: j };
}

/**
 * fmt.Sprintf's doPrintf: flags, explicit argument indexes (`%[2]d`), `*` width and precision taken from the
 * arguments, and its error notes (MISSING, EXTRA, BADINDEX, BADWIDTH, BADPREC, NOVERB).
 */
export function sprintf(format: string, values: readonly Value[]): string {
  return sprintfGo(format, values.map(toArg));
}

/** fmt.Sprintf over Go values as they are (text/template's printf). */
export function sprintfGo(format: string, args: readonly GoArg[]): string {
  const end = format.length;
  let argNum = 0;
  let reordered = false;
  let goodArgNum: boolean;
  let out = '';
  let i = 0;
  /** `[n]` at i: returns whether an index was read; a bad one clears goodArgNum. */
  const argIndex = (): boolean => {
    if (format[i] !== '[') return false;
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (end - i < 3 || close < 0) { i += 1; goodArgNum = false; return false; }
    const { n, next } = parseNum(format, i + 1, close);
    i = close + 1;
    if (n === undefined || next !== close) { goodArgNum = false; return false; }
    if (n - 1 >= 0 && n - 1 < args.length) { argNum = n - 1; return true; }
    goodArgNum = false;
    return true;
  };
  /** intFromArg: the next argument as an int width or precision. */
  const intArg = (): number | undefined => {
    const a = args[argNum];
    if (a === undefined) return undefined;
    argNum++;
    if (a.kind !== 'int' || a.v > 1000000n || a.v < -1000000n) return undefined;
    return Number(a.v);
  };
  while (i < end) {
    goodArgNum = true;
    const pct = format.indexOf('%', i);
    if (pct < 0) { out += format.slice(i); break; }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    for (; i < end; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = true;
      else break;
    }
    let afterIndex = argIndex();
    if (format[i] === '*') {
      i++;
      const w = intArg();
      if (w === undefined) out += '%!(BADWIDTH)';
      else if (w < 0) { spec.width = -w; spec.minus = true; spec.zero = false; } else spec.width = w;
      afterIndex = false;
    } else {
      const { n, next } = parseNum(format, i, end);
      spec.width = n;
      i = next;
      if (afterIndex && n !== undefined) goodArgNum = false; // "%[3]2d"
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false; // "%[3].2d"
      afterIndex = argIndex();
      if (format[i] === '*') {
        i++;
        const p = intArg();
        if (p === undefined || p < 0) { spec.prec = undefined; out += '%!(BADPREC)'; } else spec.prec = p;
        afterIndex = false;
      } else {
        const { n, next } = parseNum(format, i, end);
        spec.prec = n ?? 0;
        i = next;
      }
    }
    if (!afterIndex) argIndex();
    if (i >= end) { out += '%!(NOVERB)'; break; }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') { out += '%'; continue; }
    if (!goodArgNum) { out += `%!${verb}(BADINDEX)`; continue; }
    const a = args[argNum];
    if (a === undefined) { out += `%!${verb}(MISSING)`; continue; }
    argNum++;
    out += formatOne(a, verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out += '%!(EXTRA ' + args.slice(argNum).map((a) => (a.kind === 'nil' ? '<nil>' : `${goTypeName(a)}=${argText(a)}`)).join(', ') + ')';
  }
  return out;
}
