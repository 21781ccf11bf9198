import { createHash } from 'node:crypto';

const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const CONFIG_TYPE = 'application/vnd.oci.image.config.v1+json';
const LAYER_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
const EMPTY_TYPE = 'application/vnd.oci.empty.v1+json';
const SIMPLE_SIGNING_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';
/** cosign's artifact type for a Sigstore bundle attached to an image (BUNDLE_SPEC). */
export const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** An OCI descriptor as the referrers API lists one. */
export interface SimDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
}

/**
 * One cosign signature as the registry stores it (cosign's SIGNATURE_SPEC): the signed payload becomes a blob, the
 * rest become annotations of its layer in the `sha256-<hex>.sig` manifest.
 */
export interface SimSignature {
  /** The simple-signing JSON, exactly as signed. */
  payload: string;
  /** Base64 signature over `payload`. */
  signature: string;
  certificate?: string;
  chain?: string;
  /** cosign's Rekor bundle JSON. */
  rekorBundle?: string;
}

/** An image as it gets its digest: the sandbox or a test answers with the signatures to attach (or none). */
export interface SimImagePush {
  /** `acme/api`. */
  repository: string;
  tag: string;
  digest: string;
}

export type SimImageSigner = (image: SimImagePush) => SimSignature[];

interface Stored {
  mediaType: string;
  bytes: Buffer;
}

function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The registry's content: manifests and blobs by digest, tags pointing at manifests. An image pushed for `repo:tag`
 * gets a manifest of its own (so its digest is the hash of the bytes served, as in a real registry); moving a tag
 * pushes a new manifest for it, and the old digest stays readable, as registries keep untagged manifests.
 */
export class SimRegistry {
  readonly #manifests = new Map<string, Stored>();
  readonly #blobs = new Map<string, Buffer>();
  readonly #tags = new Map<string, string>();
  readonly #signatures = new Map<string, SimSignature[]>();
  readonly #referrers = new Map<string, SimDescriptor[]>();
  readonly #signer: SimImageSigner | undefined;
  #pushes = 0;

  constructor(signer?: SimImageSigner) {
    this.#signer = signer;
  }

  /** Pushes a (new) image for `repository:tag` and signs it with the signer hook; returns its digest. */
  push(repository: string, tag: string): string {
    const config = this.#blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'org.opencontainers.image.version': tag } }, sim: { image: `${repository}:${tag}`, push: ++this.#pushes } })));
    const layer = this.#blob(Buffer.from(`layer of ${repository}:${tag} #${this.#pushes}`));
    const manifest = {
      schemaVersion: 2, mediaType: MANIFEST_TYPE,
      config: { mediaType: CONFIG_TYPE, digest: config.digest, size: config.size },
      layers: [{ mediaType: LAYER_TYPE, digest: layer.digest, size: layer.size }],
    };
    const digest = this.#putManifest(MANIFEST_TYPE, manifest);
    this.#tags.set(`${repository}:${tag}`, digest);
    const signatures = this.#signer?.({ repository, tag, digest }) ?? [];
    if (signatures.length) this.attachSignatures(repository, digest, signatures);
    return digest;
  }

  /** The digest `repository:tag` points at now. */
  digestOf(repository: string, tag: string): string | undefined {
    return this.#tags.get(`${repository}:${tag}`);
  }

  /** Points `repository:tag` at a new image, as a push over an existing tag does; signed by the hook like any push. */
  moveTag(repository: string, tag: string): string {
    return this.push(repository, tag);
  }

  /** Adds signatures to an image digest (cosign sign, again: signatures accumulate in one `.sig` manifest). */
  attachSignatures(repository: string, digest: string, signatures: SimSignature[]): void {
    const all = [...(this.#signatures.get(digest) ?? []), ...signatures];
    this.#signatures.set(digest, all);
    const layers = all.map((s) => {
      const blob = this.#blob(Buffer.from(s.payload, 'utf8'));
      return {
        mediaType: SIMPLE_SIGNING_TYPE, digest: blob.digest, size: blob.size,
        annotations: {
          'dev.cosignproject.cosign/signature': s.signature,
          ...(s.certificate !== undefined && { 'dev.sigstore.cosign/certificate': s.certificate }),
          ...(s.chain !== undefined && { 'dev.sigstore.cosign/chain': s.chain }),
          ...(s.rekorBundle !== undefined && { 'dev.sigstore.cosign/bundle': s.rekorBundle }),
        },
      };
    });
    const config = this.#blob(Buffer.from('{}'));
    const manifest = { schemaVersion: 2, mediaType: MANIFEST_TYPE, config: { mediaType: EMPTY_TYPE, digest: config.digest, size: config.size }, layers };
    this.#tags.set(`${repository}:${digest.replace(':', '-')}.sig`, this.#putManifest(MANIFEST_TYPE, manifest));
  }

  /**
   * Attaches a Sigstore bundle to an image digest as cosign's BUNDLE_SPEC does: the bundle JSON as a blob, a manifest
   * with the bundle's artifact type whose `subject` is the image, listed by the referrers API and in the referrers tag
   * `sha256-<hex>` (for clients of registries without that API). Returns the bundle manifest's digest.
   */
  attachBundle(repository: string, digest: string, bundle: object): string {
    const blob = this.#blob(Buffer.from(JSON.stringify(bundle)));
    const config = this.#blob(Buffer.from('{}'));
    const subject = this.#manifests.get(digest);
    const manifest = {
      schemaVersion: 2, mediaType: MANIFEST_TYPE, artifactType: BUNDLE_TYPE,
      config: { mediaType: EMPTY_TYPE, digest: config.digest, size: config.size },
      layers: [{ mediaType: BUNDLE_TYPE, digest: blob.digest, size: blob.size, annotations: { 'org.opencontainers.image.title': `${blob.digest.replace(':', '-')}.sigstore.json` } }],
      subject: { mediaType: subject?.mediaType ?? MANIFEST_TYPE, digest, size: subject?.bytes.length ?? 0 },
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const manifestDigest = this.#putManifest(MANIFEST_TYPE, manifest);
    const referrers = [...(this.#referrers.get(digest) ?? []), { mediaType: MANIFEST_TYPE, digest: manifestDigest, size: bytes.length, artifactType: BUNDLE_TYPE }];
    this.#referrers.set(digest, referrers);
    this.#tags.set(`${repository}:${digest.replace(':', '-')}`, this.#putManifest(INDEX_TYPE, { schemaVersion: 2, mediaType: INDEX_TYPE, manifests: referrers }));
    return manifestDigest;
  }

  /** The referrers API's answer for a digest: the manifests whose subject it is, by artifact type if asked. */
  referrers(digest: string, artifactType?: string): SimDescriptor[] {
    return (this.#referrers.get(digest) ?? []).filter((r) => artifactType === undefined || r.artifactType === artifactType);
  }

  /** Removes every signature of a digest (the `.sig` tag is deleted). */
  removeSignatures(repository: string, digest: string): void {
    this.#signatures.delete(digest);
    this.#tags.delete(`${repository}:${digest.replace(':', '-')}.sig`);
  }

  /** A manifest by tag or digest, within `repository`. */
  manifest(repository: string, reference: string): (Stored & { digest: string }) | undefined {
    const digest = reference.startsWith('sha256:') ? reference : this.#tags.get(`${repository}:${reference}`);
    const stored = digest ? this.#manifests.get(digest) : undefined;
    return stored && digest ? { ...stored, digest } : undefined;
  }

  blob(digest: string): Buffer | undefined {
    return this.#blobs.get(digest);
  }

  #blob(bytes: Buffer): { digest: string; size: number } {
    const digest = digestOf(bytes);
    this.#blobs.set(digest, bytes);
    return { digest, size: bytes.length };
  }

  #putManifest(mediaType: string, manifest: object): string {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = digestOf(bytes);
    this.#manifests.set(digest, { mediaType, bytes });
    return digest;
  }
}
