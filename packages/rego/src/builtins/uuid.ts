/**
 * uuid.parse: v1/topdown/uuid.go over github.com/google/uuid. Accepts google/uuid's four spellings (plain,
 * `urn:uuid:` prefixed, braced, 32 bare hex digits); anything else is undefined, never an error, as in OPA.
 * Time-based versions (1, 2) also report their timestamp, node id and clock sequence; DCE (2) its id and domain.
 */
import { RObject, makeNumber } from '../value.ts';
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

/** Hex offsets of the 16 bytes in the dashed 36-character form. */
const DASHED_OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34] as const;
/** 100ns ticks between the Gregorian reform (UUID epoch) and the Unix epoch. */
const GREGORIAN_TO_UNIX_TICKS = 122192928000000000n;
const DOMAINS = ['Person', 'Group', 'Org'] as const;

function hexByte(s: string, at: number): number | undefined {
  const pair = s.slice(at, at + 2);
  return /^[0-9a-fA-F]{2}$/.test(pair) ? parseInt(pair, 16) : undefined;
}

/** google/uuid.Parse: lengths are in bytes, and the braced form only drops its first character. */
export function parseUUIDBytes(input: string): Uint8Array | undefined {
  let s = input;
  const bytes = new Uint8Array(16);
  // Go measures bytes; a non-ASCII character's bytes are never hex digits or dashes, so it never parses.
  if ([...s].some((c) => c.charCodeAt(0) > 0x7f)) return undefined;
  if (s.length === 32) {
    for (let i = 0; i < 16; i++) {
      const b = hexByte(s, i * 2);
      if (b === undefined) return undefined;
      bytes[i] = b;
    }
    return bytes;
  }
  if (s.length === 45) {
    if (s.slice(0, 9).toLowerCase() !== 'urn:uuid:') return undefined;
    s = s.slice(9);
  } else if (s.length === 38) {
    s = s.slice(1);
  } else if (s.length !== 36) {
    return undefined;
  }
  if (s[8] !== '-' || s[13] !== '-' || s[18] !== '-' || s[23] !== '-') return undefined;
  for (const [i, at] of DASHED_OFFSETS.entries()) {
    const b = hexByte(s, at);
    if (b === undefined) return undefined;
    bytes[i] = b;
  }
  return bytes;
}

function variantOf(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Microsoft';
  if ((b & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

function macVariables(first: number): string {
  if ((first & 0b11) === 0b11) return 'local:multicast';
  if ((first & 0b01) === 0b01) return 'global:multicast';
  if ((first & 0b10) === 0b10) return 'local:unicast';
  return 'global:unicast';
}

/** The 60-bit timestamp as Unix nanoseconds, wrapped to int64 as OPA's arithmetic does. */
function unixNanos(view: DataView): bigint {
  const ticks = BigInt(view.getUint32(0)) | (BigInt(view.getUint16(4)) << 32n) | (BigInt(view.getUint16(6) & 0xfff) << 48n);
  return BigInt.asIntN(64, (ticks - GREGORIAN_TO_UNIX_TICKS) * 100n);
}

export function describeUUID(bytes: Uint8Array): RObject {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[6]! >> 4;
  const out = new RObject([['version', version], ['variant', variantOf(bytes[8]!)]]);
  if (version === 1 || version === 2) {
    out.set('time', makeNumber(unixNanos(view)));
    out.set('nodeid', [...bytes.slice(10)].map((b) => b.toString(16).padStart(2, '0')).join('-'));
    out.set('macvariables', macVariables(bytes[10]!));
    out.set('clocksequence', view.getUint16(8) & 0x3fff);
    if (version === 2) {
      out.set('id', view.getUint32(0));
      out.set('domain', DOMAINS[bytes[9]!] ?? `Domain${bytes[9]!}`);
    }
  }
  return out;
}

export const uuidBuiltins: readonly Builtin[] = [
  define('uuid.parse', 1, (a) => {
    const bytes = parseUUIDBytes(a.string(1));
    return bytes && describeUUID(bytes);
  }),
];
