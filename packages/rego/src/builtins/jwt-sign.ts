/**
 * io.jwt.encode_sign and io.jwt.encode_sign_raw (v1/topdown/tokens.go): a JWS compact token signed with the
 * first key of a JWK (set). encode_sign serialises its objects as Go's json.Marshal does (sorted keys), so the
 * token text is the one OPA produces; ECDSA, RSA-PSS signatures are randomised there as here.
 */
import type { RObject, Value } from '../value.ts';
import { bytesOf, encodeURLNoPad } from './base64.ts';
import { marshal } from './go-json.ts';
import { fastGet, fastString, parseFast } from './fastjson.ts';
import type { FastParse } from './fastjson.ts';
import { JWS_ALGORITHMS, KeyError, parseJWKs, signJWS } from './jwk.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

/**
 * jwsbb.HeaderGetString over the header as jwsbb.HeaderParse reads it (fastjson): the field's string, or the error
 * it returns — the parse error, `jwsbb: header "alg" not found` (also for a header that is no object), or fastjson's
 * complaint about a field that is not a string.
 */
function headerString(h: FastParse, name: string): { value: string } | { error: string } {
  if ('error' in h) return h;
  const v = fastGet(h.value, name);
  if (v === undefined) return { error: `jwsbb: header "${name}" not found` };
  const text = fastString(v);
  if (text === undefined) return { error: `value doesn't contain string; it contains ${v.t}` };
  return { value: text };
}

function isJSON(text: string): boolean {
  try { JSON.parse(text); return true; } catch { return false; }
}

function encodeSign(a: Operands, headerText: string, payloadText: string, jwkText: string): Value {
  try {
    const keys = parseJWKs(jwkText);
    const key = keys[0];
    if (!key) throw new KeyError('no keys found in JWK set');
    const header = parseFast(headerText);
    const alg = headerString(header, 'alg');
    if ('error' in alg) throw new KeyError(`missing or invalid 'alg' header: ${alg.error}`);
    if (!JWS_ALGORITHMS.has(alg.value)) throw new KeyError(`unknown JWS algorithm: ${alg.value}`);
    const typ = headerString(header, 'typ');
    if (('error' in typ || typ.value === 'JWT') && !isJSON(payloadText)) throw new KeyError('type is JWT but payload is not JSON');
    const signingInput = `${encodeURLNoPad(bytesOf(headerText))}.${encodeURLNoPad(bytesOf(payloadText))}`;
    const signature = signJWS(key.key, alg.value, Buffer.from(signingInput, 'utf8'));
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
