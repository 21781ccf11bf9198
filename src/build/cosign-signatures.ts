import type { RegistryClient } from './registry-client.ts';

/** The media type of cosign's signed payload (the "simple signing" JSON that names the image digest). */
export const SIMPLE_SIGNING_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';

/** One signature as cosign stores it: a signed payload blob and its layer annotations. */
export interface CosignSignatureLayer {
  /** The simple-signing JSON, byte for byte as signed. */
  payload: Buffer;
  /** Base64 signature over `payload` (`dev.cosignproject.cosign/signature`). */
  signature: string;
  /** Keyless: the PEM signing certificate (`dev.sigstore.cosign/certificate`) and its chain. */
  certificate?: string;
  chain?: string;
  /** The Rekor entry's signed timestamp, as cosign's JSON (`dev.sigstore.cosign/bundle`). */
  rekorBundle?: string;
}

export interface CosignSignatures {
  /** Where they were looked for: `sha256-<hex>.sig`. */
  tag: string;
  layers: CosignSignatureLayer[];
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  annotations?: Record<string, string>;
}

/** cosign's tag-based discovery: the signatures of `sha256:<hex>` live at the tag `sha256-<hex>.sig` of the same repository. */
export function signatureTagOf(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

/**
 * The cosign signatures attached to an image digest (cosign's SIGNATURE_SPEC: an OCI manifest whose layers are
 * simple-signing payloads, the signature and certificate in each layer's annotations). None is an empty list; what
 * they prove is for the verifier to say.
 */
export async function fetchCosignSignatures(client: RegistryClient, image: string, digest: string): Promise<CosignSignatures> {
  const tag = signatureTagOf(digest);
  const manifest = await client.getManifest(image, tag);
  if (!manifest) return { tag, layers: [] };
  let layers: Descriptor[];
  try {
    layers = (JSON.parse(manifest.bytes.toString('utf8')) as { layers?: Descriptor[] }).layers ?? [];
  } catch {
    return { tag, layers: [] };
  }
  const found: CosignSignatureLayer[] = [];
  for (const layer of layers) {
    const signature = layer.annotations?.['dev.cosignproject.cosign/signature'];
    if (layer.mediaType !== SIMPLE_SIGNING_TYPE || !layer.digest || signature === undefined) continue;
    const payload = await client.getBlob(image, layer.digest);
    if (!payload) continue;
    const a = layer.annotations ?? {};
    found.push({
      payload, signature,
      ...(a['dev.sigstore.cosign/certificate'] && { certificate: a['dev.sigstore.cosign/certificate'] }),
      ...(a['dev.sigstore.cosign/chain'] && { chain: a['dev.sigstore.cosign/chain'] }),
      ...(a['dev.sigstore.cosign/bundle'] && { rekorBundle: a['dev.sigstore.cosign/bundle'] }),
    });
  }
  return { tag, layers: found };
}
