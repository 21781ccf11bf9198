import { createPrivateKey, sign } from 'node:crypto';
import type { SimSignature } from './sim-registry.ts';

/**
 * cosign's simple-signing payload for an image digest (SIGNATURE_SPEC "Simple Signing"): what a signature signs.
 * Key order and spacing follow cosign's own output; verifiers check the bytes, so any serialisation is valid.
 */
export function cosignPayload(dockerReference: string, digest: string): string {
  return JSON.stringify({ critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: null });
}

/**
 * Signs an image digest as `cosign sign --key <key> --tlog-upload=false` does: ECDSA (or the key's own scheme) over
 * the payload with SHA-256, base64. For the sandbox's test key and for tests; never a real key.
 */
export function signImageWithKey(privateKeyPem: string, image: { dockerReference: string; digest: string }): SimSignature {
  const payload = cosignPayload(image.dockerReference, image.digest);
  const key = createPrivateKey(privateKeyPem);
  const algorithm = key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : 'sha256';
  return { payload, signature: sign(algorithm, Buffer.from(payload), key).toString('base64') };
}
