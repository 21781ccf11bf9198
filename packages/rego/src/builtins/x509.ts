/**
 * crypto.x509.* and crypto.parse_private_keys (v1/topdown/crypto.go): certificates, chains, CSRs, key pairs and
 * private keys given as PEM, base64 of PEM or base64 of DER — OPA's input rules and messages.
 */
import { createPublicKey } from 'node:crypto';
import { RObject, RSet, isNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { Asn1Error, TAG, bitStringBytes, children, expect, integer, oidArcs, oidText, parseDer } from './asn1.ts';
import type { Der } from './asn1.ts';
import { Base64Error, bytesOf, decodeStd, goString } from './base64.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import { decodePem, encodePem } from './pem.ts';
import { PrivateKeyError, goPrivateKeyValue, jwkValue, privateKeyFromDER, privateKeysFromPEM } from './private-keys.ts';
import type { Builtin } from './types.ts';
import { parseCertificate, parseCertificates, publicKeyValue, signatureAlgorithmOf, withURIStrings } from './x509-cert.ts';
import type { ParsedCertificate } from './x509-cert.ts';
import { generalNames, ipText, nameValue, strings, urlValue } from './x509-names.ts';
import { verifyChain } from './x509-verify.ts';
import type { VerifyOptions } from './x509-verify.ts';

/** A failure reported as the builtin's own error. */
class X509Error extends Error {}

function guarded(a: Operands, f: () => Value): Value {
  try {
    return f();
  } catch (e) {
    if (e instanceof X509Error || e instanceof Asn1Error || e instanceof Base64Error || e instanceof PrivateKeyError) {
      throw a.fail(e.message);
    }
    throw e;
  }
}

function certsFromPEM(text: string): ParsedCertificate[] {
  const ders: Buffer[] = [];
  let rest = text;
  while (rest.length > 0) {
    const { block, rest: next } = decodePem(rest);
    if (!block) break;
    if (block.type !== 'CERTIFICATE') throw new X509Error(`PEM block type is '${block.type}', expected CERTIFICATE`);
    ders.push(block.bytes);
    rest = next;
  }
  return parseCertificates(Buffer.concat(ders));
}

/** getX509CertsFromString: PEM, or base64 of PEM, or base64 of DER certificates. */
function certsFromString(text: string): ParsedCertificate[] {
  if (text.startsWith('-----BEGIN')) return certsFromPEM(text);
  const der = decodeStd(text);
  if (der.subarray(0, 10).toString('latin1') === '-----BEGIN') return certsFromPEM(goString(der));
  return parseCertificates(der);
}

/** extractVerifyOpts: the options OPA maps onto x509.VerifyOptions, with its messages. */
function verifyOptions(options: RObject, nowMs: number): VerifyOptions {
  let dnsName = '', currentTime = nowMs;
  const keyUsages: number[] = [];
  for (const [k, v] of options.sortedEntries()) {
    if (typeof k !== 'string') continue;
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw new X509Error("'DNSName' should be a string");
        dnsName = v.replace(/^"+|"+$/g, '');
        break;
      case 'CurrentTime':
        if (!isNumber(v)) throw new X509Error("'CurrentTime' should be a number");
        if (typeof v === 'number' && !Number.isInteger(v)) throw new X509Error("'CurrentTime' should be a valid int64 number");
        currentTime = Number(BigInt(v) / 1_000_000n);
        break;
      case 'MaxConstraintComparisons':
        if (!isNumber(v)) throw new X509Error("'MaxConstraintComparisons' should be a number");
        break;
      case 'KeyUsages': {
        const items = Array.isArray(v) ? v : v instanceof RSet ? v.sorted() : undefined;
        if (items === undefined) throw new X509Error("'KeyUsages' should be an Array or Set");
        const invalid: string[] = [];
        for (const u of items) {
          if (typeof u !== 'string') continue;
          const name = u.replace(/^"+|"+$/g, '');
          const usage = KEY_USAGE_NAMES[name];
          if (usage === undefined) invalid.push(name); else keyUsages.push(usage);
        }
        if (invalid.length) throw new X509Error(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`);
        break;
      }
      default:
        throw new X509Error('invalid key option');
    }
  }
  return { dnsName, currentTime, keyUsages };
}

const KEY_USAGE_NAMES: Readonly<Record<string, number>> = {
  KeyUsageAny: 0, KeyUsageServerAuth: 1, KeyUsageClientAuth: 2, KeyUsageCodeSigning: 3, KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5, KeyUsageIPSECTunnel: 6, KeyUsageIPSECUser: 7, KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9, KeyUsageMicrosoftServerGatedCrypto: 10, KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12, KeyUsageMicrosoftKernelCodeSigning: 13,
};

const UNVERIFIED: () => Value = () => [false, []];

/** Go's Verify reads the wall clock when no CurrentTime is given (not the query's time.now_ns). */
function parseAndVerify(a: Operands, withOptions: boolean): Value {
  const text = a.string(1);
  const options = withOptions ? a.object(2) : undefined;
  let certs: ParsedCertificate[];
  try {
    certs = certsFromString(text);
  } catch (e) {
    if (e instanceof X509Error || e instanceof Asn1Error || e instanceof Base64Error) return UNVERIFIED();
    throw e;
  }
  const nowMs = Date.now();
  const opts = options ? verifyOptions(options, nowMs) : { dnsName: '', currentTime: nowMs, keyUsages: [] };
  if (certs.length < 2) return UNVERIFIED();
  const chain = verifyChain(certs, opts);
  if (!chain) return UNVERIFIED();
  // OPA adds URIStrings to the plain variant's certificates only.
  return [true, chain.map((c) => (withOptions ? c.value : withURIStrings(c)))];
}

/** The CSR's attributes as Go's AttributeTypeAndValueSET, and the extensions it requests. */
function csrAttributes(attrs: Der | undefined): { attributes: Value; extensions: Der[] } {
  if (!attrs) return { attributes: null, extensions: [] };
  const attributes: Value[] = [];
  const extensions: Der[] = [];
  for (const attr of children(attrs)) {
    const [type, set] = children(attr);
    if (!type || !set) continue;
    const values: Value[] = children(set).map((seq) => children(seq).map((atv) => {
      const [t, v] = children(atv);
      const value: Value = v === undefined ? null : v.tag === TAG.BOOLEAN ? v.content[0] !== 0 : v.content.toString('base64');
      return new RObject([['Type', t && t.tag === TAG.OID ? oidArcs(t) : []], ['Value', value]]);
    }));
    attributes.push(new RObject([['Type', oidArcs(type)], ['Value', values]]));
    if (oidText(type) === '1.2.840.113549.1.9.14') for (const seq of children(set)) extensions.push(...children(seq));
  }
  return { attributes: attributes.length ? attributes : null, extensions };
}

function parseCSR(der: Buffer): Value {
  const csr = expect(parseDer(der), TAG.SEQUENCE, 'certificate request');
  const [info, sigAlg, sig] = children(csr);
  const [version, subject, spki, attrs] = children(expect(info, TAG.SEQUENCE, 'certificate request'));
  if (!version || !subject || !spki || !sigAlg || !sig) throw new Asn1Error('x509: malformed certificate request');
  const [pkAlg, pk] = publicKeyValue(spki);
  const { attributes, extensions } = csrAttributes(attrs?.tag === 0xa0 ? attrs : undefined);
  const names: { dns: string[]; emails: string[]; ips: string[]; uris: string[] } = { dns: [], emails: [], ips: [], uris: [] };
  const extList = extensions.map((ext) => {
    const parts = children(ext);
    const oid = parts[0]!, value = parts[parts.length - 1]!;
    const critical = parts[1]?.tag === TAG.BOOLEAN ? parts[1].content[0] !== 0 : false;
    if (oidText(oid) === '2.5.29.17') {
      const g = generalNames(parseDer(value.content));
      names.dns = g.dns; names.emails = g.emails; names.ips = g.ips.map(ipText); names.uris = g.uris;
    }
    return new RObject([['Id', oidArcs(oid)], ['Critical', critical], ['Value', value.content.toString('base64')]]);
  });
  const sigAlgCert = signatureAlgorithmOf(sigAlg);
  return new RObject([
    ['Raw', der.toString('base64')], ['RawTBSCertificateRequest', info!.raw.toString('base64')],
    ['RawSubjectPublicKeyInfo', spki.raw.toString('base64')], ['RawSubject', subject.raw.toString('base64')],
    ['Version', Number(integer(version))], ['Signature', bitStringBytes(sig).toString('base64')],
    ['SignatureAlgorithm', sigAlgCert], ['PublicKeyAlgorithm', pkAlg], ['PublicKey', pk],
    ['Subject', nameValue(subject)], ['Attributes', attributes],
    ['Extensions', extList.length ? extList : null], ['ExtraExtensions', null],
    ['DNSNames', strings(names.dns)], ['EmailAddresses', strings(names.emails)], ['IPAddresses', strings(names.ips)],
    ['URIs', names.uris.length ? names.uris.map(urlValue) : null],
  ]);
}

function certificateRequest(text: string): Value {
  let bytes = bytesOf(text);
  if (!text.startsWith('-----BEGIN CERTIFICATE REQUEST-----')) bytes = decodeStd(text);
  const { block } = decodePem(bytes.toString('latin1'));
  if (block && block.type !== 'CERTIFICATE REQUEST') throw new X509Error('invalid PEM-encoded certificate signing request');
  return parseCSR(block ? block.bytes : bytes);
}

/**
 * getTLSx509KeyPairFromString's input rules: PEM as is; otherwise base64 of PEM, or base64 of DER that is wrapped
 * into a PEM block of `type` (kept as bytes: DER is not text).
 */
function pemText(text: string, type: string): string {
  if (text.startsWith('-----BEGIN')) return text;
  const bytes = decodeStd(text);
  if (bytes.subarray(0, 10).toString('latin1') === '-----BEGIN') return bytes.toString('latin1');
  return encodePem(type, bytes);
}

/** tls.X509KeyPair: the chain's DER, the key, and the parsed leaf; the key must match the leaf's public key. */
function keyPair(certText: string, keyText: string): Value {
  const certPEM = pemText(certText, 'CERTIFICATE');
  const keyPEM = pemText(keyText, 'PRIVATE KEY');
  const ders: Buffer[] = [];
  let rest = certPEM;
  while (rest.length > 0) {
    const { block, rest: next } = decodePem(rest);
    if (!block) break;
    if (block.type === 'CERTIFICATE') ders.push(block.bytes);
    rest = next;
  }
  if (ders.length === 0) throw new X509Error('tls: failed to find any PEM data in certificate input');
  const keyDER = privateKeyBlock(keyPEM);
  // tls.parsePrivateKey tries PKCS #1, then PKCS #8, then SEC 1 whatever the block's label.
  const key = tryOr(() => privateKeyFromDER(keyDER, 'pkcs1')) ?? tryOr(() => privateKeyFromDER(keyDER, 'pkcs8'))
    ?? tryOr(() => privateKeyFromDER(keyDER, 'sec1'));
  if (!key) throw new X509Error('tls: failed to parse private key');
  const leaf = parseCertificate(ders[0]!);
  const certPublic = createPublicKey({ key: spkiOf(leaf), format: 'der', type: 'spki' });
  const keyPublic = createPublicKey(key);
  if (certPublic.asymmetricKeyType !== keyPublic.asymmetricKeyType) throw new X509Error('tls: private key type does not match public key type');
  if (!certPublic.export({ format: 'der', type: 'spki' }).equals(keyPublic.export({ format: 'der', type: 'spki' }))) {
    throw new X509Error('tls: private key does not match public key');
  }
  return new RObject([
    ['Certificate', ders.map((d) => d.toString('base64'))], ['PrivateKey', goPrivateKeyValue(key)],
    ['SupportedSignatureAlgorithms', null], ['OCSPStaple', null], ['SignedCertificateTimestamps', null],
    ['Leaf', leaf.value],
  ]);
}

function privateKeyBlock(pem: string): Buffer {
  for (let r = pem; ;) {
    const { block, rest } = decodePem(r);
    if (!block) throw new X509Error('tls: failed to find any PEM data in key input');
    if (block.type === 'PRIVATE KEY' || block.type.endsWith(' PRIVATE KEY')) return block.bytes;
    r = rest;
  }
}

function tryOr<T>(f: () => T): T | undefined {
  try { return f(); } catch { return undefined; }
}

function spkiOf(c: ParsedCertificate): Buffer {
  const raw = c.value.get('RawSubjectPublicKeyInfo');
  return Buffer.from(typeof raw === 'string' ? raw : '', 'base64');
}

export const x509Builtins: readonly Builtin[] = [
  define('crypto.x509.parse_certificates', 1, (a) => guarded(a, () => certsFromString(a.string(1)).map(withURIStrings))),
  define('crypto.x509.parse_and_verify_certificates', 1, (a) => guarded(a, () => parseAndVerify(a, false))),
  define('crypto.x509.parse_and_verify_certificates_with_options', 2, (a) => guarded(a, () => parseAndVerify(a, true))),
  define('crypto.x509.parse_certificate_request', 1, (a) => guarded(a, () => certificateRequest(a.string(1)))),
  define('crypto.x509.parse_keypair', 2, (a) => {
    const cert = a.string(1);
    const key = a.at(2);
    // OPA checks the key operand under position 1.
    if (typeof key !== 'string') throw a.operandErrOf(1, key, 'string');
    return guarded(a, () => keyPair(cert, key));
  }),
  define('crypto.x509.parse_rsa_private_key', 1, (a) => guarded(a, () => {
    let text = a.string(1);
    if (text === '') throw new X509Error('input PEM data was empty');
    if (!text.startsWith('-----BEGIN')) text = goString(decodeStd(text));
    const keys = privateKeysFromPEM(text);
    return keys[0] ? jwkValue(keys[0]) : null;
  })),
  define('crypto.parse_private_keys', 1, (a) => guarded(a, () => {
    const text = a.string(1);
    if (text === '') return null;
    return privateKeysFromPEM(text).map(goPrivateKeyValue);
  })),
];
