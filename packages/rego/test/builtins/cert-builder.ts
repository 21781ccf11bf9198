/**
 * Test helper: X.509 certificates and CSRs built from node:crypto keys (node can sign but not issue), so the
 * x509 and JWT tests carry no committed private keys. A tiny DER writer covers what the tests need.
 */
import { createPublicKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.of(tag), len(body.length), body]);
}

export const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const bool = (b: boolean): Buffer => tlv(0x01, Buffer.of(b ? 0xff : 0));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.of(0), b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const ia5 = (s: string, tag = 0x16): Buffer => tlv(tag, Buffer.from(s, 'latin1'));

export function int(v: bigint | number): Buffer {
  let hex = BigInt(v).toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.of(0), b]);
  return tlv(0x02, b);
}

export function oid(text: string): Buffer {
  const arcs = text.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const a of arcs.slice(2)) {
    const chunk = [a & 0x7f];
    for (let v = Math.floor(a / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(s, 'latin1'));
}

export interface Name { readonly cn: string; readonly o?: string; readonly c?: string }

function name(n: Name): Buffer {
  const rdn = (type: string, value: Buffer): Buffer => set(seq(oid(type), value));
  const parts: Buffer[] = [];
  if (n.c) parts.push(rdn('2.5.4.6', tlv(0x13, Buffer.from(n.c, 'latin1'))));
  if (n.o) parts.push(rdn('2.5.4.10', utf8(n.o)));
  parts.push(rdn('2.5.4.3', utf8(n.cn)));
  return seq(...parts);
}

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

function sigAlg(key: KeyObject, hash: 'sha256' | 'sha1' = 'sha256'): Buffer {
  switch (key.asymmetricKeyType) {
    case 'rsa': return seq(oid(hash === 'sha1' ? '1.2.840.113549.1.1.5' : '1.2.840.113549.1.1.11'), tlv(0x05));
    case 'ec': return seq(oid('1.2.840.10045.4.3.2'));
    case 'ed25519': return seq(oid('1.3.101.112'));
    default: throw new Error(`unsupported key type ${String(key.asymmetricKeyType)}`);
  }
}

function signWith(key: KeyObject, data: Buffer, hash: 'sha256' | 'sha1' = 'sha256'): Buffer {
  return sign(key.asymmetricKeyType === 'ed25519' ? null : hash, data, key);
}

export interface CertSpec {
  readonly subject: Name;
  /** The subject's key (its public half goes into the certificate). */
  readonly key: KeyObject;
  /** Issuer's name and private key; absent for a self-signed certificate. */
  readonly issuer?: { readonly name: Name; readonly key: KeyObject };
  readonly serial?: bigint;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly isCA?: boolean;
  readonly maxPathLen?: number;
  readonly dnsNames?: readonly string[];
  readonly emails?: readonly string[];
  readonly ips?: readonly Buffer[];
  readonly uris?: readonly string[];
  /** Extended key usage OIDs. */
  readonly extKeyUsage?: readonly string[];
  /** KeyUsage bits: bit 0 digitalSignature … bit 5 keyCertSign. */
  readonly keyUsage?: readonly number[];
  /** Digest of an RSA issuer's signature (SHA-1 only to test that verification refuses it). */
  readonly hash?: 'sha256' | 'sha1';
}

function spki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

function sanValue(s: CertSpec): Buffer | undefined {
  const names = [
    ...(s.emails ?? []).map((e) => ia5(e, 0x81)), ...(s.dnsNames ?? []).map((d) => ia5(d, 0x82)),
    ...(s.uris ?? []).map((u) => ia5(u, 0x86)), ...(s.ips ?? []).map((ip) => tlv(0x87, ip)),
  ];
  return names.length ? seq(...names) : undefined;
}

function keyUsageBits(usage: readonly number[]): Buffer {
  let v = 0;
  for (const b of usage) v |= 0x8000 >> b;
  const bytes = Buffer.of(v >> 8, v & 0xff);
  const used = v & 0xff ? 2 : 1;
  const last = bytes[used - 1]!;
  let unused = 0;
  while (unused < 7 && !(last & (1 << unused))) unused++;
  return tlv(0x03, Buffer.of(unused), bytes.subarray(0, used));
}

/** A DER certificate signed by the issuer's key (or its own). */
export function buildCert(s: CertSpec): Buffer {
  const extensions: Buffer[] = [];
  if (s.keyUsage) extensions.push(ext('2.5.29.15', true, keyUsageBits(s.keyUsage)));
  if (s.isCA !== undefined) {
    const fields = s.isCA ? [bool(true), ...(s.maxPathLen !== undefined ? [int(s.maxPathLen)] : [])] : [];
    extensions.push(ext('2.5.29.19', true, seq(...fields)));
  }
  const san = sanValue(s);
  if (san) extensions.push(ext('2.5.29.17', false, san));
  if (s.extKeyUsage) extensions.push(ext('2.5.29.37', false, seq(...s.extKeyUsage.map(oid))));
  const issuerKey = s.issuer?.key ?? s.key;
  const tbs = seq(
    tlv(0xa0, int(2)), int(s.serial ?? 1n), sigAlg(issuerKey, s.hash), name(s.issuer?.name ?? s.subject),
    seq(time(s.notBefore ?? new Date('2020-01-01T00:00:00Z')), time(s.notAfter ?? new Date('2049-01-01T00:00:00Z'))),
    name(s.subject), spki(s.key), ...(extensions.length ? [tlv(0xa3, seq(...extensions))] : []),
  );
  return seq(tbs, sigAlg(issuerKey, s.hash), bits(signWith(issuerKey, tbs, s.hash)));
}

/** A DER certificate signing request asking for the given DNS names. */
export function buildCSR(subject: Name, key: KeyObject, dnsNames: readonly string[]): Buffer {
  const request = seq(ext('2.5.29.17', false, seq(...dnsNames.map((d) => ia5(d, 0x82)))));
  const attrs = tlv(0xa0, seq(oid('1.2.840.113549.1.9.14'), set(request)));
  const info = seq(int(0), name(subject), spki(key), attrs);
  return seq(info, sigAlg(key), bits(signWith(key, info)));
}

export function pem(type: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}
