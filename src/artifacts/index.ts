export { createSignatureVerifier, type SignatureVerifier } from './signature-verifier.ts';
export type { ImageFacts, ImageSigner, SignatureLayer } from './ports.ts';
