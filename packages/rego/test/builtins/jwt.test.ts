import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RObject, fromJSON, toJSON } from '../../src/value.ts';
import type { Value } from '../../src/value.ts';
import { buildCert, pem } from './cert-builder.ts';
import { call, value } from './call.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const ed = generateKeyPairSync('ed25519');

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');
const obj = (o: Record<string, unknown>): RObject => {
  const v = fromJSON(o);
  if (!(v instanceof RObject)) throw new Error('not an object');
  return v;
};
const jwkText = (k: KeyObject, extra: Record<string, string> = {}): string => JSON.stringify({ ...k.export({ format: 'jwk' }), ...extra });
const publicPEM = (k: KeyObject): string => k.export({ format: 'pem', type: 'spki' }).toString();

/** A token signed by our own hand (not by the builtin under test) so verification is checked independently. */
function token(header: Record<string, unknown>, payload: Record<string, unknown> | string, signer: (data: Buffer) => Buffer): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  return `${input}.${b64url(signer(Buffer.from(input)))}`;
}
const hs256 = (secret: string) => (d: Buffer): Buffer => createHmac('sha256', secret).update(d).digest();
const rs = (hash: string, key: KeyObject) => (d: Buffer): Buffer => sign(hash, d, key);
const ps = (hash: string, key: KeyObject) => (d: Buffer): Buffer => sign(hash, d, { key, padding: 6, saltLength: 32 });
const es = (hash: string, key: KeyObject) => (d: Buffer): Buffer => sign(hash, d, { key, dsaEncoding: 'ieee-p1363' });
const eddsa = (key: KeyObject) => (d: Buffer): Buffer => sign(null, d, key);

describe('io.jwt.decode', () => {
  it('returns header, payload and the signature as hex', () => {
    const t = token({ alg: 'HS256', typ: 'JWT' }, { sub: 'alice', n: 18446744073709551617n.toString() }, hs256('k'));
    const sig = Buffer.from(t.split('.')[2]!, 'base64url').toString('hex');
    expect(call('io.jwt.decode', t)).toBe(`[{"alg":"HS256","typ":"JWT"},{"n":"18446744073709551617","sub":"alice"},"${sig}"]`);
  });

  it.each([
    ['abc', 'encoded JWT had no period separators'],
    ['a.b', 'encoded JWT must have 3 sections, found 2'],
    ['e30.e30.e30.e30', 'encoded JWT must have 3 sections, found 4'],
    ['e3!.e30.', 'JWT header had invalid encoding: illegal base64 data at input byte 2'],
    [`${b64url('[1]')}.e30.`, 'bad JWT header: decoded JSON type was not an Object'],
    [`${b64url('{x')}.e30.`, "bad JWT header: invalid JSON: invalid character 'x' looking for beginning of object key string"],
    [`${b64url('{"alg":"HS256","enc":"A128GCM"}')}.e30.`, 'JWT is a JWE object, which is not supported'],
    [`e30.${b64url('"s"')}.`, 'decoded JSON type was not an Object'],
    ['e30.e30.a', 'JWT signature had invalid encoding: illegal base64url string: a'],
  ])('rejects %s', (t, message) => {
    expect(call('io.jwt.decode', t)).toBe(`eval_builtin_error: io.jwt.decode: ${message}`);
  });

  it('decodes the inner token of a nested one (cty JWT), quotes and all', () => {
    const inner = token({ alg: 'HS256' }, { iss: 'inner' }, hs256('k'));
    const outer = token({ alg: 'HS256', cty: 'JWT' }, `"${inner}"`, hs256('k'));
    const decoded = toJSON(value('io.jwt.decode', outer)!);
    expect(Array.isArray(decoded) ? decoded.slice(0, 2) : decoded).toEqual([{ alg: 'HS256' }, { iss: 'inner' }]);
  });

  it('checks the operand type', () => {
    expect(call('io.jwt.decode', 1)).toBe('eval_type_error: io.jwt.decode: operand 1 must be string but got number');
  });
});

describe('io.jwt.verify_*', () => {
  const cert = pem('CERTIFICATE', buildCert({ subject: { cn: 'signer' }, key: rsa.privateKey }));
  const rsToken = token({ alg: 'RS256' }, { iss: 'x' }, rs('sha256', rsa.privateKey));

  it.each([
    ['io.jwt.verify_hs256', token({ alg: 'HS256' }, {}, hs256('secret')), 'secret', true],
    ['io.jwt.verify_hs256', token({ alg: 'HS256' }, {}, hs256('secret')), 'other', false],
    ['io.jwt.verify_hs384', token({ alg: 'HS384' }, {}, (d) => createHmac('sha384', 'äö').update(d).digest()), 'äö', true],
    ['io.jwt.verify_hs512', token({ alg: 'HS512' }, {}, (d) => createHmac('sha512', 's').update(d).digest()), 's', true],
    ['io.jwt.verify_rs256', rsToken, publicPEM(rsa.publicKey), true],
    ['io.jwt.verify_rs256', rsToken, cert, true],
    ['io.jwt.verify_rs256', rsToken, jwkText(rsa.publicKey), true],
    ['io.jwt.verify_rs256', rsToken, publicPEM(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey), false],
    ['io.jwt.verify_rs384', token({ alg: 'RS384' }, {}, rs('sha384', rsa.privateKey)), publicPEM(rsa.publicKey), true],
    ['io.jwt.verify_rs512', token({ alg: 'RS512' }, {}, rs('sha512', rsa.privateKey)), publicPEM(rsa.publicKey), true],
    ['io.jwt.verify_rs512', rsToken, publicPEM(rsa.publicKey), false],
    ['io.jwt.verify_ps256', token({ alg: 'PS256' }, {}, ps('sha256', rsa.privateKey)), cert, true],
    ['io.jwt.verify_ps384', token({ alg: 'PS384' }, {}, ps('sha384', rsa.privateKey)), publicPEM(rsa.publicKey), true],
    ['io.jwt.verify_ps512', token({ alg: 'PS512' }, {}, ps('sha512', rsa.privateKey)), publicPEM(rsa.publicKey), true],
    ['io.jwt.verify_es256', token({ alg: 'ES256' }, {}, es('sha256', p256.privateKey)), publicPEM(p256.publicKey), true],
    ['io.jwt.verify_es256', token({ alg: 'ES256' }, {}, es('sha256', p256.privateKey)), publicPEM(rsa.publicKey), false],
    ['io.jwt.verify_es384', token({ alg: 'ES384' }, {}, es('sha384', p384.privateKey)), jwkText(p384.publicKey), true],
    ['io.jwt.verify_es512', token({ alg: 'ES512' }, {}, es('sha512', p521.privateKey)), publicPEM(p521.publicKey), true],
    ['io.jwt.verify_eddsa', token({ alg: 'EdDSA' }, {}, eddsa(ed.privateKey)), publicPEM(ed.publicKey), true],
    ['io.jwt.verify_eddsa', token({ alg: 'EdDSA' }, {}, eddsa(ed.privateKey)), publicPEM(generateKeyPairSync('ed25519').publicKey), false],
  ] satisfies [string, string, string, boolean][])('%s(…, key %#) → %s', (name, t, key, want) => {
    expect(call(name, t, key)).toBe(String(want));
  });

  it('uses the JWKS key whose kid matches, and otherwise only keys of the token alg', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const set = (keys: string[]): string => `{"keys":[${keys.join(',')}]}`;
    const kidToken = token({ alg: 'RS256', kid: 'b' }, {}, rs('sha256', rsa.privateKey));
    expect(call('io.jwt.verify_rs256', kidToken, set([jwkText(other, { kid: 'a' }), jwkText(rsa.publicKey, { kid: 'b' })]))).toBe('true');
    // A matching kid decides alone, even when another key would verify.
    expect(call('io.jwt.verify_rs256', kidToken, set([jwkText(rsa.publicKey, { kid: 'a' }), jwkText(other, { kid: 'b' })]))).toBe('false');
    expect(call('io.jwt.verify_rs256', rsToken, set([jwkText(rsa.publicKey, { alg: 'RS384' })]))).toBe('false');
    expect(call('io.jwt.verify_rs256', rsToken, set([jwkText(other, { alg: 'RS256' }), jwkText(rsa.publicKey, { alg: 'RS256' })]))).toBe('true');
  });

  it.each([
    ['-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n\nextra', 'extra data after a PEM certificate block'],
    ['-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n', 'failed to extract a Key from the PEM certificate'],
    ['{"kty":"nope"}', 'failed to parse a JWK key (set): invalid key type from JSON (nope)'],
  ])('reports unusable keys: %j', (key, message) => {
    expect(call('io.jwt.verify_rs256', rsToken, key)).toBe(`eval_builtin_error: io.jwt.verify_rs256: ${message}`);
  });
});

describe('io.jwt.decode_verify', () => {
  const secretToken = (payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string =>
    token(header, payload, hs256('s3cret'));
  const verify = (t: string, constraints: Record<string, unknown>): string => call('io.jwt.decode_verify', t, obj(constraints));
  const NO = '[false,{},{}]';

  it.each([
    ['a good secret', {}, { secret: 's3cret' }, '[true,{"alg":"HS256","typ":"JWT"},{"iss":"deckhand"}]'],
    ['a wrong secret', {}, { secret: 'nope' }, NO],
    ['the expected alg', {}, { secret: 's3cret', alg: 'HS256' }, '[true,{"alg":"HS256","typ":"JWT"},{"iss":"deckhand"}]'],
    ['another alg', {}, { secret: 's3cret', alg: 'RS256' }, NO],
    ['the expected issuer', {}, { secret: 's3cret', iss: 'deckhand' }, '[true,{"alg":"HS256","typ":"JWT"},{"iss":"deckhand"}]'],
    ['another issuer', {}, { secret: 's3cret', iss: 'other' }, NO],
    ['an audience the token lacks', {}, { secret: 's3cret', aud: 'bot' }, NO],
    ['an audience in the list', { aud: ['x', 'bot'] }, { secret: 's3cret', aud: 'bot' }, '[true,{"alg":"HS256","typ":"JWT"},{"aud":["x","bot"],"iss":"deckhand"}]'],
    ['a token audience but none asked', { aud: 'bot' }, { secret: 's3cret' }, NO],
    ['exp in the future', { exp: 2000 }, { secret: 's3cret', time: 1999_000_000_000 }, '[true,{"alg":"HS256","typ":"JWT"},{"exp":2000,"iss":"deckhand"}]'],
    ['exp reached', { exp: 2000 }, { secret: 's3cret', time: 2000_000_000_000 }, NO],
    ['nbf reached', { nbf: 2000 }, { secret: 's3cret', time: 2000_000_000_000 }, '[true,{"alg":"HS256","typ":"JWT"},{"iss":"deckhand","nbf":2000}]'],
    ['nbf not yet', { nbf: 2000 }, { secret: 's3cret', time: 1999_999_999_999 }, NO],
    ['exp against the query clock', { exp: 1_700_000_001 }, { secret: 's3cret' }, '[true,{"alg":"HS256","typ":"JWT"},{"exp":1700000001,"iss":"deckhand"}]'],
  ])('with %s', (_what, claims, constraints, want) => {
    expect(verify(secretToken({ iss: 'deckhand', ...claims }), constraints)).toBe(want);
  });

  it('rejects a header without alg or with an unknown critical parameter', () => {
    expect(verify(secretToken({}, { typ: 'JWT' }), { secret: 's3cret' })).toBe(NO);
    expect(verify(secretToken({}, { alg: 'HS256', crit: ['x'], x: 1 }), { secret: 's3cret' })).toBe(NO);
    expect(verify(secretToken({}, { alg: 'HS256', crit: ['kid'], kid: 'k' }), { secret: 's3cret' })).toBe('[true,{"alg":"HS256","crit":["kid"],"kid":"k"},{}]');
  });

  it('verifies with a certificate, a public key or a JWKS, for every asymmetric family', () => {
    const payload = { sub: 'bot' };
    const cases: [string, KeyObject, (d: Buffer) => Buffer, string][] = [
      ['RS256', rsa.publicKey, rs('sha256', rsa.privateKey), pem('CERTIFICATE', buildCert({ subject: { cn: 'k' }, key: rsa.privateKey }))],
      ['PS384', rsa.publicKey, ps('sha384', rsa.privateKey), publicPEM(rsa.publicKey)],
      ['ES256', p256.publicKey, es('sha256', p256.privateKey), `{"keys":[${jwkText(p256.publicKey, { alg: 'ES256' })}]}`],
      ['ES512', p521.publicKey, es('sha512', p521.privateKey), publicPEM(p521.publicKey)],
      ['EdDSA', ed.publicKey, eddsa(ed.privateKey), jwkText(ed.publicKey)],
    ];
    for (const [alg, , signer, cert] of cases) {
      expect(verify(token({ alg }, payload, signer), { cert }), alg).toBe(`[true,{"alg":"${alg}"},{"sub":"bot"}]`);
      expect(verify(token({ alg }, payload, signer), { secret: 'x' }), alg).toBe(NO);
    }
  });

  it('follows nested tokens with the same constraints and returns the innermost header', () => {
    const inner = secretToken({ iss: 'inner' }, { alg: 'HS256', kid: 'in' });
    const outer = token({ alg: 'HS256', cty: 'jwt' }, inner, hs256('s3cret'));
    expect(verify(outer, { secret: 's3cret' })).toBe('[true,{"alg":"HS256","kid":"in"},{"iss":"inner"}]');
  });

  it.each([
    [{}, 'no key constraint'],
    [{ secret: 'a', cert: publicPEM(ed.publicKey) }, 'duplicate key constraints'],
    [{ secret: 'a', audience: 'x' }, 'unknown token validation constraint: audience'],
    [{ secret: 1 }, 'secret constraint: must be a string'],
    [{ cert: 1 }, 'cert constraint: must be a string'],
    [{ secret: 'a', time: 'now' }, 'token time constraint: must be a number'],
    [{ secret: 'a', time: -1 }, 'token time constraint: must not be negative'],
  ])('reports bad constraints %j', (constraints, message) => {
    expect(verify(secretToken({}), constraints)).toBe(`eval_builtin_error: io.jwt.decode_verify: ${message}`);
  });

  it.each([
    [{ exp: '2000' }, 'exp value must be a number'],
    [{ nbf: null }, 'nbf value must be a number'],
  ])('reports claims of the wrong type %j', (claims, message) => {
    expect(verify(secretToken(claims), { secret: 's3cret' })).toBe(`eval_builtin_error: io.jwt.decode_verify: ${message}`);
  });

  it('checks operand types', () => {
    expect(call('io.jwt.decode_verify', 'a.b.c', 'x')).toBe('eval_type_error: io.jwt.decode_verify: operand 2 must be object but got string');
    expect(call('io.jwt.decode_verify', 1, obj({ secret: 'x' }))).toBe('eval_type_error: io.jwt.decode_verify: operand 1 must be string but got number');
  });
});

describe('io.jwt.encode_sign and encode_sign_raw', () => {
  // RFC 7515 appendix A.1: the HS256 example key and its signature over the compact header and claims.
  const rfcKey = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' };

  it('reproduces RFC 7515 A.1 with encode_sign_raw', () => {
    const header = '{"typ":"JWT",\r\n "alg":"HS256"}';
    const payload = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';
    expect(call('io.jwt.encode_sign_raw', header, payload, JSON.stringify(rfcKey)))
      .toBe('"eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"');
  });

  it('serialises objects with sorted keys as Go does', () => {
    const t = value('io.jwt.encode_sign', obj({ typ: 'JWT', alg: 'HS256' }), obj({ b: 1, a: '<&>' }), obj({ kty: 'oct', k: b64url('k') }));
    const [h, p] = String(t).split('.');
    expect(Buffer.from(h!, 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
    expect(Buffer.from(p!, 'base64url').toString()).toBe('{"a":"\\u003c\\u0026\\u003e","b":1}');
    expect(call('io.jwt.verify_hs256', String(t), 'k')).toBe('true');
  });

  it.each([
    ['RS256', rsa], ['RS512', rsa], ['PS256', rsa], ['PS512', rsa], ['ES256', p256], ['ES384', p384], ['ES512', p521], ['EdDSA', ed],
  ] as const)('signs %s with a private JWK so that decode_verify accepts it', (alg, pair) => {
    const t = value('io.jwt.encode_sign', obj({ alg }), obj({ iss: 'deckhand' }), obj(pair.privateKey.export({ format: 'jwk' })));
    expect(typeof t).toBe('string');
    expect(call('io.jwt.decode_verify', String(t), obj({ cert: publicPEM(pair.publicKey) }))).toBe(`[true,{"alg":"${alg}"},{"iss":"deckhand"}]`);
  });

  it('signs with the first key of a JWK set', () => {
    const set = `{"keys":[${jwkText(ed.privateKey)},${jwkText(p256.privateKey)}]}`;
    const t = String(value('io.jwt.encode_sign_raw', '{"alg":"EdDSA"}', '{}', set));
    expect(call('io.jwt.verify_eddsa', t, publicPEM(ed.publicKey))).toBe('true');
  });

  it.each<[Value, Value, Value, string]>([
    ['{"alg":"none"}', '{}', JSON.stringify(rfcKey), 'unknown JWS algorithm: none'],
    ['{"typ":"JWT"}', '{}', JSON.stringify(rfcKey), `missing or invalid 'alg' header: jwsbb: header "alg" not found`],
    ['{"alg":"HS256"}', 'not json', JSON.stringify(rfcKey), 'type is JWT but payload is not JSON'],
    ['{"alg":"HS256"}', '{}', '{"keys":[]}', 'no keys found in JWK set'],
  ])('encode_sign_raw(%j, %j, …) fails', (h, p, k, message) => {
    expect(call('io.jwt.encode_sign_raw', h, p, k)).toBe(`eval_builtin_error: io.jwt.encode_sign_raw: ${message}`);
  });

  it('signs a non-JSON payload when the type says it is not a JWT', () => {
    expect(call('io.jwt.encode_sign_raw', '{"alg":"HS256","typ":"text/plain"}', 'e', JSON.stringify(rfcKey))).toMatch(/^"eyJ[^.]+\.ZQ\.[\w-]+"$/);
  });

  it('checks operand types in OPA order (the key first)', () => {
    expect(call('io.jwt.encode_sign_raw', 1, 2, 3)).toBe('eval_type_error: io.jwt.encode_sign_raw: operand 3 must be string but got number');
    expect(call('io.jwt.encode_sign', obj({}), 'x', obj({}))).toBe('eval_type_error: io.jwt.encode_sign: operand 2 must be object but got string');
  });
});
