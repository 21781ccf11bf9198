import { createHash } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import type { SignatureLayer } from './ports.ts';

/** The hint a key-based bundle names its key by; the verifier's key finder answers it with the service's key. */
export const SERVICE_KEY_HINT = 'deckhand-service-key';

/** cosign's Rekor bundle annotation: the entry's signed timestamp and what it signs. */
interface RekorBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

/** The DER bytes of each PEM certificate in `pem`, in order. */
function pemCertificates(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'));
}

/** The Rekor entry cosign recorded, as a bundle's transparency-log entry (kind and version read from its body). */
function tlogEntryOf(annotation: string): Record<string, unknown> {
  const rekor = JSON.parse(annotation) as RekorBundle;
  const body = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8')) as { kind?: string; apiVersion?: string };
  return {
    logIndex: String(rekor.Payload.logIndex),
    logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
    kindVersion: { kind: body.kind ?? '', version: body.apiVersion ?? '' },
    integratedTime: String(rekor.Payload.integratedTime),
    inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
    canonicalizedBody: rekor.Payload.body,
  };
}

/**
 * One cosign signature layer as the Sigstore bundle it amounts to (a v0.1 message-signature bundle, as cosign itself
 * converts them): the payload's digest and signature, the certificate or the key hint, and the Rekor entry when
 * cosign recorded one. Throws when the annotations are not well formed.
 */
export function bundleOfLayer(layer: SignatureLayer): Bundle {
  const certificates = layer.certificate ? pemCertificates(layer.certificate) : [];
  const json = {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      ...(certificates.length > 0
        ? { x509CertificateChain: { certificates: certificates.map((der) => ({ rawBytes: der.toString('base64') })) } }
        : { publicKey: { hint: SERVICE_KEY_HINT } }),
      tlogEntries: layer.rekorBundle ? [tlogEntryOf(layer.rekorBundle)] : [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(layer.payload).digest('base64') },
      signature: layer.signature,
    },
  };
  return bundleFromJSON(json);
}
