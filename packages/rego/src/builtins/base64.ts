/**
 * base64.* and base64url.* builtins (v1/topdown/encoding.go), and the byte helpers the crypto families share.
 * Rego strings are Go strings — bytes — while ours are UTF-16 text, so decoded bytes become text the way Go
 * reads them back: valid UTF-8 as is, each invalid byte as U+FFFD (what `count` and printing then see).
 */
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeMap(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}
const STD_MAP = decodeMap(STD);
const URL_MAP = decodeMap(URL);

/** The bytes a Rego string stands for: its UTF-8 encoding. */
export function bytesOf(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** Bytes back to a Rego string as Go would range over them: every byte of an invalid sequence is one U+FFFD. */
export function goString(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length;) {
    const n = validRuneLength(b, i);
    if (n === 0) { out += '\uFFFD'; i++; continue; }
    out += Buffer.from(b.subarray(i, i + n)).toString('utf8');
    i += n;
  }
  return out;
}

/** Length of the valid UTF-8 sequence at i (Go's utf8.DecodeRune acceptance ranges), 0 if invalid. */
function validRuneLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => i + j < b.length && b[i + j]! >= lo && b[i + j]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80, hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80, hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Go's base64.CorruptInputError text. */
export class Base64Error extends Error {
  constructor(offset: number | string) {
    super(typeof offset === 'number' ? `illegal base64 data at input byte ${offset}` : offset);
  }
}

/**
 * encoding/base64's padded, non-strict decoding: quanta of four, '\r' and '\n' skipped anywhere, '=' only as
 * padding, nothing after it; unused low bits are ignored. Throws Base64Error at Go's offset.
 */
function decodePadded(src: Uint8Array, map: Int16Array): Buffer {
  const out: number[] = [];
  let si = 0;
  const skipNewlines = (): void => { while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++; };
  for (;;) {
    const quantum = [0, 0, 0, 0];
    let dlen = 4;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw new Base64Error(si - j);
      }
      const c = src[si]!;
      si++;
      const d = map[c]!;
      if (d >= 0) { quantum[j] = d; continue; }
      if (c === 0x0a || c === 0x0d) { j--; continue; }
      if (c !== 0x3d) throw new Base64Error(si - 1);
      // Padding: '=' after two symbols needs a second '='; after three it ends the input.
      if (j < 2) throw new Base64Error(si - 1);
      if (j === 2) {
        skipNewlines();
        if (si === src.length) throw new Base64Error(src.length);
        if (src[si] !== 0x3d) throw new Base64Error(si - 1);
        si++;
      }
      skipNewlines();
      if (si < src.length) throw new Base64Error(si);
      dlen = j;
      break;
    }
    const v = (quantum[0]! << 18) | (quantum[1]! << 12) | (quantum[2]! << 6) | quantum[3]!;
    const bytes = [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (dlen < 4) return Buffer.from(out);
  }
}

export function decodeStd(s: string): Buffer {
  return decodePadded(bytesOf(s), STD_MAP);
}

/** base64url.decode: RFC 7515 appendix C padding repair first, as OPA does, then URL-alphabet decoding. */
export function decodeURL(s: string): Buffer {
  let padded = s;
  if (!s.endsWith('=')) {
    switch (bytesOf(s).length % 4) {
      case 2: padded += '=='; break;
      case 3: padded += '='; break;
      case 1: throw new Base64Error(`illegal base64url string: ${s}`);
      default: break;
    }
  }
  return decodePadded(bytesOf(padded), URL_MAP);
}

export function encodeURLNoPad(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url');
}

function decodeWith(decode: (s: string) => Buffer, s: string, fail: (m: string) => Error): string {
  try {
    return goString(decode(s));
  } catch (e) {
    if (e instanceof Base64Error) throw fail(e.message);
    throw e;
  }
}

export const base64Builtins: readonly Builtin[] = [
  define('base64.encode', 1, (a) => bytesOf(a.string(1)).toString('base64')),
  define('base64.decode', 1, (a) => decodeWith(decodeStd, a.string(1), (m) => a.fail(m))),
  define('base64.is_valid', 1, (a) => {
    const s = a.at(1);
    if (typeof s !== 'string') return false;
    try { decodeStd(s); return true; } catch { return false; }
  }),
  define('base64url.encode', 1, (a) => bytesOf(a.string(1)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')),
  define('base64url.encode_no_pad', 1, (a) => encodeURLNoPad(bytesOf(a.string(1)))),
  define('base64url.decode', 1, (a) => decodeWith(decodeURL, a.string(1), (m) => a.fail(m))),
];
