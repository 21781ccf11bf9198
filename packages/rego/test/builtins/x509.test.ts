import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RObject, RSet, toJSON } from '../../src/value.ts';
import type { Value } from '../../src/value.ts';
import { buildCSR, buildCert, pem } from './cert-builder.ts';
import { call, value } from './call.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');

const rootName = { cn: 'Deckhand Test Root', o: 'Deckhand', c: 'NL' };
const interName = { cn: 'Deckhand Test Intermediate' };
const root = buildCert({ subject: rootName, key: rsa.privateKey, isCA: true, keyUsage: [5], serial: 1n });
const intermediate = buildCert({
  subject: interName, key: ec.privateKey, issuer: { name: rootName, key: rsa.privateKey }, isCA: true, maxPathLen: 0,
  keyUsage: [5], serial: 2n,
});
const leaf = buildCert({
  subject: { cn: 'api.deckhand.test' }, key: ed.privateKey, issuer: { name: interName, key: ec.privateKey },
  serial: 123456789012345678901234567890n, isCA: false, keyUsage: [0], dnsNames: ['api.deckhand.test', '*.svc.deckhand.test'],
  emails: ['ops@deckhand.test'], ips: [Buffer.of(10, 0, 0, 1)], uris: ['spiffe://deckhand.test/ns/prod/sa/api'],
  extKeyUsage: ['1.3.6.1.5.5.7.3.1'], notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2044-01-01T00:00:00Z'),
});
const chainPEM = [root, intermediate, leaf].map((d) => pem('CERTIFICATE', d)).join('');
const NS_2030 = 1_893_456_000_000_000_000n;

function field(v: Value | undefined, ...path: (string | number)[]): unknown {
  let cur: Value | undefined = v;
  for (const p of path) {
    if (typeof p === 'number' && Array.isArray(cur)) cur = cur[p];
    else if (typeof p === 'string' && cur instanceof RObject) cur = cur.get(p);
    else return undefined;
  }
  return cur === undefined ? undefined : toJSON(cur);
}

describe('crypto.x509.parse_certificates', () => {
  const certs = value('crypto.x509.parse_certificates', pem('CERTIFICATE', leaf));

  it('shows the certificate as Go json-encodes x509.Certificate', () => {
    expect(field(certs, 0, 'Subject', 'CommonName')).toBe('api.deckhand.test');
    expect(field(certs, 0, 'Issuer', 'CommonName')).toBe('Deckhand Test Intermediate');
    expect(field(certs, 0, 'Version')).toBe(3);
    expect(String(field(certs, 0, 'SerialNumber'))).toBe('123456789012345678901234567890');
    expect(field(certs, 0, 'NotBefore')).toBe('2024-01-01T00:00:00Z');
    expect(field(certs, 0, 'DNSNames')).toEqual(['api.deckhand.test', '*.svc.deckhand.test']);
    expect(field(certs, 0, 'EmailAddresses')).toEqual(['ops@deckhand.test']);
    expect(field(certs, 0, 'IPAddresses')).toEqual(['10.0.0.1']);
    expect(field(certs, 0, 'URIStrings')).toEqual(['spiffe://deckhand.test/ns/prod/sa/api']);
    expect(field(certs, 0, 'URIs', 0, 'Scheme')).toBe('spiffe');
    expect(field(certs, 0, 'URIs', 0, 'Host')).toBe('deckhand.test');
    expect(field(certs, 0, 'ExtKeyUsage')).toEqual([1]);
    expect(field(certs, 0, 'KeyUsage')).toBe(1);
    expect(field(certs, 0, 'BasicConstraintsValid')).toBe(true);
    expect(field(certs, 0, 'IsCA')).toBe(false);
    expect(field(certs, 0, 'MaxPathLen')).toBe(-1);
    // Ed25519 key, signed by an ECDSA P-256 key with SHA-256.
    expect(field(certs, 0, 'PublicKeyAlgorithm')).toBe(4);
    expect(field(certs, 0, 'SignatureAlgorithm')).toBe(10);
    expect(field(certs, 0, 'Raw')).toBe(leaf.toString('base64'));
    expect(field(certs, 0, 'CRLDistributionPoints')).toBeNull();
  });

  it('reads pkix names with their attribute types', () => {
    const [rootCert] = toJSONArray(value('crypto.x509.parse_certificates', pem('CERTIFICATE', root)));
    expect(rootCert).toMatchObject({
      Subject: {
        Country: ['NL'], Organization: ['Deckhand'], CommonName: 'Deckhand Test Root', Locality: null,
        Names: [{ Type: [2, 5, 4, 6], Value: 'NL' }, { Type: [2, 5, 4, 10], Value: 'Deckhand' }, { Type: [2, 5, 4, 3], Value: 'Deckhand Test Root' }],
      },
      IsCA: true, MaxPathLenZero: false, KeyUsage: 32, PublicKeyAlgorithm: 1, SignatureAlgorithm: 4,
    });
  });

  it('shows an RSA public key as {N, E} with the exact modulus', () => {
    const [rootCert] = toJSONArray(value('crypto.x509.parse_certificates', pem('CERTIFICATE', root)));
    const jwk = rsa.publicKey.export({ format: 'jwk' });
    expect(rootCert).toMatchObject({ PublicKey: { E: 65537 } });
    const n = field(value('crypto.x509.parse_certificates', pem('CERTIFICATE', root)), 0, 'PublicKey', 'N');
    expect(BigInt(String(n))).toBe(BigInt('0x' + Buffer.from(String(jwk.n), 'base64url').toString('hex')));
  });

  it.each([
    ['a PEM chain', chainPEM, 3],
    ['base64 of the PEM chain', Buffer.from(chainPEM).toString('base64'), 3],
    ['base64 of concatenated DER', Buffer.concat([root, leaf]).toString('base64'), 2],
    ['base64 of a PEM chain with CRLF line ends', Buffer.from(chainPEM.replace(/\n/g, '\r\n')).toString('base64'), 3],
  ])('accepts %s', (_what, input, count) => {
    expect(toJSONArray(value('crypto.x509.parse_certificates', input))).toHaveLength(count);
  });

  it.each([
    ['-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n', "eval_builtin_error: crypto.x509.parse_certificates: PEM block type is 'PUBLIC KEY', expected CERTIFICATE"],
    ['not base64!', 'eval_builtin_error: crypto.x509.parse_certificates: illegal base64 data at input byte 3'],
    ['YmFkc3RyaW5n', 'eval_builtin_error: crypto.x509.parse_certificates: x509: malformed certificate'],
  ])('fails on %j', (input, want) => {
    expect(call('crypto.x509.parse_certificates', input)).toBe(want);
  });
});

function toJSONArray(v: Value | undefined): unknown[] {
  const j = v === undefined ? undefined : toJSON(v);
  return Array.isArray(j) ? j : [];
}

describe('crypto.x509.parse_and_verify_certificates', () => {
  it('verifies root, intermediate, leaf and returns the chain leaf first', () => {
    const r = value('crypto.x509.parse_and_verify_certificates', chainPEM);
    expect(field(r, 0)).toBe(true);
    expect([0, 1, 2].map((i) => field(r, 1, i, 'Subject', 'CommonName')))
      .toEqual(['api.deckhand.test', 'Deckhand Test Intermediate', 'Deckhand Test Root']);
    expect(field(r, 1, 3)).toBeUndefined();
    expect(field(r, 1, 0, 'URIStrings')).toEqual(['spiffe://deckhand.test/ns/prod/sa/api']);
  });

  it.each([
    ['a chain missing its intermediate', [root, leaf]],
    ['a single certificate', [root]],
    ['the leaf first', [leaf, intermediate, root]],
    ['a foreign root', [buildCert({ subject: rootName, key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, isCA: true }), intermediate, leaf]],
  ])('does not verify %s', (_what, ders) => {
    expect(call('crypto.x509.parse_and_verify_certificates', ders.map((d) => pem('CERTIFICATE', d)).join(''))).toBe('[false,[]]');
  });

  it('does not let a non-CA certificate issue', () => {
    const notCA = buildCert({ subject: interName, key: ec.privateKey, issuer: { name: rootName, key: rsa.privateKey }, isCA: false });
    expect(call('crypto.x509.parse_and_verify_certificates', [root, notCA, leaf].map((d) => pem('CERTIFICATE', d)).join(''))).toBe('[false,[]]');
  });

  it('refuses a SHA-1 signature as Go does', () => {
    const sha1Leaf = buildCert({ subject: { cn: 'sha1' }, key: ed.privateKey, issuer: { name: rootName, key: rsa.privateKey }, hash: 'sha1' });
    const sha256Leaf = buildCert({ subject: { cn: 'sha256' }, key: ed.privateKey, issuer: { name: rootName, key: rsa.privateKey } });
    expect(field(value('crypto.x509.parse_certificates', pem('CERTIFICATE', sha1Leaf)), 0, 'SignatureAlgorithm')).toBe(3);
    expect(call('crypto.x509.parse_and_verify_certificates', [root, sha1Leaf].map((d) => pem('CERTIFICATE', d)).join(''))).toBe('[false,[]]');
    expect(field(value('crypto.x509.parse_and_verify_certificates', [root, sha256Leaf].map((d) => pem('CERTIFICATE', d)).join('')), 0)).toBe(true);
  });

  it('rejects an expired leaf', () => {
    const expired = buildCert({ subject: { cn: 'old' }, key: ed.privateKey, issuer: { name: rootName, key: rsa.privateKey }, notAfter: new Date('2021-01-01T00:00:00Z') });
    expect(call('crypto.x509.parse_and_verify_certificates', [root, expired].map((d) => pem('CERTIFICATE', d)).join(''))).toBe('[false,[]]');
  });

  it('returns [false, []] for input it cannot parse', () => {
    expect(call('crypto.x509.parse_and_verify_certificates', 'nonsense')).toBe('[false,[]]');
  });
});

describe('crypto.x509.parse_and_verify_certificates_with_options', () => {
  const verify = (opts: [string, Value][]): unknown => field(value('crypto.x509.parse_and_verify_certificates_with_options', chainPEM, new RObject(opts)), 0);

  it.each([
    ['a matching DNS name', [['DNSName', 'api.deckhand.test']], true],
    ['a wildcard DNS name', [['DNSName', 'web.svc.deckhand.test']], true],
    ['a DNS name the leaf does not carry', [['DNSName', 'evil.test']], false],
    ['a time before the leaf is valid', [['CurrentTime', 1_600_000_000_000_000_000n]], false],
    ['a time within validity', [['CurrentTime', NS_2030]], true],
    ['the client-auth usage the leaf lacks', [['KeyUsages', ['KeyUsageClientAuth']]], false],
    ['any usage', [['KeyUsages', new RSet(['KeyUsageAny'])]], true],
  ] satisfies [string, [string, Value][], boolean][])('with %s → %s', (_what, opts, want) => {
    expect(verify(opts)).toBe(want);
  });

  it.each([
    [[['KeyUsages', ['KeyUsageBogus', 'KeyUsageServerAuth']]], "invalid entries for 'KeyUsages' found: [KeyUsageBogus]"],
    [[['DNSName', 1]], "'DNSName' should be a string"],
    [[['CurrentTime', 'now']], "'CurrentTime' should be a number"],
    [[['Roots', 'x']], 'invalid key option'],
  ] satisfies [[string, Value][], string][])('reports bad options: %j', (opts, want) => {
    expect(call('crypto.x509.parse_and_verify_certificates_with_options', chainPEM, new RObject(opts)))
      .toBe(`eval_builtin_error: crypto.x509.parse_and_verify_certificates_with_options: ${want}`);
  });
});

describe('crypto.x509.parse_certificate_request', () => {
  const csr = buildCSR({ cn: 'csr.deckhand.test', o: 'Deckhand' }, ec.privateKey, ['csr.deckhand.test', 'alt.deckhand.test']);

  it.each([
    ['PEM', pem('CERTIFICATE REQUEST', csr)],
    ['base64 DER', csr.toString('base64')],
  ])('reads a %s CSR', (_what, input) => {
    const r = value('crypto.x509.parse_certificate_request', input);
    expect(field(r, 'Subject', 'CommonName')).toBe('csr.deckhand.test');
    expect(field(r, 'DNSNames')).toEqual(['csr.deckhand.test', 'alt.deckhand.test']);
    expect(field(r, 'PublicKeyAlgorithm')).toBe(3);
    expect(field(r, 'SignatureAlgorithm')).toBe(10);
    expect(field(r, 'Extensions', 0, 'Id')).toEqual([2, 5, 29, 17]);
  });

  it('rejects a PEM block of another type', () => {
    expect(call('crypto.x509.parse_certificate_request', Buffer.from(pem('CERTIFICATE', root)).toString('base64')))
      .toBe('eval_builtin_error: crypto.x509.parse_certificate_request: invalid PEM-encoded certificate signing request');
  });
});

describe('private keys', () => {
  const pkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const sec1 = ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString();
  const pkcs8 = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

  it('crypto.parse_private_keys reads every private key block, as Go key structs', () => {
    const parsed = value('crypto.parse_private_keys', pkcs1 + sec1 + pkcs8);
    const keys = toJSONArray(parsed);
    expect(keys).toHaveLength(3);
    const jwk = rsa.privateKey.export({ format: 'jwk' });
    const n = BigInt('0x' + Buffer.from(String(jwk.n), 'base64url').toString('hex'));
    expect(BigInt(String(field(parsed, 0, 'N')))).toBe(n);
    expect(keys[0]).toMatchObject({ E: 65537, Precomputed: { CRTValues: [] } });
    expect(keys[1]).toEqual({ Curve: {}, X: expect.anything(), Y: expect.anything(), D: expect.anything() });
    expect(typeof keys[2]).toBe('string');
    expect(Buffer.from(String(keys[2]), 'base64')).toHaveLength(64);
  });

  it.each([
    ['', 'null'],
    ['no keys here', '[]'],
  ])('crypto.parse_private_keys(%j) is %s', (input, want) => {
    expect(call('crypto.parse_private_keys', input)).toBe(want);
  });

  it('crypto.x509.parse_rsa_private_key gives the JWK, from PEM or base64 of PEM', () => {
    const want = rsa.privateKey.export({ format: 'jwk' });
    expect(toJSON(value('crypto.x509.parse_rsa_private_key', pkcs1)!)).toEqual(want);
    expect(toJSON(value('crypto.x509.parse_rsa_private_key', Buffer.from(pkcs1).toString('base64'))!)).toEqual(want);
    expect(call('crypto.x509.parse_rsa_private_key', '')).toBe('eval_builtin_error: crypto.x509.parse_rsa_private_key: input PEM data was empty');
  });

  it('crypto.x509.parse_keypair pairs a certificate with its key', () => {
    const cert = pem('CERTIFICATE', root);
    const pair = value('crypto.x509.parse_keypair', cert, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    expect(field(pair, 'Certificate')).toEqual([root.toString('base64')]);
    expect(field(pair, 'Leaf', 'Subject', 'CommonName')).toBe('Deckhand Test Root');
    const derKey = rsa.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    expect(field(value('crypto.x509.parse_keypair', root.toString('base64'), derKey), 'Leaf', 'Raw')).toBe(root.toString('base64'));
    expect(call('crypto.x509.parse_keypair', cert, sec1)).toBe('eval_builtin_error: crypto.x509.parse_keypair: tls: private key type does not match public key type');
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(call('crypto.x509.parse_keypair', cert, other)).toBe('eval_builtin_error: crypto.x509.parse_keypair: tls: private key does not match public key');
    expect(call('crypto.x509.parse_keypair', cert, 1)).toBe('eval_type_error: crypto.x509.parse_keypair: operand 1 must be string but got number');
  });
});

describe('the test certificates themselves', () => {
  it('are valid X.509 for node as well', () => {
    expect(new X509Certificate(leaf).checkIssued(new X509Certificate(intermediate))).toBe(true);
  });
});
