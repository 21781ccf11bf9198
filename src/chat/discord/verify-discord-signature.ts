import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The fixed DER prefix of an ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Builds the key object once from the 64-hex-character public key Discord shows for the application. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError('a Discord public key is 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * True when `signatureHex` is Discord's ed25519 signature of `timestamp + body` and the timestamp is within
 * `maxSkewMs` of now, in either direction. Discord probes endpoints with bad signatures and delists those that
 * accept them; the timestamp window keeps a captured request from being replayed later, and refusing timestamps
 * from the future too means a request signed ahead of time (a leaked signer) is not good for longer than 5 minutes.
 */
export function verifyDiscordSignature(key: KeyObject, signatureHex: string | undefined, timestamp: string | undefined, body: Buffer, now = Date.now(), maxSkewMs = 5 * 60_000): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-fA-F]{128}$/.test(signatureHex) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp) * 1000) > maxSkewMs) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
