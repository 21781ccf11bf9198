/**
 * Part of the composition root (main.ts): what the policy is told about a deploy's image. The registry reads are the
 * build station's (its OCI client: digest, cosign's `.sig` manifest, Sigstore bundles as referrers); the verdict is the artifacts
 * station's (@sigstore/verify, offline). Neither station knows the other.
 */
import { createSignatureVerifier, type ImageFacts, type SignatureVerifier } from '../artifacts/index.ts';
import { fetchCosignSignatures, fetchSigstoreBundles, signatureTagOf, type RegistryClient } from '../build/index.ts';
import type { Config } from '../config/index.ts';
import { toDeckhandError } from '../errors.ts';

export type InspectImage = (service: string, version: string, pinned?: string) => Promise<ImageFacts | undefined>;

/** Undefined when no service has a `signature` policy: there is nothing to tell the policy. */
export function createImageInspector(config: Config, registry: RegistryClient): InspectImage | undefined {
  const verifiers = new Map<string, SignatureVerifier>();
  for (const [name, svc] of Object.entries(config.services)) {
    if (svc.signature) verifiers.set(name, createSignatureVerifier(svc.signature));
  }
  if (verifiers.size === 0) return undefined;
  /**
   * Digests whose signature verified, per service: the policy asks again on every vote and at the gate before the
   * rollout, and a digest's valid signature does not stop being one. A failed verdict is not kept (a signature may be
   * attached later).
   */
  const verified = new Map<string, ImageFacts>();
  const remember = (service: string, facts: ImageFacts): ImageFacts => {
    if (!facts.signed || !facts.digest) return facts;
    if (verified.size >= 1000) verified.delete(verified.keys().next().value!);
    verified.set(`${service}@${facts.digest}`, facts);
    return facts;
  };
  return async (service, version, pinned) => {
    const verifier = verifiers.get(service);
    const image = config.services[service]?.image;
    if (!verifier || !image) return undefined;
    let digest = pinned ?? null;
    try {
      if (!digest) {
        const head = await registry.headManifest(image, version);
        if (!head) return { digest: null, signed: false, signer: null, reason: `${image}:${version} has no image yet; it is verified once built, before the rollout` };
        digest = head.digest ?? (await registry.getManifest(image, version))?.digest ?? null;
        if (!digest) return { digest: null, signed: false, signer: null, reason: `the registry did not say which digest ${image}:${version} is` };
      }
      const known = verified.get(`${service}@${digest}`);
      if (known) return known;
      // cosign's two layouts: `.sig` manifests (cosign ≤ 2, and `--new-bundle-format=false`) and Sigstore bundles as referrers.
      // Either layout may fail to read (a registry that rejects the referrers call) while the other holds a signature.
      const [cosign, referred] = await Promise.allSettled([fetchCosignSignatures(registry, image, digest), fetchSigstoreBundles(registry, image, digest)]);
      const layers = cosign.status === 'fulfilled' ? cosign.value.layers : [];
      const bundles = referred.status === 'fulfilled' ? referred.value.bundles : [];
      const failed = [cosign, referred].find((r) => r.status === 'rejected');
      if (layers.length + bundles.length === 0 && failed) throw failed.reason;
      const manifest = bundles.length > 0 ? (await registry.getManifest(image, digest))?.bytes : undefined;
      return remember(service, await verifier.verify(digest, { layers, bundles, manifest, where: `${image}:${signatureTagOf(digest)}` }));
    } catch (err) {
      const what = digest ? 'its signatures' : `the digest of ${image}:${version}`;
      return { digest, signed: false, signer: null, reason: `${what} could not be read: ${toDeckhandError(err).userMessage}` };
    }
  };
}
