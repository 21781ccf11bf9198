import { createHash, createPublicKey } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type SignedEntity, type VerificationPolicy } from '@sigstore/verify';
import type { SignaturePolicy } from '../config/index.ts';
import { DeckhandError } from '../errors.ts';
import { bundleOfLayer } from './cosign-bundle.ts';
import type { ImageFacts, ImageSigner, SignatureLayer } from './ports.ts';

const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

/** No CAs, logs or authorities: key-based verification without a trusted root trusts only the service's key. */
const EMPTY_ROOT = { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };

/** What the registry holds for an image digest: cosign's `.sig` layers and Sigstore bundles attached as referrers. */
export interface FoundSignatures {
  layers: readonly SignatureLayer[];
  bundles?: readonly unknown[];
  /** The image manifest's bytes: what a message-signature bundle signs. */
  manifest?: Uint8Array;
  /** Where cosign's `.sig` was looked for (`repo:sha256-<hex>.sig`), for the reason when there is nothing. */
  where: string;
}

export interface SignatureVerifier {
  /** Whether one of the signatures found is a valid signature of `digest` under the service's policy; offline, never throws for a bad signature. */
  verify(digest: string, found: FoundSignatures): ImageFacts;
  /** Who the policy expects, in words (`https://… via https://…`, `key SHA256:…`). */
  readonly expected: string;
}

/** `key SHA256:<base64>`, the key's fingerprint as ssh-keygen prints one (over its DER SubjectPublicKeyInfo). */
function keyIdentity(pem: string): string {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return `key SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The identity and issuer a Fulcio certificate names (what cosign prints), read before it is trusted, for the reason. */
function certificateSigner(pem: string): ImageSigner | undefined {
  try {
    const cert = X509Certificate.parse(pem);
    const v2 = cert.extension(OID_FULCIO_ISSUER_V2);
    const issuer = v2 ? v2.valueObj.subs[0]?.value.toString('ascii') : cert.extension(OID_FULCIO_ISSUER_V1)?.value.toString('ascii');
    return { identity: cert.subjectAltName ?? '(no identity)', issuer: issuer ?? null };
  } catch {
    return undefined;
  }
}

/** The verifier's error, in words a deployer can act on. */
function reasonOf(err: unknown, certificate: string | undefined, expected: string): string {
  const code = (err as { code?: string }).code ?? '';
  const detail = (err as { message?: string }).message ?? String(err);
  switch (code) {
    case 'SIGNATURE_ERROR': case 'PUBLIC_KEY_ERROR':
      return certificate ? 'its signature does not verify with the key in its certificate' : `its signature does not verify with the configured ${expected}`;
    case 'CERTIFICATE_ERROR':
      return `its signing certificate is not trusted by the configured trusted root (${detail})`;
    case 'UNTRUSTED_SIGNER_ERROR': {
      const s = certificate ? certificateSigner(certificate) : undefined;
      return `it was signed by ${s ? `${s.identity} via ${s.issuer ?? 'an unknown issuer'}` : 'someone else'}, not ${expected}`;
    }
    case 'TIMESTAMP_ERROR':
      return `it has no trusted timestamp (a Rekor entry) to check its certificate against (${detail})`;
    case 'TLOG_ERROR':
      return `it is not recorded in the transparency log the trusted root names (${detail})`;
    default:
      if (code.startsWith('TLOG')) return `its transparency log entry does not verify (${detail})`;
      return `its signature could not be read (${detail})`;
  }
}

/** What a signature's payload says it signs: the image digest, or why it says nothing usable. */
function signedDigest(payload: Uint8Array): { digest: string } | { problem: string } {
  try {
    const json = JSON.parse(Buffer.from(payload).toString('utf8')) as { critical?: { type?: string; image?: Record<string, string> } };
    const image = json.critical?.image ?? {};
    // The simple-signing spec spells it `docker-manifest-digest`; early cosign wrote `Docker-manifest-digest`.
    const digest = image['docker-manifest-digest'] ?? image['Docker-manifest-digest'];
    if (json.critical?.type !== COSIGN_SIGNATURE_TYPE || !digest) return { problem: 'its payload is not a cosign container image signature' };
    return { digest };
  } catch {
    return { problem: 'its payload is not JSON' };
  }
}

/** A signature to verify: how to build its Sigstore entity, and its certificate (PEM) when keyless; or why it cannot count. */
type Candidate = { entity: () => SignedEntity; certificate?: string } | { problem: string };

/** A cosign `.sig` layer: its payload must name the digest; the layer is verified as the bundle it amounts to. */
function candidateOfLayer(layer: SignatureLayer, digest: string): Candidate {
  const claim = signedDigest(layer.payload);
  if ('problem' in claim) return claim;
  if (claim.digest !== digest) return { problem: `its signature is for another image (${claim.digest})` };
  return { entity: () => toSignedEntity(bundleOfLayer(layer), Buffer.from(layer.payload)), ...(layer.certificate && { certificate: layer.certificate }) };
}

/**
 * A Sigstore bundle attached as a referrer: a DSSE envelope whose in-toto statement names the digest as a subject
 * (cosign v3 signs images so, and attestations are so), or a message signature over the image manifest itself.
 */
function candidateOfBundle(json: unknown, digest: string, manifest: Uint8Array | undefined): Candidate {
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (err) {
    return { problem: `a Sigstore bundle attached to it is not valid (${(err as Error).message})` };
  }
  const vm = bundle.verificationMaterial.content;
  const der = vm.$case === 'certificate' ? vm.certificate.rawBytes : vm.$case === 'x509CertificateChain' ? vm.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  const certificate = der ? `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n` : undefined;
  const hex = digest.replace(/^sha256:/, '');
  if (bundle.content.$case === 'dsseEnvelope') {
    const env = bundle.content.dsseEnvelope;
    let subjects: { digest?: Record<string, string> }[] = [];
    try {
      if (env.payloadType === 'application/vnd.in-toto+json') subjects = (JSON.parse(Buffer.from(env.payload).toString('utf8')) as { subject?: typeof subjects }).subject ?? [];
    } catch {
      subjects = [];
    }
    if (!subjects.some((sub) => sub.digest?.sha256 === hex)) return { problem: 'a Sigstore bundle attached to it is about another image (no in-toto subject with its digest)' };
    return { entity: () => toSignedEntity(bundle), ...(certificate && { certificate }) };
  }
  const signed = Buffer.from(bundle.content.messageSignature.messageDigest?.digest ?? []).toString('hex');
  if (signed !== hex || !manifest) return { problem: `a Sigstore bundle attached to it signs something else (sha256:${signed})` };
  return { entity: () => toSignedEntity(bundle, Buffer.from(manifest)), ...(certificate && { certificate }) };
}

/**
 * A verifier for one service's signature policy, with the official Sigstore libraries (@sigstore/verify): key-based
 * (the signature must verify with the configured key; with a trusted root, it must also have a Rekor entry that
 * verifies against it, as `cosign verify --key` checks; without one the key alone decides) or keyless (the
 * certificate must chain to a Fulcio CA of the trusted root at the time its Rekor entry proves, and name the
 * expected identity and issuer). Nothing is fetched: the trusted root is the configured file.
 */
export function createSignatureVerifier(policy: SignaturePolicy): SignatureVerifier {
  let root;
  try {
    root = TrustedRoot.fromJSON(policy.trustedRoot ?? EMPTY_ROOT);
  } catch (err) {
    throw new DeckhandError('config_invalid', 'The configured Sigstore trusted root could not be read.', { cause: err });
  }
  const withRoot = policy.trustedRoot !== undefined;
  const ignoreLog = policy.kind === 'key' && !withRoot;
  let verifier: Verifier;
  let check: VerificationPolicy | undefined;
  let expected: string;
  let keySigner: ImageSigner | undefined;
  if (policy.kind === 'key') {
    // The service has one key: whatever hint a bundle names its key by (cosign writes its own), that key must verify it.
    const publicKey = createPublicKey(policy.publicKeyPem);
    const material = toTrustMaterial(root, () => ({ publicKey, validFor: () => true }));
    // With a trusted root, the signature must also be in its transparency log (as `cosign verify --key` checks);
    // without one, the key alone decides and log entries are not looked at (`--insecure-ignore-tlog`): the public
    // log's key is not something Deckhand fetches.
    verifier = new Verifier(material, { tlogThreshold: withRoot ? 1 : 0, ctlogThreshold: 0, timestampThreshold: 0 });
    expected = keyIdentity(policy.publicKeyPem);
    keySigner = { identity: expected, issuer: null };
  } else {
    const material = toTrustMaterial(root);
    // SCTs are required when the trusted root lists CT logs (as Fulcio's do); a private root without CT logs has none.
    verifier = new Verifier(material, { tlogThreshold: 1, ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0, timestampThreshold: 1 });
    const san = 'exact' in policy.identity ? `^${escapeRegExp(policy.identity.exact)}$` : `^(?:${policy.identity.regexp})$`;
    check = { subjectAlternativeName: san, extensions: { issuer: policy.issuer } };
    expected = `${'exact' in policy.identity ? policy.identity.exact : `/${policy.identity.regexp}/`} via ${policy.issuer}`;
  }

  return {
    expected,
    verify(digest, found) {
      const candidates = [
        ...found.layers.map((layer) => candidateOfLayer(layer, digest)),
        ...(found.bundles ?? []).map((json) => candidateOfBundle(json, digest, found.manifest)),
      ];
      if (candidates.length === 0) return { digest, signed: false, signer: null, reason: `no cosign signature or Sigstore bundle is attached to it (nothing at ${found.where} nor among its referrers)` };
      const reasons: string[] = [];
      for (const c of candidates) {
        if ('problem' in c) { reasons.push(c.problem); continue; }
        if (policy.kind === 'keyless' && !c.certificate) { reasons.push(`it is signed with a key, and ${expected} (keyless) is expected`); continue; }
        try {
          const entity = c.entity();
          const signer = verifier.verify(ignoreLog ? { ...entity, tlogEntries: [], timestamps: [] } : entity, check);
          const who = keySigner ?? { identity: signer.identity?.subjectAlternativeName ?? '(no identity)', issuer: signer.identity?.extensions?.issuer ?? null };
          return { digest, signed: true, signer: who, reason: null };
        } catch (err) {
          reasons.push(reasonOf(err, c.certificate, expected));
        }
      }
      return { digest, signed: false, signer: null, reason: [...new Set(reasons)].join('; ') };
    },
  };
}
