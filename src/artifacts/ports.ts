/**
 * What the artifacts station answers and what it is given, as small types of its own. The registry reads live in
 * src/build (its OCI client); the composition root hands the fetched signatures here, so this station touches no
 * network: verification is offline, against the configured key or trusted root.
 */

/**
 * What Deckhand knows about the image a deploy would roll out, as the policy sees it (`input.image`). `digest` is
 * null when the tag has no image yet (it is built first and verified before the rollout) or the registry could not
 * be read; `reason` says in words why the image is not signed, or why its signature does not count.
 */
export interface ImageFacts {
  digest: string | null;
  signed: boolean;
  signer: ImageSigner | null;
  reason: string | null;
}

/** Who signed: the certificate identity and OIDC issuer (keyless), or the key's fingerprint (key-based, no issuer). */
export interface ImageSigner {
  identity: string;
  issuer: string | null;
}

/** One cosign signature of an image digest, as the registry holds it (src/build/cosign-signatures.ts reads them). */
export interface SignatureLayer {
  /** The simple-signing JSON, byte for byte as signed. */
  payload: Uint8Array;
  /** Base64 signature over `payload`. */
  signature: string;
  /** Keyless: the PEM signing certificate, and the chain up to the CA. */
  certificate?: string;
  chain?: string;
  /** Keyless: cosign's Rekor bundle JSON (`SignedEntryTimestamp` + `Payload`), the signature's trusted time. */
  rekorBundle?: string;
}
