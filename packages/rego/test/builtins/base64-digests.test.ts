import { describe, expect, it } from 'vitest';
import { RObject } from '../../src/value.ts';
import { call, rows } from './call.ts';

describe('base64 and base64url', () => {
  it.each(rows([
    ['base64.encode', ['hello'], '"aGVsbG8="'],
    ['base64.encode', ['☃'], '"4piD"'],
    ['base64.decode', ['aGVsbG8='], '"hello"'],
    ['base64.decode', ['aGVs\nbG8='], '"hello"'],
    ['base64.decode', [''], '""'],
    // Go reads decoded bytes back as a string: each byte of an invalid sequence is U+FFFD.
    ['base64.decode', ['/w=='], '"\uFFFD"'],
    ['base64.decode', ['4oI='], '"\uFFFD\uFFFD"'],
    ['base64.decode', ['aGVsbG8'], 'eval_builtin_error: base64.decode: illegal base64 data at input byte 4'],
    ['base64.decode', ['aGVsbG8=='], 'eval_builtin_error: base64.decode: illegal base64 data at input byte 8'],
    ['base64.decode', ['a'], 'eval_builtin_error: base64.decode: illegal base64 data at input byte 0'],
    ['base64.decode', ['aG-s'], 'eval_builtin_error: base64.decode: illegal base64 data at input byte 2'],
    ['base64.decode', ['aGVsbA=x'], 'eval_builtin_error: base64.decode: illegal base64 data at input byte 6'],
    ['base64.decode', [1], 'eval_type_error: base64.decode: operand 1 must be string but got number'],
    ['base64.is_valid', ['aGVsbG8='], 'true'],
    ['base64.is_valid', ['aGVsbG8'], 'false'],
    ['base64.is_valid', [1], 'false'],
    ['base64url.encode', ['subjects?_d>'], '"c3ViamVjdHM_X2Q-"'],
    ['base64url.encode', ['hi'], '"aGk="'],
    ['base64url.encode_no_pad', ['hi'], '"aGk"'],
    ['base64url.decode', ['aGk'], '"hi"'],
    ['base64url.decode', ['aGk='], '"hi"'],
    ['base64url.decode', ['c3ViamVjdHM_X2Q-'], '"subjects?_d>"'],
    ['base64url.decode', ['aGVsb'], 'eval_builtin_error: base64url.decode: illegal base64url string: aGVsb'],
    ['base64url.decode', ['aG+s'], 'eval_builtin_error: base64url.decode: illegal base64 data at input byte 2'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('hex and urlquery (bytes read as Go strings)', () => {
  it.each(rows([
    ['hex.encode', ['é'], '"c3a9"'],
    ['hex.decode', ['c3a9'], '"é"'],
    ['hex.decode', ['ff41'], '"\uFFFDA"'],
    ['hex.decode', ['fghijkl'], "eval_builtin_error: hex.decode: encoding/hex: invalid byte: U+0067 'g'"],
    ['urlquery.decode', ['a%20b+c'], '"a b c"'],
    ['urlquery.decode', ['%ff'], '"\uFFFD"'],
    ['urlquery.decode', ['%zz'], 'eval_builtin_error: urlquery.decode: invalid URL escape "%zz"'],
    ['urlquery.encode_object', [new RObject([['b', ['2', '1']], ['a', 'x y']])], '"a=x+y&b=2&b=1"'],
    ['urlquery.decode_object', ['a=1&a=2&b'], '{"a":["1","2"],"b":[""]}'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('digests and HMACs', () => {
  it.each(rows([
    ['crypto.md5', ['deckhand'], '"0f9b4eebd56dd692cb03f690f1c712f8"'],
    ['crypto.sha1', [''], '"da39a3ee5e6b4b0d3255bfef95601890afd80709"'],
    ['crypto.sha256', ['abc'], '"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"'],
    ['crypto.hmac.sha256', ['foo', 'bar'], '"147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851"'],
    ['crypto.hmac.md5', ['foo', 'bar'], '"31b6db9e5eb4addb42f1a6ca07367adc"'],
    ['crypto.hmac.sha1', ['foo', 'bar'], '"85d155c55ed286a300bd1cf124de08d87e914f3a"'],
    ['crypto.hmac.sha512', ['foo', 'bar'], '"24257d7210582a65c731ec55159c8184cc24c02489453e58587f71f44c23a2d61b4b72154a89d17b2d49448a8452ea066f4fc56a2bcead45c088572ffccdb3d8"'],
    ['crypto.hmac.equal', ['abc', 'abc'], 'true'],
    ['crypto.hmac.equal', ['abc', 'abd'], 'false'],
    ['crypto.hmac.equal', ['abc', 'ab'], 'false'],
    ['crypto.hmac.sha256', ['foo', 1], 'eval_type_error: crypto.hmac.sha256: operand 2 must be string but got number'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
