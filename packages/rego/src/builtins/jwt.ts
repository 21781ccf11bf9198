/**
 * io.jwt.decode, io.jwt.verify_* and io.jwt.decode_verify (v1/topdown/tokens.go): JWS compact serialization
 * only, OPA's checks in OPA's order, and its messages. Signatures are checked with node:crypto.
 */
import { createHmac, createSecretKey, timingSafeEqual, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { RObject, compare, isNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { Base64Error, bytesOf, decodeURL, goString } from './base64.ts';
import { parseJSON } from './encoding.ts';
import { goJSONError } from './json-errors.ts';
import { KeyError, PSS_VERIFY, ecdsaDER, hashOf, publicOf, verificationKeys, verifyJWS } from './jwk.ts';
import type { VerificationKey } from './jwk.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

/** A failure OPA reports as the builtin's error (eval_builtin_error). */
class TokenError extends Error {}

interface Token {
  readonly header: string;
  readonly payload: string;
  readonly signature: string;
}

function splitToken(jwt: string): Token {
  if (!jwt.includes('.')) throw new TokenError('encoded JWT had no period separators');
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new TokenError(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]! };
}

function base64url(s: string, what: string): string {
  try {
    return goString(decodeURL(s));
  } catch (e) {
    if (e instanceof Base64Error) throw new TokenError(`JWT ${what} had invalid encoding: ${e.message}`);
    throw e;
  }
}

function signatureBytes(token: Token): Buffer {
  try {
    return decodeURL(token.signature);
  } catch (e) {
    if (e instanceof Base64Error) throw new TokenError(e.message);
    throw e;
  }
}

/** extractJSONObject: json.unmarshal's errors under "invalid JSON", and only objects. */
function jsonObject(text: string): RObject {
  let v: Value;
  try {
    v = parseJSON(text);
  } catch (e) {
    if (e instanceof SyntaxError) throw new TokenError(`invalid JSON: ${goJSONError(text, e.message)}`);
    throw e;
  }
  if (!(v instanceof RObject)) throw new TokenError('decoded JSON type was not an Object');
  return v;
}

function decodeHeader(token: Token): RObject {
  const text = base64url(token.header, 'header');
  let header: RObject;
  try {
    header = jsonObject(text);
  } catch (e) {
    if (e instanceof TokenError) throw new TokenError(`bad JWT header: ${e.message}`);
    throw e;
  }
  // A JWE (RFC 7516 §9) carries "enc"; OPA supports only JWS.
  if (header.has('enc')) throw new TokenError('JWT is a JWE object, which is not supported');
  return header;
}

interface TokenHeader {
  alg: string;
  kid: string;
  cty: string;
  crit: Set<string> | undefined;
  readonly unknown: string[];
}

/** parseTokenHeader: the registered parameters typed, the rest remembered for the `crit` check. */
function parseHeader(header: RObject): TokenHeader {
  const h: TokenHeader = { alg: '', kid: '', cty: '', crit: undefined, unknown: [] };
  for (const [k, v] of header.sortedEntries()) {
    const name = typeof k === 'string' ? k : JSON.stringify(k);
    switch (name) {
      case 'alg': case 'kid': case 'typ': case 'cty':
        if (typeof v !== 'string') throw new TokenError(`${name}: must be a string`);
        if (name !== 'typ') h[name] = v;
        break;
      case 'crit': {
        if (!Array.isArray(v)) throw new TokenError('crit: must be a list');
        h.crit = new Set();
        // OPA stops at the first non-string and keeps what it had.
        for (const e of v) { if (typeof e !== 'string') break; h.crit.add(e); }
        if (h.crit.size === 0) throw new TokenError('crit: must be a nonempty list');
        break;
      }
      default: h.unknown.push(name);
    }
  }
  return h;
}

/** RFC 7515: `alg` is required, and a critical parameter we do not understand invalidates the token. */
function validHeader(h: TokenHeader): boolean {
  return h.alg !== '' && !h.unknown.some((u) => h.crit?.has(u));
}

function withTokenErrors(a: Operands, f: () => Value): Value {
  try {
    return f();
  } catch (e) {
    if (e instanceof TokenError || e instanceof KeyError) throw a.fail(e.message);
    throw e;
  }
}

function decodeToken(jwt: string): Value {
  const token = splitToken(jwt);
  const header = decodeHeader(token);
  const payloadText = base64url(token.payload, 'payload');
  const cty = header.get('cty');
  // A nested token arrives quoted (as jwt.io produces it): strip the quotes and decode the inner token instead.
  if (cty === 'JWT') return decodeToken(payloadText.replace(/^["']+|["']+$/g, ''));
  const payload = jsonObject(payloadText);
  let signature: Buffer;
  try {
    signature = decodeURL(token.signature);
  } catch (e) {
    if (e instanceof Base64Error) throw new TokenError(`JWT signature had invalid encoding: ${e.message}`);
    throw e;
  }
  return [header, payload, signature.toString('hex')];
}

type Verifier = (key: KeyObject, data: Buffer, signature: Buffer) => boolean;

/** The verify_* builtins' own key checks (not jwsbb's): a key of the wrong kind does not verify. */
function rsaVerifier(alg: string, pss: boolean): Verifier {
  return (key, data, sig) => {
    const pub = publicOf(key);
    if (pub.asymmetricKeyType !== 'rsa') return false;
    return verify(hashOf(alg), data, pss ? { key: pub, ...PSS_VERIFY } : pub, sig);
  };
}

function ecVerifier(alg: string): Verifier {
  return (key, data, sig) => {
    const pub = publicOf(key);
    if (pub.asymmetricKeyType !== 'ec') return false;
    return verify(hashOf(alg), data, pub, ecdsaDER(sig));
  };
}

const edVerifier: Verifier = (key, data, sig) => {
  const pub = publicOf(key);
  return pub.asymmetricKeyType === 'ed25519' && verify(null, data, pub, sig);
};

/** builtinJWTVerify: a kid match decides alone; otherwise any key whose alg (if it has one) matches the token's. */
function verifyWithKeys(a: Operands, verifier: Verifier): Value {
  const token = splitToken(a.string(1));
  const keys = verificationKeys(a.string(2));
  const signature = signatureBytes(token);
  const header = parseHeader(decodeHeader(token));
  const data = Buffer.from(`${token.header}.${token.payload}`, 'utf8');
  const attempt = (k: VerificationKey): boolean => {
    if (k.key.type === 'secret') return false;
    try { return verifier(k.key, data, signature); } catch { return false; }
  };
  if (header.kid !== '') {
    const byKid = keys.find((k) => k.kid === header.kid);
    if (byKid) return attempt(byKid);
  }
  return keys.some((k) => (k.alg === '' || k.alg === header.alg) && attempt(k));
}

function verifyHMAC(a: Operands, hash: string): Value {
  const jwt = a.string(1);
  const secret = a.string(2);
  const token = splitToken(jwt);
  const mac = createHmac(hash, bytesOf(secret)).update(`${token.header}.${token.payload}`, 'utf8').digest();
  const signature = signatureBytes(token);
  return mac.length === signature.length && timingSafeEqual(mac, signature);
}

interface Constraints {
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  keys: VerificationKey[] | undefined;
  time: number;
}

function timeFrom(v: Value): number {
  if (!isNumber(v)) throw new TokenError('token time constraint: must be a number');
  const t = Number(v);
  if (t < 0) throw new TokenError('token time constraint: must not be negative');
  return t;
}

function parseConstraints(o: RObject, nowNs: bigint): Constraints {
  const c: Constraints = { secret: '', alg: '', iss: '', aud: '', keys: undefined, time: -1 };
  for (const [k, v] of o.sortedEntries()) {
    const name = typeof k === 'string' ? k : JSON.stringify(k);
    switch (name) {
      case 'cert':
        if (typeof v !== 'string') throw new TokenError('cert constraint: must be a string');
        c.keys = verificationKeys(v);
        break;
      case 'secret': case 'alg': case 'iss': case 'aud':
        if (typeof v !== 'string') throw new TokenError(`${name} constraint: must be a string`);
        c[name] = v;
        break;
      case 'time':
        c.time = timeFrom(v);
        break;
      default:
        throw new TokenError(`unknown token validation constraint: ${name}`);
    }
  }
  if (c.time === -1) c.time = Number(nowNs);
  const keyConstraints = (c.keys !== undefined ? 1 : 0) + (c.secret !== '' ? 1 : 0);
  if (keyConstraints > 1) throw new TokenError('duplicate key constraints');
  if (keyConstraints < 1) throw new TokenError('no key constraint');
  return c;
}

function signatureVerifies(c: Constraints, header: TokenHeader, token: Token, signature: Buffer): boolean {
  const data = Buffer.from(`${token.header}.${token.payload}`, 'utf8');
  if (c.keys !== undefined) {
    if (header.kid !== '') {
      const byKid = c.keys.find((k) => k.kid === header.kid);
      if (byKid) return verifyJWS(byKid.key, header.alg, data, signature);
    }
    return c.keys.some((k) => (k.alg === '' || k.alg === header.alg) && verifyJWS(k.key, header.alg, data, signature));
  }
  return verifyJWS(secretKey(c.secret), header.alg, data, signature);
}

function secretKey(secret: string): KeyObject {
  return createSecretKey(bytesOf(secret));
}

function validAudience(aud: Value, want: string): boolean {
  if (typeof aud === 'string') return aud === want;
  return Array.isArray(aud) && aud.some((e) => typeof e === 'string' && e === want);
}

function decodeVerify(a: Operands, nowNs: bigint): Value {
  const jwtOperand = a.at(1);
  const c = parseConstraints(a.object(2), nowNs);
  const unverified = [false, new RObject(), new RObject()];
  let jwt: Value = jwtOperand;
  let token: Token, header: RObject, payloadText: string;
  for (;;) {
    if (typeof jwt !== 'string') throw a.typeErr(1, 'string');
    token = splitToken(jwt);
    header = decodeHeader(token);
    const h = parseHeader(header);
    if (!validHeader(h)) return unverified;
    if (c.alg !== '' && c.alg !== h.alg) return unverified;
    const signature = signatureBytes(token);
    if (!signatureVerifies(c, h, token, signature)) return unverified;
    payloadText = base64url(token.payload, 'payload');
    // A nested JWT (cty "JWT", any case): its payload is the next token to verify with the same constraints.
    if (h.cty.toUpperCase() === 'JWT') { jwt = payloadText; continue; }
    break;
  }
  const payload = jsonObject(payloadText);
  if (c.iss !== '') {
    const iss = payload.get('iss');
    if (iss === undefined || iss !== c.iss) return unverified;
  }
  const aud = payload.get('aud');
  if (aud !== undefined ? !validAudience(aud, c.aud) : c.aud !== '') return unverified;
  const seconds = c.time / 1e9;
  const exp = payload.get('exp');
  if (exp !== undefined) {
    if (!isNumber(exp)) throw new TokenError('exp value must be a number');
    if (compare(seconds, exp) !== -1) return unverified;
  }
  const nbf = payload.get('nbf');
  if (nbf !== undefined) {
    if (!isNumber(nbf)) throw new TokenError('nbf value must be a number');
    if (compare(seconds, nbf) === -1) return unverified;
  }
  return [true, header, payload];
}

function rsa(name: string, alg: string, pss: boolean): Builtin {
  return define(name, 2, (a) => withTokenErrors(a, () => verifyWithKeys(a, rsaVerifier(alg, pss))));
}

export const jwtBuiltins: readonly Builtin[] = [
  define('io.jwt.decode', 1, (a) => withTokenErrors(a, () => decodeToken(a.string(1)))),
  define('io.jwt.decode_verify', 2, (a, ctx) => withTokenErrors(a, () => decodeVerify(a, ctx.nowNs))),
  define('io.jwt.verify_hs256', 2, (a) => withTokenErrors(a, () => verifyHMAC(a, 'sha256'))),
  define('io.jwt.verify_hs384', 2, (a) => withTokenErrors(a, () => verifyHMAC(a, 'sha384'))),
  define('io.jwt.verify_hs512', 2, (a) => withTokenErrors(a, () => verifyHMAC(a, 'sha512'))),
  rsa('io.jwt.verify_rs256', 'RS256', false),
  rsa('io.jwt.verify_rs384', 'RS384', false),
  rsa('io.jwt.verify_rs512', 'RS512', false),
  rsa('io.jwt.verify_ps256', 'PS256', true),
  rsa('io.jwt.verify_ps384', 'PS384', true),
  rsa('io.jwt.verify_ps512', 'PS512', true),
  define('io.jwt.verify_es256', 2, (a) => withTokenErrors(a, () => verifyWithKeys(a, ecVerifier('ES256')))),
  define('io.jwt.verify_es384', 2, (a) => withTokenErrors(a, () => verifyWithKeys(a, ecVerifier('ES384')))),
  define('io.jwt.verify_es512', 2, (a) => withTokenErrors(a, () => verifyWithKeys(a, ecVerifier('ES512')))),
  define('io.jwt.verify_eddsa', 2, (a) => withTokenErrors(a, () => verifyWithKeys(a, edVerifier))),
];
