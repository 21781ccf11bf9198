import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How far `Sentry-Hook-Timestamp` may be from our clock, either way. Sentry stamps each attempt as it sends it
 * (its retries, 5 minutes apart, get a fresh stamp), so only clock skew and transit have to fit in here.
 */
export const SENTRY_MAX_SKEW_MS = 5 * 60_000;

/**
 * True when `Sentry-Hook-Signature` is the hex HMAC-SHA256 of the raw body under the integration's client secret.
 * Compared in constant time over equal-length buffers (a wrong length is refused before any byte is compared).
 */
export function verifySentrySignature(rawBody: Buffer, signature: string | undefined, clientSecret: string): boolean {
  if (!signature || clientSecret.length === 0 || !/^[0-9a-fA-F]{64}$/.test(signature.trim())) return false;
  const expected = createHmac('sha256', clientSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature.trim(), 'hex'));
}

export type SentryDeliveryVerdict = { ok: true } | { ok: false; reason: string };

/**
 * The whole check of a Sentry integration-platform delivery: the signature over the raw body, then
 * `Sentry-Hook-Timestamp` (Unix seconds) within `SENTRY_MAX_SKEW_MS` of `nowMs`. Sentry signs the body only, so the
 * timestamp (like `Request-ID`) is not covered by the signature: refusing a stale one stops a captured request
 * replayed as it was, not one whose headers were rewritten. What stops those is keyed on the signed body — the
 * ingress's dedupe of the body, and `signalCounts` refusing an issue first seen before the deploy was requested.
 * `reason` is for the log only; the sender is told no more than "not valid".
 */
export function checkSentryDelivery(rawBody: Buffer, headers: { signature: string | undefined; timestamp: string | undefined }, clientSecret: string, nowMs: number): SentryDeliveryVerdict {
  if (!verifySentrySignature(rawBody, headers.signature, clientSecret)) return { ok: false, reason: 'signature missing or not of this body' };
  const stamp = headers.timestamp?.trim();
  if (!stamp || !/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'Sentry-Hook-Timestamp missing or not Unix seconds' };
  if (Math.abs(nowMs - Number(stamp) * 1000) > SENTRY_MAX_SKEW_MS) return { ok: false, reason: 'Sentry-Hook-Timestamp outside the 5-minute window' };
  return { ok: true };
}
