import { createHash, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signImageWithKey, type SimSignature } from '@deckhand/sim/github';
import { createSignatureVerifier, type SignatureLayer } from '../../src/artifacts/index.ts';
import { bundleWithKey, makeFakeSigstore, makeKeyPair, type FakeSigstore } from './fake-sigstore.ts';

const REF = 'registry.local/acme/api';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const WHERE = `${REF}:sha256-${'a'.repeat(64)}.sig`;
const IDENTITY = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

const layer = (s: SimSignature): SignatureLayer => ({ ...s, payload: Buffer.from(s.payload) });

describe('key-based signatures (cosign sign --key)', () => {
  const good = makeKeyPair();
  const wrong = makeKeyPair();
  const verifier = createSignatureVerifier({ kind: 'key', publicKeyPem: good.publicKeyPem });

  it('accepts a signature of the digest made with the configured key, and names the key', () => {
    const facts = verifier.verify(DIGEST, { layers: [layer(signImageWithKey(good.privateKeyPem, { dockerReference: REF, digest: DIGEST }))], where: WHERE });
    expect(facts).toEqual({ digest: DIGEST, signed: true, signer: { identity: verifier.expected, issuer: null }, reason: null });
    expect(verifier.expected).toMatch(/^key SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it.each<[string, () => SignatureLayer[], RegExp]>([
    ['no signature at all', () => [], /^no cosign signature or Sigstore bundle is attached to it \(nothing at registry\.local\/acme\/api:sha256-a+\.sig nor among its referrers\)$/],
    ['a signature made with another key', () => [layer(signImageWithKey(wrong.privateKeyPem, { dockerReference: REF, digest: DIGEST }))], /^its signature does not verify with the configured key SHA256:/],
    ['a valid signature of another digest (a replayed .sig)', () => [layer(signImageWithKey(good.privateKeyPem, { dockerReference: REF, digest: OTHER }))], /^its signature is for another image \(sha256:b+\)$/],
    ['a payload that was changed after signing', () => {
      const s = signImageWithKey(good.privateKeyPem, { dockerReference: REF, digest: DIGEST });
      return [layer({ ...s, payload: s.payload.replace('"optional":null', '"optional":{"by":"mallory"}') })];
    }, /^its signature does not verify with the configured key/],
  ])('refuses %s, with the reason in words', (_what, layers, reason) => {
    const facts = verifier.verify(DIGEST, { layers: layers(), where: WHERE });
    expect(facts.signed).toBe(false);
    expect(facts.signer).toBeNull();
    expect(facts.digest).toBe(DIGEST);
    expect(facts.reason).toMatch(reason);
  });

  it('counts the image as signed when one of several signatures is valid', () => {
    const layers = [
      layer(signImageWithKey(wrong.privateKeyPem, { dockerReference: REF, digest: DIGEST })),
      layer(signImageWithKey(good.privateKeyPem, { dockerReference: REF, digest: DIGEST })),
    ];
    expect(verifier.verify(DIGEST, { layers: layers, where: WHERE }).signed).toBe(true);
  });
});

describe('keyless signatures (Fulcio certificate + Rekor entry), offline against a trusted root', () => {
  let sigstore: FakeSigstore;
  let other: FakeSigstore;
  beforeAll(async () => {
    sigstore = await makeFakeSigstore();
    other = await makeFakeSigstore();
  });
  const verifierFor = (root: object, identity: { exact: string } | { regexp: string } = { exact: IDENTITY }) => createSignatureVerifier({ kind: 'keyless', identity, issuer: ISSUER, trustedRoot: root });

  it('accepts the expected identity and issuer, and reports them as the signer', async () => {
    const sig = await sigstore.signKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: REF, digest: DIGEST });
    const facts = verifierFor(sigstore.trustedRoot).verify(DIGEST, { layers: [layer(sig)], where: WHERE });
    expect(facts).toEqual({ digest: DIGEST, signed: true, signer: { identity: IDENTITY, issuer: ISSUER }, reason: null });
  });

  it('matches the identity by pattern with identityRegexp', async () => {
    const sig = await sigstore.signKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: REF, digest: DIGEST });
    const facts = verifierFor(sigstore.trustedRoot, { regexp: 'https://github\\.com/acme/.+' }).verify(DIGEST, { layers: [layer(sig)], where: WHERE });
    expect(facts.signed).toBe(true);
  });

  it('refuses another identity, and names who did sign', async () => {
    const sig = await sigstore.signKeyless({ identity: 'mallory@example.com', issuer: ISSUER, dockerReference: REF, digest: DIGEST });
    const facts = verifierFor(sigstore.trustedRoot).verify(DIGEST, { layers: [layer(sig)], where: WHERE });
    expect(facts.signed).toBe(false);
    expect(facts.reason).toBe(`it was signed by mallory@example.com via ${ISSUER}, not ${IDENTITY} via ${ISSUER}`);
  });

  it('refuses the right identity vouched for by another issuer', async () => {
    const sig = await sigstore.signKeyless({ identity: IDENTITY, issuer: 'https://accounts.google.com', dockerReference: REF, digest: DIGEST });
    const facts = verifierFor(sigstore.trustedRoot).verify(DIGEST, { layers: [layer(sig)], where: WHERE });
    expect(facts.reason).toContain('via https://accounts.google.com, not');
  });

  it('refuses a certificate from a CA the trusted root does not list', async () => {
    const sig = await other.signKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: REF, digest: DIGEST });
    const facts = verifierFor(sigstore.trustedRoot).verify(DIGEST, { layers: [layer(sig)], where: WHERE });
    expect(facts.signed).toBe(false);
    expect(facts.reason).toMatch(/^its (signing certificate is not trusted|transparency log entry does not verify)/);
  });

  it('refuses a keyless signature without its Rekor entry (no trusted time for the short-lived certificate)', async () => {
    const { rekorBundle: _dropped, ...sig } = await sigstore.signKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: REF, digest: DIGEST });
    const facts = verifierFor(sigstore.trustedRoot).verify(DIGEST, { layers: [layer(sig)], where: WHERE });
    expect(facts.signed).toBe(false);
    expect(facts.reason).toMatch(/^it has no trusted timestamp/);
  });

  it('refuses a key-based signature where keyless is expected', () => {
    const key = makeKeyPair();
    const facts = verifierFor(sigstore.trustedRoot).verify(DIGEST, { layers: [layer(signImageWithKey(key.privateKeyPem, { dockerReference: REF, digest: DIGEST }))], where: WHERE });
    expect(facts.reason).toBe(`it is signed with a key, and ${IDENTITY} via ${ISSUER} (keyless) is expected`);
  });
});

describe('Sigstore bundles attached as referrers (cosign --new-bundle-format)', () => {
  let sigstore: FakeSigstore;
  beforeAll(async () => { sigstore = await makeFakeSigstore(); });
  const keyless = () => createSignatureVerifier({ kind: 'keyless', identity: { exact: IDENTITY }, issuer: ISSUER, trustedRoot: sigstore.trustedRoot });

  it('accepts a keyless DSSE bundle whose in-toto subject is the digest, its Rekor entry proven by inclusion proof and checkpoint', async () => {
    const bundle = await sigstore.bundleKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: REF, digest: DIGEST });
    expect(keyless().verify(DIGEST, { layers: [], bundles: [bundle], where: WHERE })).toEqual({ digest: DIGEST, signed: true, signer: { identity: IDENTITY, issuer: ISSUER }, reason: null });
  });

  it('refuses a valid bundle about another image', async () => {
    const bundle = await sigstore.bundleKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: REF, digest: OTHER });
    expect(keyless().verify(DIGEST, { layers: [], bundles: [bundle], where: WHERE }).reason).toBe('a Sigstore bundle attached to it is about another image (no in-toto subject with its digest)');
  });

  it('refuses a bundle whose checkpoint was not signed by the trusted log', async () => {
    const bundle = await sigstore.bundleKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: REF, digest: DIGEST }) as { verificationMaterial: { tlogEntries: { inclusionProof: { checkpoint: { envelope: string } } }[] } };
    const proof = bundle.verificationMaterial.tlogEntries[0]?.inclusionProof;
    if (proof) proof.checkpoint.envelope = proof.checkpoint.envelope.replace(/\n1\n/, '\n2\n');
    expect(keyless().verify(DIGEST, { layers: [], bundles: [bundle], where: WHERE }).reason).toMatch(/^its transparency log entry does not verify/);
  });

  it('accepts a key-based DSSE bundle with the service key, whatever hint it names the key by', () => {
    const key = makeKeyPair();
    const verifier = createSignatureVerifier({ kind: 'key', publicKeyPem: key.publicKeyPem });
    expect(verifier.verify(DIGEST, { layers: [], bundles: [bundleWithKey(key.privateKeyPem, { dockerReference: REF, digest: DIGEST })], where: WHERE }).signed).toBe(true);
    expect(verifier.verify(DIGEST, { layers: [], bundles: [bundleWithKey(makeKeyPair().privateKeyPem, { dockerReference: REF, digest: DIGEST })], where: WHERE }).reason).toMatch(/^its signature does not verify with the configured key/);
  });

  it('accepts a message-signature bundle over the image manifest itself, given the manifest bytes', () => {
    const key = makeKeyPair();
    const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: 'k' }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(manifest).digest('base64') }, signature: sign('sha256', manifest, key.privateKeyPem).toString('base64') },
    };
    const verifier = createSignatureVerifier({ kind: 'key', publicKeyPem: key.publicKeyPem });
    expect(verifier.verify(digest, { layers: [], bundles: [bundle], manifest, where: WHERE }).signed).toBe(true);
    expect(verifier.verify(DIGEST, { layers: [], bundles: [bundle], manifest, where: WHERE }).reason).toMatch(/^a Sigstore bundle attached to it signs something else \(sha256:[0-9a-f]{64}\)$/);
  });

  it('says a bundle that is not one is not valid', () => {
    expect(keyless().verify(DIGEST, { layers: [], bundles: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }], where: WHERE }).reason).toMatch(/^a Sigstore bundle attached to it is not valid/);
  });
});

describe('key-based signatures and the transparency log', () => {
  let sigstore: FakeSigstore;
  beforeAll(async () => { sigstore = await makeFakeSigstore(); });

  it('without a trusted root, the key alone decides: a Rekor entry from a log Deckhand does not know is not looked at', () => {
    const key = makeKeyPair();
    const logged = { ...signImageWithKey(key.privateKeyPem, { dockerReference: REF, digest: DIGEST }), rekorBundle: JSON.stringify({ SignedEntryTimestamp: 'AAAA', Payload: { body: Buffer.from('{"kind":"hashedrekord","apiVersion":"0.0.1"}').toString('base64'), integratedTime: 1, logIndex: 1, logID: 'ab' } }) };
    expect(createSignatureVerifier({ kind: 'key', publicKeyPem: key.publicKeyPem }).verify(DIGEST, { layers: [layer(logged)], where: WHERE }).signed).toBe(true);
  });

  it('with a trusted root, a key-based signature must be in its log', () => {
    const key = makeKeyPair();
    const verifier = createSignatureVerifier({ kind: 'key', publicKeyPem: key.publicKeyPem, trustedRoot: sigstore.trustedRoot });
    const facts = verifier.verify(DIGEST, { layers: [layer(signImageWithKey(key.privateKeyPem, { dockerReference: REF, digest: DIGEST }))], where: WHERE });
    expect(facts.signed).toBe(false);
    expect(facts.reason).toBe('it is not recorded in the transparency log the trusted root names (expected 1 tlog entries, got 0)');
  });
});
