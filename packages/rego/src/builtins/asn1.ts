/**
 * A small DER reader for the X.509 builtins: just enough of ASN.1 to walk certificates, CSRs and keys.
 * Malformed input throws Asn1Error; callers turn it into the builtin's error.
 */

export class Asn1Error extends Error {}

export interface Der {
  /** The identifier octet (class, constructed bit and tag number below 31). */
  readonly tag: number;
  /** The whole element, header included. */
  readonly raw: Buffer;
  readonly content: Buffer;
}

export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06,
  UTF8: 0x0c, PRINTABLE: 0x13, T61: 0x14, IA5: 0x16, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18, BMP: 0x1e,
  SEQUENCE: 0x30, SET: 0x31,
} as const;

/** The element starting at `at`, and where the next one starts. */
export function readDer(buf: Buffer, at = 0): [Der, number] {
  if (at + 2 > buf.length) throw new Asn1Error('asn1: syntax error: data truncated');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('asn1: high-tag-number form not supported');
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > buf.length) throw new Asn1Error('asn1: structure error: length too large');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  if (p + len > buf.length) throw new Asn1Error('asn1: syntax error: data truncated');
  return [{ tag, raw: buf.subarray(at, p + len), content: buf.subarray(p, p + len) }, p + len];
}

/** The one element `buf` holds; trailing bytes are an error, as in Go's asn1.Unmarshal callers. */
export function parseDer(buf: Buffer): Der {
  const [d, end] = readDer(buf, 0);
  if (end !== buf.length) throw new Asn1Error('x509: trailing data');
  return d;
}

export function children(d: Der): Der[] {
  const out: Der[] = [];
  for (let p = 0; p < d.content.length;) {
    const [c, next] = readDer(d.content, p);
    out.push(c);
    p = next;
  }
  return out;
}

export function expect(d: Der | undefined, tag: number, what: string): Der {
  if (!d || d.tag !== tag) throw new Asn1Error(`x509: malformed ${what}`);
  return d;
}

export function oidArcs(d: Der): number[] {
  const b = d.content;
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
    }
  }
  return arcs;
}

export function oidText(d: Der): string {
  return oidArcs(d).join('.');
}

/** A two's-complement INTEGER as a bigint. */
export function integer(d: Der): bigint {
  const b = d.content;
  if (b.length === 0) return 0n;
  let v = BigInt('0x' + b.toString('hex'));
  if (b[0]! & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

export function bitStringBytes(d: Der): Buffer {
  return d.content.subarray(1);
}

/** Bit i (from the most significant bit of the first byte) of a BIT STRING. */
export function bitAt(d: Der, i: number): boolean {
  const bytes = bitStringBytes(d);
  const byte = bytes[Math.floor(i / 8)];
  return byte !== undefined && (byte & (0x80 >> (i % 8))) !== 0;
}

/** Text of a string-typed element (BMPString is UTF-16BE; the others are read as UTF-8/Latin-1). */
export function stringOf(d: Der): string | undefined {
  switch (d.tag) {
    case TAG.UTF8: case TAG.PRINTABLE: case TAG.IA5: return d.content.toString('utf8');
    case TAG.T61: return d.content.toString('latin1');
    case TAG.BMP: {
      let s = '';
      for (let i = 0; i + 1 < d.content.length; i += 2) s += String.fromCharCode(d.content.readUInt16BE(i));
      return s;
    }
    default: return undefined;
  }
}

/** UTCTime / GeneralizedTime as RFC 3339 text, the way Go's time.Time marshals in UTC. */
export function timeOf(d: Der): string {
  const s = d.content.toString('latin1');
  const m = d.tag === TAG.UTC_TIME
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
    : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new Asn1Error('x509: malformed time');
  let year = m[1]!;
  if (d.tag === TAG.UTC_TIME) year = String(Number(year) < 50 ? 2000 + Number(year) : 1900 + Number(year));
  return `${year}-${m[2]!}-${m[3]!}T${m[4]!}:${m[5]!}:${m[6] ?? '00'}Z`;
}
