import 'reflect-metadata';
import { createHash, generateKeyPairSync, KeyObject, sign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { json } from '@sigstore/core';
import { cosignPayload, type SimSignature } from '@deckhand/sim/github';

/**
 * A private Sigstore made in the test, no network: a Fulcio-like CA (real X.509, @peculiar/x509), a Rekor-like log
 * key that signs entry timestamps (SETs), and the trusted root JSON that trusts both — the same files and formats a
 * real deployment verifies against, with keys nobody else has.
 */
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

/** A cosign key pair as `cosign generate-key-pair` makes (ECDSA P-256), in PEM. */
export function makeKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** DER of an ASN.1 UTF8String (the v2 Fulcio issuer extension's value). */
function derUtf8(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length > 127) throw new Error('issuer too long for this helper');
  return Buffer.concat([Buffer.from([0x0c, bytes.length]), bytes]);
}

/** An in-toto statement naming an image digest, as cosign v3 signs images (predicate `https://sigstore.dev/cosign/sign/v1`). */
export function imageStatement(dockerReference: string, digest: string): Buffer {
  return Buffer.from(JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: dockerReference, digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1', predicate: {},
  }));
}

/** DSSE's pre-authentication encoding: what a DSSE signature signs. */
function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

/** A key-based Sigstore bundle (v0.3, DSSE): `cosign sign --key … --new-bundle-format --tlog-upload=false`. */
export function bundleWithKey(privateKeyPem: string, o: { dockerReference: string; digest: string }): object {
  const payload = imageStatement(o.dockerReference, o.digest);
  const sig = sign('sha256', pae('application/vnd.in-toto+json', payload), privateKeyPem).toString('base64');
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: 'cosign-key' }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    dsseEnvelope: { payload: payload.toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig, keyid: '' }] },
  };
}

export interface FakeSigstore {
  /** The trusted root JSON (what `signature.trustedRoot` names). */
  trustedRoot: object;
  /** `cosign sign` keyless with the new bundle format: a v0.3 DSSE bundle with its certificate and a Rekor entry (promise and proof). */
  bundleKeyless(o: { identity: string; issuer: string; dockerReference: string; digest: string; at?: Date }): Promise<object>;
  /** `cosign sign` keyless: an ephemeral key, a certificate for `identity` from `issuer`, a Rekor entry with its SET. */
  signKeyless(o: { identity: string; issuer: string; dockerReference: string; digest: string; at?: Date }): Promise<SimSignature>;
}

export async function makeFakeSigstore(o: { validFrom?: Date } = {}): Promise<FakeSigstore> {
  const start = o.validFrom ?? new Date(Date.now() - 24 * 3600_000);
  const caKeys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'O=deckhand-test, CN=fake-fulcio', notBefore: start, notAfter: new Date(start.getTime() + 30 * 24 * 3600_000),
    signingAlgorithm: SIGNING, keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const rekor = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rekorSpki = rekor.publicKey.export({ type: 'spki', format: 'der' });
  const logId = createHash('sha256').update(rekorSpki).digest();
  let logIndex = 100;

  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{
      baseUrl: 'https://rekor.invalid', hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: rekorSpki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: start.toISOString() } },
      logId: { keyId: logId.toString('base64') },
    }],
    certificateAuthorities: [{
      subject: { organization: 'deckhand-test', commonName: 'fake-fulcio' }, uri: 'https://fulcio.invalid',
      certChain: { certificates: [{ rawBytes: Buffer.from(ca.rawData).toString('base64') }] },
      validFor: { start: start.toISOString() },
    }],
    ctlogs: [],
    timestampAuthorities: [],
  };

  /** A short-lived Fulcio-like certificate for `identity` from `issuer`, and its private key. */
  async function certify(identity: string, issuer: string, at: Date): Promise<{ certPem: string; der: Buffer; key: KeyObject }> {
    const leafKeys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
    const san = identity.includes('@') && !identity.includes('://') ? { type: 'email' as const, value: identity } : { type: 'url' as const, value: identity };
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: (Date.now() + logIndex).toString(16), subject: 'O=sigstore.dev', issuer: ca.subject,
      notBefore: new Date(at.getTime() - 60_000), notAfter: new Date(at.getTime() + 10 * 60_000),
      signingAlgorithm: SIGNING, publicKey: leafKeys.publicKey, signingKey: caKeys.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([CODE_SIGNING]),
        new x509.SubjectAlternativeNameExtension([san], true),
        await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        new x509.Extension(OID_ISSUER_V1, false, Buffer.from(issuer, 'ascii')),
        new x509.Extension(OID_ISSUER_V2, false, derUtf8(issuer)),
      ],
    });
    return { certPem: leaf.toString('pem'), der: Buffer.from(leaf.rawData), key: KeyObject.from(leafKeys.privateKey) };
  }

  /** A Rekor entry for `body` (canonical JSON): its SET, and an inclusion proof in a one-leaf tree with a signed checkpoint. */
  function logEntry(body: object, at: Date): { entry: { body: string; integratedTime: number; logIndex: number; logID: string }; set: string; proof: object } {
    const canonical = Buffer.from(json.canonicalize(body));
    const entry = { body: canonical.toString('base64'), integratedTime: Math.floor(at.getTime() / 1000), logIndex: logIndex++, logID: logId.toString('hex') };
    const set = sign('sha256', Buffer.from(json.canonicalize(entry)), rekor.privateKey).toString('base64');
    const root = createHash('sha256').update(Buffer.concat([Buffer.from([0]), canonical])).digest();
    const note = `rekor.invalid - ${entry.logIndex}\n1\n${root.toString('base64')}\n`;
    const noteSig = Buffer.concat([logId.subarray(0, 4), sign('sha256', Buffer.from(note), rekor.privateKey)]).toString('base64');
    const proof = { logIndex: '0', rootHash: root.toString('base64'), treeSize: '1', hashes: [], checkpoint: { envelope: `${note}\n\u2014 rekor.invalid ${noteSig}\n` } };
    return { entry, set, proof };
  }

  return {
    trustedRoot,
    async bundleKeyless(o) {
      const at = o.at ?? new Date();
      const { certPem, der, key } = await certify(o.identity, o.issuer, at);
      const payload = imageStatement(o.dockerReference, o.digest);
      const sig = sign('sha256', pae('application/vnd.in-toto+json', payload), key).toString('base64');
      const envelope = { payload: payload.toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig, keyid: '' }] };
      const { entry, set, proof } = logEntry({
        apiVersion: '0.0.1', kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: createHash('sha256').update(JSON.stringify(envelope)).digest('hex') },
          payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') },
          signatures: [{ signature: sig, verifier: Buffer.from(certPem).toString('base64') }],
        },
      }, at);
      return {
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: {
          certificate: { rawBytes: der.toString('base64') },
          tlogEntries: [{
            logIndex: String(entry.logIndex), logId: { keyId: logId.toString('base64') }, kindVersion: { kind: 'dsse', version: '0.0.1' },
            integratedTime: String(entry.integratedTime), inclusionPromise: { signedEntryTimestamp: set }, inclusionProof: proof, canonicalizedBody: entry.body,
          }],
          timestampVerificationData: { rfc3161Timestamps: [] },
        },
        dsseEnvelope: envelope,
      };
    },
    async signKeyless(s) {
      const at = s.at ?? new Date();
      const { certPem, key } = await certify(s.identity, s.issuer, at);
      const payload = cosignPayload(s.dockerReference, s.digest);
      const signature = sign('sha256', Buffer.from(payload), key).toString('base64');
      // The hashedrekord entry Rekor would record for this signature, and the log's promise to include it (SET).
      const { entry, set } = logEntry({
        apiVersion: '0.0.1', kind: 'hashedrekord',
        spec: {
          data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
          signature: { content: signature, publicKey: { content: Buffer.from(certPem).toString('base64') } },
        },
      }, at);
      return { payload, signature, certificate: certPem, rekorBundle: JSON.stringify({ SignedEntryTimestamp: set, Payload: entry }) };
    },
  };
}
