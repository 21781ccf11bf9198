/**
 * An X.509 certificate as OPA returns it: Go's x509.Certificate through encoding/json (byte slices as base64,
 * nil slices as null, enums as Go's numbers), plus the facts chain verification needs.
 */
import { RObject, makeNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { Asn1Error, TAG, bitAt, bitStringBytes, children, expect, integer, oidArcs, oidText, parseDer, readDer, timeOf } from './asn1.ts';
import type { Der } from './asn1.ts';
import { generalNames, ipText, nameValue, strings, urlValue } from './x509-names.ts';

/** x509.SignatureAlgorithm values by OID (RSA-PSS is resolved from its parameters' hash). */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, number>> = {
  '1.2.840.113549.1.1.2': 1, '1.2.840.113549.1.1.4': 2, '1.2.840.113549.1.1.5': 3, '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5, '1.2.840.113549.1.1.13': 6, '1.2.840.10040.4.3': 7, '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9, '1.2.840.10045.4.3.2': 10, '1.2.840.10045.4.3.3': 11, '1.2.840.10045.4.3.4': 12,
  '1.3.101.112': 16,
};
const PSS_BY_HASH: Readonly<Record<string, number>> = {
  '2.16.840.1.101.3.4.2.1': 13, '2.16.840.1.101.3.4.2.2': 14, '2.16.840.1.101.3.4.2.3': 15,
};

/** x509.ExtKeyUsage values by OID. */
export const EXT_KEY_USAGES: Readonly<Record<string, number>> = {
  '2.5.29.37.0': 0, '1.3.6.1.5.5.7.3.1': 1, '1.3.6.1.5.5.7.3.2': 2, '1.3.6.1.5.5.7.3.3': 3, '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5, '1.3.6.1.5.5.7.3.6': 6, '1.3.6.1.5.5.7.3.7': 7, '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9, '1.3.6.1.4.1.311.10.3.3': 10, '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12, '1.3.6.1.4.1.311.61.1.1': 13,
};

/** Extensions Go's parser understands; a critical one of any other kind is "unhandled". */
const HANDLED = new Set(['2.5.29.14', '2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.30', '2.5.29.31', '2.5.29.32',
  '2.5.29.33', '2.5.29.35', '2.5.29.36', '2.5.29.37', '2.5.29.54', '1.3.6.1.5.5.7.1.1']);

export interface ParsedCertificate {
  readonly der: Buffer;
  readonly value: RObject;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCA: boolean;
  readonly basicConstraintsValid: boolean;
  readonly maxPathLen: number;
  readonly extKeyUsage: readonly number[];
  /** Whether the certificate restricts its usage at all (known or unknown extended key usages). */
  readonly hasExtKeyUsage: boolean;
  readonly dnsNames: readonly string[];
  readonly ips: readonly string[];
  /** The SAN URIs as written (url.URL.String() of what Go parsed). */
  readonly uris: readonly string[];
  readonly commonName: string;
}

/** x509.SignatureAlgorithm of an AlgorithmIdentifier. */
export function signatureAlgorithmOf(alg: Der): number {
  const [oid, params] = children(alg);
  const id = oid ? oidText(oid) : '';
  if (id === '1.2.840.113549.1.1.10' && params) {
    const hash = children(params).find((p) => p.tag === 0xa0);
    const hashOid = hash ? children(children(hash)[0]!)[0] : undefined;
    return hashOid ? PSS_BY_HASH[oidText(hashOid)] ?? 0 : 0;
  }
  return SIGNATURE_ALGORITHMS[id] ?? 0;
}

function num(n: bigint): Value {
  return makeNumber(n);
}

/** The public key as json.Marshal shows Go's key types, and x509.PublicKeyAlgorithm. */
export function publicKeyValue(spki: Der): [algorithm: number, key: Value] {
  const [alg, bits] = children(spki);
  const oid = alg ? children(alg)[0] : undefined;
  const id = oid ? oidText(oid) : '';
  const keyBytes = bits ? bitStringBytes(bits) : Buffer.alloc(0);
  if (id === '1.2.840.113549.1.1.1') {
    const [n, e] = children(parseDer(keyBytes));
    return [1, new RObject([['N', num(integer(n!))], ['E', num(integer(e!))]])];
  }
  if (id === '1.2.840.10045.2.1') {
    const size = (keyBytes.length - 1) / 2;
    const coord = (b: Buffer): Value => num(BigInt('0x' + (b.toString('hex') || '0')));
    return [3, new RObject([['Curve', new RObject()], ['X', coord(keyBytes.subarray(1, 1 + size))], ['Y', coord(keyBytes.subarray(1 + size))]])];
  }
  if (id === '1.3.101.112') return [4, keyBytes.toString('base64')];
  if (id === '1.2.840.10040.4.1') return [2, null];
  return [0, null];
}

interface Extensions {
  keyUsage: number;
  extKeyUsage: number[];
  unknownExtKeyUsage: number[][];
  basicConstraintsValid: boolean;
  isCA: boolean;
  maxPathLen: number;
  subjectKeyId: Value;
  authorityKeyId: Value;
  ocsp: string[];
  issuing: string[];
  dns: string[];
  emails: string[];
  ips: string[];
  uris: string[];
  crl: string[];
  policyIdentifiers: number[][];
  permitted: Constraints;
  excluded: Constraints;
  permittedCritical: boolean;
  unhandled: number[][];
  list: Value[];
}

interface Constraints { dns: string[]; emails: string[]; uris: string[]; ipRanges: Value[] }

function subtrees(d: Der): Constraints {
  const out: Constraints = { dns: [], emails: [], uris: [], ipRanges: [] };
  for (const subtree of children(d)) {
    const base = children(subtree)[0];
    if (!base) continue;
    const text = base.content.toString('latin1');
    if (base.tag === 0x82) out.dns.push(text);
    else if (base.tag === 0x81) out.emails.push(text);
    else if (base.tag === 0x86) out.uris.push(text);
    else if (base.tag === 0x87) {
      const half = base.content.length / 2;
      out.ipRanges.push(new RObject([['IP', ipText(base.content.subarray(0, half))], ['Mask', base.content.subarray(half).toString('base64')]]));
    }
  }
  return out;
}

function parseExtensions(exts: Der | undefined): Extensions {
  const none = (): Constraints => ({ dns: [], emails: [], uris: [], ipRanges: [] });
  const x: Extensions = {
    keyUsage: 0, extKeyUsage: [], unknownExtKeyUsage: [], basicConstraintsValid: false, isCA: false, maxPathLen: 0,
    subjectKeyId: null, authorityKeyId: null, ocsp: [], issuing: [], dns: [], emails: [], ips: [], uris: [], crl: [],
    policyIdentifiers: [], permitted: none(), excluded: none(), permittedCritical: false, unhandled: [], list: [],
  };
  if (!exts) return x;
  for (const ext of children(children(exts)[0]!)) {
    const parts = children(ext);
    const oid = expect(parts[0], TAG.OID, 'extension');
    const critical = parts[1]?.tag === TAG.BOOLEAN ? parts[1].content[0] !== 0 : false;
    const value = expect(parts[parts.length - 1], TAG.OCTET_STRING, 'extension');
    const id = oidText(oid);
    x.list.push(new RObject([['Id', oidArcs(oid)], ['Critical', critical], ['Value', value.content.toString('base64')]]));
    if (critical && !HANDLED.has(id)) x.unhandled.push(oidArcs(oid));
    const inner = (): Der => parseDer(value.content);
    switch (id) {
      case '2.5.29.15': {
        const bits = inner();
        for (let i = 0; i < 9; i++) if (bitAt(bits, i)) x.keyUsage |= 1 << i;
        break;
      }
      case '2.5.29.19': {
        const fields = children(inner());
        x.basicConstraintsValid = true;
        x.isCA = fields[0]?.tag === TAG.BOOLEAN && fields[0].content[0] !== 0;
        const len = fields.find((f) => f.tag === TAG.INTEGER);
        x.maxPathLen = len ? Number(integer(len)) : -1;
        break;
      }
      case '2.5.29.17': {
        const g = generalNames(inner());
        x.dns = g.dns; x.emails = g.emails; x.ips = g.ips.map(ipText); x.uris = g.uris;
        break;
      }
      case '2.5.29.37':
        for (const u of children(inner())) {
          const known = EXT_KEY_USAGES[oidText(u)];
          if (known === undefined) x.unknownExtKeyUsage.push(oidArcs(u)); else x.extKeyUsage.push(known);
        }
        break;
      case '2.5.29.14': x.subjectKeyId = inner().content.toString('base64'); break;
      case '2.5.29.35': {
        const keyId = children(inner()).find((f) => f.tag === 0x80);
        if (keyId) x.authorityKeyId = keyId.content.toString('base64');
        break;
      }
      case '1.3.6.1.5.5.7.1.1':
        for (const ad of children(inner())) {
          const [method, location] = children(ad);
          if (!method || location?.tag !== 0x86) continue;
          const where = oidText(method);
          if (where === '1.3.6.1.5.5.7.48.1') x.ocsp.push(location.content.toString('latin1'));
          else if (where === '1.3.6.1.5.5.7.48.2') x.issuing.push(location.content.toString('latin1'));
        }
        break;
      case '2.5.29.31':
        for (const dp of children(inner())) {
          const name = children(dp).find((f) => f.tag === 0xa0);
          const full = name ? children(name).find((f) => f.tag === 0xa0) : undefined;
          if (full) for (const g of children(full)) if (g.tag === 0x86) x.crl.push(g.content.toString('latin1'));
        }
        break;
      case '2.5.29.32':
        for (const info of children(inner())) x.policyIdentifiers.push(oidArcs(children(info)[0]!));
        break;
      case '2.5.29.30': {
        x.permittedCritical = critical;
        for (const part of children(inner())) {
          if (part.tag === 0xa0) x.permitted = subtrees(part);
          else if (part.tag === 0xa1) x.excluded = subtrees(part);
        }
        break;
      }
      default: break;
    }
  }
  return x;
}

/** x509.ParseCertificate's view of one DER certificate. Throws Asn1Error when it is malformed. */
export function parseCertificate(der: Buffer): ParsedCertificate {
  const cert = expect(parseDer(der), TAG.SEQUENCE, 'certificate');
  const [tbs, sigAlg, sig] = children(cert);
  expect(tbs, TAG.SEQUENCE, 'tbs certificate');
  const fields = children(tbs!);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) { version = Number(integer(children(fields[0])[0]!)) + 1; i++; }
  const serial = expect(fields[i++], TAG.INTEGER, 'serial number');
  i++; // the TBS signature algorithm repeats the outer one
  const issuer = expect(fields[i++], TAG.SEQUENCE, 'issuer');
  const validity = children(expect(fields[i++], TAG.SEQUENCE, 'validity'));
  const subject = expect(fields[i++], TAG.SEQUENCE, 'subject');
  const spki = expect(fields[i++], TAG.SEQUENCE, 'public key');
  const exts = fields.slice(i).find((f) => f.tag === 0xa3);
  if (!validity[0] || !validity[1] || !sigAlg || !sig) throw new Asn1Error('x509: malformed certificate');
  const notBefore = timeOf(validity[0]), notAfter = timeOf(validity[1]);
  const [pkAlg, pk] = publicKeyValue(spki);
  const x = parseExtensions(exts);
  const subjectName = nameValue(subject);
  const b64 = (b: Buffer): string => b.toString('base64');
  const value = new RObject([
    ['Raw', b64(der)], ['RawTBSCertificate', b64(tbs!.raw)], ['RawSubjectPublicKeyInfo', b64(spki.raw)],
    ['RawSubject', b64(subject.raw)], ['RawIssuer', b64(issuer.raw)], ['Signature', b64(bitStringBytes(sig))],
    ['SignatureAlgorithm', signatureAlgorithmOf(sigAlg)], ['PublicKeyAlgorithm', pkAlg], ['PublicKey', pk],
    ['Version', version], ['SerialNumber', num(integer(serial))], ['Issuer', nameValue(issuer)], ['Subject', subjectName],
    ['NotBefore', notBefore], ['NotAfter', notAfter], ['KeyUsage', x.keyUsage],
    ['Extensions', x.list.length ? x.list : null], ['ExtraExtensions', null],
    ['UnhandledCriticalExtensions', x.unhandled.length ? x.unhandled : null],
    ['ExtKeyUsage', x.extKeyUsage.length ? x.extKeyUsage : null],
    ['UnknownExtKeyUsage', x.unknownExtKeyUsage.length ? x.unknownExtKeyUsage : null],
    ['BasicConstraintsValid', x.basicConstraintsValid], ['IsCA', x.isCA], ['MaxPathLen', x.maxPathLen],
    ['MaxPathLenZero', x.basicConstraintsValid && x.maxPathLen === 0],
    ['SubjectKeyId', x.subjectKeyId], ['AuthorityKeyId', x.authorityKeyId],
    ['OCSPServer', strings(x.ocsp)], ['IssuingCertificateURL', strings(x.issuing)],
    ['DNSNames', strings(x.dns)], ['EmailAddresses', strings(x.emails)], ['IPAddresses', strings(x.ips)],
    ['URIs', x.uris.length ? x.uris.map(urlValue) : null],
    ['PermittedDNSDomainsCritical', x.permittedCritical],
    ['PermittedDNSDomains', strings(x.permitted.dns)], ['ExcludedDNSDomains', strings(x.excluded.dns)],
    ['PermittedIPRanges', x.permitted.ipRanges.length ? x.permitted.ipRanges : null],
    ['ExcludedIPRanges', x.excluded.ipRanges.length ? x.excluded.ipRanges : null],
    ['PermittedEmailAddresses', strings(x.permitted.emails)], ['ExcludedEmailAddresses', strings(x.excluded.emails)],
    ['PermittedURIDomains', strings(x.permitted.uris)], ['ExcludedURIDomains', strings(x.excluded.uris)],
    ['CRLDistributionPoints', strings(x.crl)],
    ['PolicyIdentifiers', x.policyIdentifiers.length ? x.policyIdentifiers : null],
    ['Policies', x.policyIdentifiers.length ? x.policyIdentifiers.map((p) => p.join('.')) : null],
    ['InhibitAnyPolicy', 0], ['InhibitAnyPolicyZero', false], ['InhibitPolicyMapping', 0],
    ['InhibitPolicyMappingZero', false], ['RequireExplicitPolicy', 0], ['RequireExplicitPolicyZero', false],
    ['PolicyMappings', null],
  ]);
  const cn = subjectName.get('CommonName');
  return {
    der, value, notBefore: Date.parse(notBefore), notAfter: Date.parse(notAfter), isCA: x.isCA,
    basicConstraintsValid: x.basicConstraintsValid, maxPathLen: x.maxPathLen, extKeyUsage: x.extKeyUsage,
    hasExtKeyUsage: x.extKeyUsage.length + x.unknownExtKeyUsage.length > 0,
    dnsNames: x.dns, ips: x.ips, uris: x.uris, commonName: typeof cn === 'string' ? cn : '',
  };
}

/** x509.ParseCertificates: DER certificates back to back. */
export function parseCertificates(der: Buffer): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (let p = 0; p < der.length;) {
    let d: Der, next: number;
    try {
      [d, next] = readDer(der, p);
    } catch (e) {
      // Go's parser reports any framing fault of the outer SEQUENCE with this one message.
      if (e instanceof Asn1Error) throw new Asn1Error('x509: malformed certificate');
      throw e;
    }
    if (d.tag !== TAG.SEQUENCE) throw new Asn1Error('x509: malformed certificate');
    out.push(parseCertificate(Buffer.from(d.raw)));
    p = next;
  }
  return out;
}

/** The certificate with Go's URIs also as plain strings (OPA's extendedCert). */
export function withURIStrings(c: ParsedCertificate): RObject {
  const v = new RObject(c.value.pairs());
  v.set('URIStrings', strings(c.uris));
  return v;
}
