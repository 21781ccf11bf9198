import type { OciDescriptor, RegistryClient } from './registry-client.ts';

/** The artifact type cosign (v3, `--new-bundle-format`) gives a Sigstore bundle attached to an image. */
export const SIGSTORE_BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface SigstoreBundles {
  /** Where they were found: the referrers API, or the referrers tag `sha256-<hex>` of registries without one. */
  where: string;
  /** Each bundle's JSON, unverified. */
  bundles: unknown[];
}

/**
 * The Sigstore bundles attached to an image digest, as cosign's BUNDLE_SPEC stores them: OCI 1.1 referrers whose
 * artifact type is the bundle media type, each a manifest whose one layer is the bundle JSON. The referrers API is
 * asked first; a registry without it (404) keeps the list as an image index at the tag `sha256-<hex>`.
 */
export async function fetchSigstoreBundles(client: RegistryClient, image: string, digest: string): Promise<SigstoreBundles> {
  let where = `${image}@${digest} (referrers)`;
  let found: OciDescriptor[] | undefined = await client.getReferrers(image, digest, SIGSTORE_BUNDLE_TYPE);
  if (found === undefined) {
    const tag = digest.replace(':', '-');
    where = `${image}:${tag}`;
    const index = await client.getManifest(image, tag);
    found = [];
    if (index) {
      try {
        found = ((JSON.parse(index.bytes.toString('utf8')) as { manifests?: OciDescriptor[] }).manifests ?? []).filter((m) => m.artifactType === SIGSTORE_BUNDLE_TYPE);
      } catch {
        found = [];
      }
    }
  }
  const bundles: unknown[] = [];
  for (const ref of found) {
    if (!ref.digest) continue;
    const manifest = await client.getManifest(image, ref.digest);
    if (!manifest) continue;
    let layer: OciDescriptor | undefined;
    try {
      layer = (JSON.parse(manifest.bytes.toString('utf8')) as { layers?: OciDescriptor[] }).layers?.[0];
    } catch {
      continue;
    }
    if (!layer?.digest) continue;
    const blob = await client.getBlob(image, layer.digest);
    if (!blob) continue;
    try {
      bundles.push(JSON.parse(blob.toString('utf8')));
    } catch {
      // Not JSON: not a bundle this verifier can read; the others may still be.
    }
  }
  return { where, bundles };
}
