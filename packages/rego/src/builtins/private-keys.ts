/**
 * Private keys from PEM (or base64 of PEM) as OPA reads them: PKCS #1 "RSA PRIVATE KEY", PKCS #8 "PRIVATE KEY",
 * SEC 1 "EC PRIVATE KEY". Shown either as Go's key structs through encoding/json or as a JWK.
 */
import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { RObject, fromJSON, makeNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { decodeStd, goString } from './base64.ts';
import { decodePem } from './pem.ts';

export class PrivateKeyError extends Error {}

const FORMATS: Readonly<Record<string, 'pkcs1' | 'pkcs8' | 'sec1'>> = {
  'RSA PRIVATE KEY': 'pkcs1', 'PRIVATE KEY': 'pkcs8', 'EC PRIVATE KEY': 'sec1',
};

/** getPrivateKeysFromPEMData: every private-key block in order; other blocks are skipped. */
export function privateKeysFromPEM(text: string): KeyObject[] {
  let data = text;
  try { data = goString(decodeStd(text)); } catch { /* not base64: the PEM text itself */ }
  const keys: KeyObject[] = [];
  let rest = data;
  while (rest.length > 0) {
    const { block, rest: next } = decodePem(rest);
    if (!block) break;
    rest = next;
    const type = FORMATS[block.type];
    if (!type) continue;
    keys.push(privateKeyFromDER(block.bytes, type));
  }
  return keys;
}

export function privateKeyFromDER(der: Buffer, type: 'pkcs1' | 'pkcs8' | 'sec1'): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type });
  } catch {
    const what = type === 'pkcs1' ? 'PKCS1' : type === 'pkcs8' ? 'PKCS8' : 'EC';
    throw new PrivateKeyError(`x509: failed to parse ${what} private key`);
  }
}

function big(b64url: unknown): Value {
  if (typeof b64url !== 'string') return null;
  const hex = Buffer.from(b64url, 'base64url').toString('hex');
  return makeNumber(BigInt('0x' + (hex || '0')));
}

/** A key as json.Marshal shows *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey. */
export function goPrivateKeyValue(key: KeyObject): Value {
  const jwk = key.export({ format: 'jwk' });
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return new RObject([
        ['N', big(jwk.n)], ['E', big(jwk.e)], ['D', big(jwk.d)], ['Primes', [big(jwk.p), big(jwk.q)]],
        ['Precomputed', new RObject([['Dp', big(jwk.dp)], ['Dq', big(jwk.dq)], ['Qinv', big(jwk.qi)], ['CRTValues', []]])],
      ]);
    case 'ec':
      return new RObject([['Curve', new RObject()], ['X', big(jwk.x)], ['Y', big(jwk.y)], ['D', big(jwk.d)]]);
    case 'ed25519': {
      const seed = Buffer.from(String(jwk.d), 'base64url'), pub = Buffer.from(String(jwk.x), 'base64url');
      return Buffer.concat([seed, pub]).toString('base64');
    }
    default:
      return null;
  }
}

/** The key as a JWK (jwx's jwk.New then json.Marshal). */
export function jwkValue(key: KeyObject): Value {
  return fromJSON(key.export({ format: 'jwk' }));
}
