import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * The headers Discord puts on every interaction it delivers to an HTTP endpoint. A type alias, not an interface,
 * so it passes as `fetch` headers (a Record) as it is.
 */
export type SignedHeaders = {
  'x-signature-ed25519': string;
  'x-signature-timestamp': string;
};

export interface InteractionSigner {
  /** The application's public key as Discord shows it in the developer portal: 64 hex characters. */
  readonly publicKeyHex: string;
  /** Signs `timestamp + body` with the application's private key, exactly as Discord does. */
  sign(body: string, timestamp?: string): SignedHeaders;
}

/**
 * A fresh ed25519 key pair standing in for a Discord application: the simulated Discord signs the interactions
 * it delivers, and Deckhand is configured with `publicKeyHex` as DISCORD_PUBLIC_KEY.
 */
export function createInteractionSigner(): InteractionSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyHex: rawPublicKeyHex(publicKey),
    sign(body, timestamp = String(Math.floor(Date.now() / 1000))) {
      const signature = sign(null, Buffer.from(timestamp + body, 'utf8'), privateKey);
      return { 'x-signature-ed25519': signature.toString('hex'), 'x-signature-timestamp': timestamp };
    },
  };
}

function rawPublicKeyHex(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('hex');
}
