/**
 * io.jwt.encode_sign and io.jwt.encode_sign_raw (v1/topdown/tokens.go): a JWS compact token signed with the
 * first key of a JWK (set). encode_sign serialises its objects as Go's json.Marshal does (sorted keys), so the
 * token text is the one OPA produces; ECDSA, RSA-PSS signatures are randomised there as here.
 */
import type { RObject, Value } from '../value.ts';
import { bytesOf, encodeURLNoPad } from './base64.ts';
import { marshal } from './go-json.ts';
import { JWS_ALGORITHMS, KeyError, isObject, parseJWKs, signJWS } from './jwk.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

/** The header's `alg` as jwsbb.HeaderGetString reads it from the header text. */
function headerString(headerText: string, name: string): string | undefined {
  let parsed: unknown;
  try { parsed = JSON.parse(headerText); } catch { return undefined; }
  if (!isObject(parsed)) return undefined;
  const v = parsed[name];
  return typeof v === 'string' ? v : undefined;
}

function isJSON(text: string): boolean {
  try { JSON.parse(text); return true; } catch { return false; }
}

function encodeSign(a: Operands, headerText: string, payloadText: string, jwkText: string): Value {
  try {
    const keys = parseJWKs(jwkText);
    const key = keys[0];
    if (!key) throw new KeyError('no keys found in JWK set');
    const alg = headerString(headerText, 'alg');
    if (alg === undefined) throw new KeyError(`missing or invalid 'alg' header: failed to get header "alg"`);
    if (!JWS_ALGORITHMS.has(alg)) throw new KeyError(`unknown JWS algorithm: ${alg}`);
    const typ = headerString(headerText, 'typ');
    if ((typ === undefined || typ === 'JWT') && !isJSON(payloadText)) throw new KeyError('type is JWT but payload is not JSON');
    const signingInput = `${encodeURLNoPad(bytesOf(headerText))}.${encodeURLNoPad(bytesOf(payloadText))}`;
    const signature = signJWS(key.key, alg, Buffer.from(signingInput, 'utf8'));
    return `${signingInput}.${encodeURLNoPad(signature)}`;
  } catch (e) {
    if (e instanceof KeyError) throw a.fail(e.message);
    throw e;
  }
}

export const jwtSignBuiltins: readonly Builtin[] = [
  define('io.jwt.encode_sign', 3, (a) => {
    const [headers, payload, jwk] = [a.object(1), a.object(2), a.object(3)];
    const text = (o: RObject): string => marshal(o, undefined, '', 0);
    return encodeSign(a, text(headers), text(payload), text(jwk));
  }),
  define('io.jwt.encode_sign_raw', 3, (a) => {
    const jwk = a.string(3);
    return encodeSign(a, a.string(1), a.string(2), jwk);
  }),
];
