/**
 * Keys for io.jwt.*: JWKs and JWK sets (what lestrrat-go/jwx accepts for OPA), PEM certificates and public keys,
 * and JWS signing and verification per algorithm — all on node:crypto.
 */
import { constants, createHmac, createPrivateKey, createPublicKey, createSecretKey, sign, timingSafeEqual, verify, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { decodeURL } from './base64.ts';
import { decodePem } from './pem.ts';

/** The JWS algorithms OPA knows (tokenAlgorithms in v1/topdown/tokens.go). */
export const JWS_ALGORITHMS: ReadonlySet<string> = new Set([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA',
]);

export interface VerificationKey {
  readonly key: KeyObject;
  /** The JWK's `alg`, '' when the key has none (certificates, PEM keys). */
  readonly alg: string;
  readonly kid: string;
}

export class KeyError extends Error {}

type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One JWK as a node key: `oct` as a secret, a private JWK as a private key, otherwise a public key. */
export function keyFromJWK(jwk: JsonObject): KeyObject {
  const kty = jwk['kty'];
  if (typeof kty !== 'string') throw new KeyError('invalid key type from JSON ()');
  if (kty === 'oct') {
    const k = jwk['k'];
    if (typeof k !== 'string') throw new KeyError(`required field k is missing`);
    return createSecretKey(decodeURL(k));
  }
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') throw new KeyError(`invalid key type from JSON (${kty})`);
  try {
    const input = { key: { ...jwk }, format: 'jwk' as const };
    return 'd' in jwk ? createPrivateKey(input) : createPublicKey(input);
  } catch (e) {
    throw new KeyError(`failed to parse ${kty} key: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A JWK or a JWK set ({"keys": [...]}) as JSON text; the keys in order. */
export function parseJWKs(text: string): { key: KeyObject; alg: string; kid: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new KeyError(`failed to unmarshal JSON into key hint: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(parsed)) throw new KeyError('failed to unmarshal JSON into key hint');
  const list = Array.isArray(parsed['keys']) ? parsed['keys'] : [parsed];
  return list.map((j) => {
    if (!isObject(j)) throw new KeyError('failed to parse key');
    const alg = typeof j['alg'] === 'string' ? j['alg'] : '';
    const kid = typeof j['kid'] === 'string' ? j['kid'] : '';
    return { key: keyFromJWK(j), alg, kid };
  });
}

/**
 * getKeysFromCertOrJWK: a PEM certificate or public key (nothing may follow the block), else a JWK (set).
 * JWKS keys naming an algorithm OPA does not know are left out.
 */
export function verificationKeys(text: string): VerificationKey[] {
  const { block, rest } = decodePem(text);
  if (block) {
    if (rest.length > 0) throw new KeyError('extra data after a PEM certificate block');
    if (block.type === 'CERTIFICATE') {
      try {
        return [{ key: new X509Certificate(block.bytes).publicKey, alg: '', kid: '' }];
      } catch (e) {
        throw new KeyError(`failed to parse a PEM certificate: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        return [{ key: createPublicKey({ key: block.bytes, format: 'der', type: 'spki' }), alg: '', kid: '' }];
      } catch (e) {
        throw new KeyError(`failed to parse a PEM public key: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    throw new KeyError('failed to extract a Key from the PEM certificate');
  }
  let keys;
  try {
    keys = parseJWKs(text);
  } catch (e) {
    if (e instanceof KeyError) throw new KeyError(`failed to parse a JWK key (set): ${e.message}`);
    throw e;
  }
  return keys.filter((k) => k.alg === '' || JWS_ALGORITHMS.has(k.alg));
}

const HASHES: Readonly<Record<string, string>> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

export function hashOf(alg: string): string {
  return HASHES[alg.slice(2)] ?? 'sha256';
}

/** Bytes of one ECDSA coordinate per curve: the width of r and s in a JWS signature. */
const COORDINATE_BYTES: Readonly<Record<string, number>> = { prime256v1: 32, secp384r1: 48, secp521r1: 66 };

function derInteger(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  const body = v[0]! & 0x80 ? Buffer.concat([Buffer.of(0), v]) : v;
  return Buffer.concat([Buffer.of(0x02), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  return n < 0x100 ? Buffer.of(0x81, n) : Buffer.of(0x82, n >> 8, n & 0xff);
}

/** r || s halves (how JWS carries ECDSA signatures, split as Go's verifyES splits them) as a DER signature. */
export function ecdsaDER(signature: Buffer): Buffer {
  const n = Math.floor(signature.length / 2);
  const body = Buffer.concat([derInteger(signature.subarray(0, n)), derInteger(signature.subarray(n))]);
  return Buffer.concat([Buffer.of(0x30), derLength(body.length), body]);
}

/** RSA-PSS as Go's rsa.VerifyPSS with nil options (salt length detected) and jwx's signing (salt = hash). */
export const PSS_VERIFY = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO };
const PSS_SIGN = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };

/** The public half of an asymmetric key (a private JWK verifies as its public key). */
export function publicOf(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** jwsbb.Verify: does `signature` sign `data` under `key` with `alg`? Wrong key kinds simply do not verify. */
export function verifyJWS(key: KeyObject, alg: string, data: Buffer, signature: Buffer): boolean {
  try {
    if (alg.startsWith('HS')) {
      if (key.type !== 'secret') return false;
      const mac = createHmac(hashOf(alg), key).update(data).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    if (key.type === 'secret') return false;
    const pub = publicOf(key);
    const kind = pub.asymmetricKeyType;
    if (alg.startsWith('RS') && kind === 'rsa') return verify(hashOf(alg), data, pub, signature);
    if (alg.startsWith('PS') && (kind === 'rsa' || kind === 'rsa-pss')) {
      return verify(hashOf(alg), data, { key: pub, ...PSS_VERIFY }, signature);
    }
    if (alg.startsWith('ES') && kind === 'ec') {
      const width = COORDINATE_BYTES[pub.asymmetricKeyDetails?.namedCurve ?? ''];
      if (width === undefined || signature.length !== 2 * width) return false;
      return verify(hashOf(alg), data, pub, ecdsaDER(signature));
    }
    if (alg === 'EdDSA' && kind === 'ed25519') return verify(null, data, pub, signature);
    return false;
  } catch {
    return false;
  }
}

/** jwsbb.Sign for encode_sign: the signature bytes, or a KeyError naming why the key cannot sign. */
export function signJWS(key: KeyObject, alg: string, data: Buffer): Buffer {
  if (alg.startsWith('HS')) {
    if (key.type !== 'secret') throw new KeyError(`invalid key type for ${alg}: expected []byte`);
    return createHmac(hashOf(alg), key).update(data).digest();
  }
  if (key.type !== 'private') throw new KeyError(`failed to sign payload: ${alg} requires a private key`);
  const kind = key.asymmetricKeyType;
  if ((alg.startsWith('RS') || alg.startsWith('PS')) && kind === 'rsa') {
    if (alg.startsWith('RS')) return sign(hashOf(alg), data, key);
    return sign(hashOf(alg), data, { key, ...PSS_SIGN });
  }
  if (alg.startsWith('ES') && kind === 'ec') return sign(hashOf(alg), data, { key, dsaEncoding: 'ieee-p1363' });
  if (alg === 'EdDSA' && kind === 'ed25519') return sign(null, data, key);
  throw new KeyError(`failed to sign payload: invalid key type for ${alg}`);
}
