/**
 * Go's fmt.Sprintf, for the argument kinds OPA's sprintf passes: Go ints (integers), *big.Int (integers
 * too large for an int), float64 (other numbers) and strings (strings, and every other value as its Rego text).
 */
import { isNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { expDigits, fixedDigits } from './go-float.ts';
import { goQuote, regoText } from './rego-text.ts';

type Arg =
  | { readonly kind: 'int'; readonly v: bigint }
  | { readonly kind: 'bigint'; readonly v: bigint }
  | { readonly kind: 'float'; readonly v: number }
  | { readonly kind: 'string'; readonly v: string };

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
  return a.kind === 'int' ? 'int' : a.kind === 'bigint' ? '*big.Int' : a.kind === 'float' ? 'float64' : 'string';
}

function argText(a: Arg): string {
  switch (a.kind) {
    case 'int': case 'bigint': return a.v.toString();
    case 'float': return formatFloat(a.v, 'g', undefined);
    case 'string': return a.v;
  }
}

function badVerb(verb: string, a: Arg): string {
  return `%!${verb}(${goTypeName(a)}=${argText(a)})`;
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
  let out: string | undefined;
  let zeroOk = true;
  switch (a.kind) {
    case 'int': out = verb === 's' ? undefined : formatInteger(a.v, verb, spec); zeroOk = spec.prec === undefined; break;
    case 'bigint': out = 'bdoxXsv'.includes(verb) ? formatInteger(a.v, verb, spec) : undefined; break;
    case 'float': out = formatFloatVerb(a.v, verb, spec); break;
    case 'string': out = formatString(a.v, verb, spec); zeroOk = true; break;
  }
  if (out === undefined) return badVerb(verb, a);
  return pad(out, spec, zeroOk && !spec.minus);
}

export function sprintf(format: string, values: readonly Value[]): string {
  const args = values.map(toArg);
  let argi = 0;
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c !== '%') { out += c; i++; continue; }
    i++;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = true;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return a && a.kind === 'int' ? Number(a.v) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = num();
    if (format[i] === '.') { i++; spec.prec = num() ?? 0; }
    if (i >= format.length) { out += '%!(NOVERB)'; break; }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') { out += '%'; continue; }
    const a = args[argi++];
    if (a === undefined) { out += `%!${verb}(MISSING)`; continue; }
    out += formatOne(a, verb, spec);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => `${goTypeName(a)}=${argText(a)}`).join(', ') + ')';
  }
  return out;
}
