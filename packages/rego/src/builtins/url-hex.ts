/** hex.* and urlquery.* builtins: v1/topdown/encoding.go, with Go's net/url escaping rules. */
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { goString } from './base64.ts';
import { define, operandErr } from './operands.ts';
import type { Builtin } from './types.ts';

const utf8 = new TextEncoder();

/** url.QueryEscape: unreserved bytes as is, space as '+', everything else %XX. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8.encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

class EscapeError extends Error {}

/** url.QueryUnescape, with Go's error text for a bad escape. */
export function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new EscapeError(`invalid URL escape ${JSON.stringify(s.slice(i, Math.min(i + 3, s.length)))}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      for (const b of utf8.encode(c === '+' ? ' ' : c)) bytes.push(b);
      i++;
    }
  }
  return goString(new Uint8Array(bytes));
}

function hexDecode(s: string): string | Error {
  const bytes = utf8.encode(s);
  for (const b of bytes) {
    // Go's InvalidByteError prints the offending byte as a rune: U+0067 'g'.
    if (!/[0-9A-Fa-f]/.test(String.fromCharCode(b))) {
      return new Error(`encoding/hex: invalid byte: U+${b.toString(16).toUpperCase().padStart(4, '0')} '${String.fromCharCode(b)}'`);
    }
  }
  if (bytes.length % 2 === 1) return new Error('encoding/hex: odd length hex string');
  const out = new Uint8Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return goString(out);
}

function catchEscape(fail: (m: string) => Error, f: () => Value): Value {
  try {
    return f();
  } catch (e) {
    if (e instanceof EscapeError) throw fail(e.message);
    throw e;
  }
}

export const urlHexBuiltins: readonly Builtin[] = [
  define('hex.encode', 1, (a) => Array.from(utf8.encode(a.string(1)), (b) => b.toString(16).padStart(2, '0')).join('')),
  define('hex.decode', 1, (a) => {
    const r = hexDecode(a.string(1));
    if (r instanceof Error) throw a.fail(r.message);
    return r;
  }),
  define('urlquery.encode', 1, (a) => queryEscape(a.string(1))),
  define('urlquery.decode', 1, (a) => catchEscape((m) => a.fail(m), () => queryUnescape(a.string(1)))),
  define('urlquery.encode_object', 1, (a) => {
    const obj = a.object(1);
    const bad = (): Error => operandErr(a.name, 1, 'values must be string, array[string], or set[string]');
    const parts: string[] = [];
    const entries = obj.sortedEntries().map(([k, v]): [string, Value] => [typeof k === 'string' ? k : JSON.stringify(k), v]);
    entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (const [k, v] of entries) {
      const values = typeof v === 'string' ? [v] : Array.isArray(v) ? v : v instanceof RSet ? v.sorted() : undefined;
      if (values === undefined) throw bad();
      for (const x of values) {
        if (typeof x !== 'string') throw bad();
        parts.push(`${queryEscape(k)}=${queryEscape(x)}`);
      }
    }
    return parts.join('&');
  }),
  define('urlquery.decode_object', 1, (a) => catchEscape((m) => a.fail(m), () => {
    const out = new RObject();
    for (const part of a.string(1).split('&')) {
      if (part === '') continue;
      if (part.includes(';')) throw new EscapeError('invalid semicolon separator in query');
      const eq = part.indexOf('=');
      const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
      const v = eq < 0 ? '' : queryUnescape(part.slice(eq + 1));
      const prev = out.get(k);
      out.set(k, Array.isArray(prev) ? [...prev, v] : [v]);
    }
    return out;
  })),
];
