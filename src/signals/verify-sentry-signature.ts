import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `Sentry-Hook-Signature` is the hex HMAC-SHA256 of the raw body under the integration's client secret.
 * Compared in constant time over equal-length buffers (a wrong length is refused before any byte is compared).
 */
export function verifySentrySignature(rawBody: Buffer, signature: string | undefined, clientSecret: string): boolean {
  if (!signature || clientSecret.length === 0 || !/^[0-9a-fA-F]{64}$/.test(signature.trim())) return false;
  const expected = createHmac('sha256', clientSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature.trim(), 'hex'));
}
