/**
 * Digest builtins (crypto.md5/sha1/sha256, crypto.hmac.*): hex digests of the strings' UTF-8 bytes.
 * `cryptoBuiltins` also gathers the token and certificate families, so the registry takes them as one.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { jwtSignBuiltins } from './jwt-sign.ts';
import { jwtBuiltins } from './jwt.ts';
import { define } from './operands.ts';
import { x509Builtins } from './x509.ts';
import type { Builtin } from './types.ts';

function digest(name: string, algorithm: string): Builtin {
  return define(name, 1, (a) => createHash(algorithm).update(a.string(1), 'utf8').digest('hex'));
}

function hmac(name: string, algorithm: string): Builtin {
  return define(name, 2, (a) => createHmac(algorithm, Buffer.from(a.string(2), 'utf8')).update(a.string(1), 'utf8').digest('hex'));
}

const digestBuiltins: readonly Builtin[] = [
  digest('crypto.md5', 'md5'),
  digest('crypto.sha1', 'sha1'),
  digest('crypto.sha256', 'sha256'),
  hmac('crypto.hmac.md5', 'md5'),
  hmac('crypto.hmac.sha1', 'sha1'),
  hmac('crypto.hmac.sha256', 'sha256'),
  hmac('crypto.hmac.sha512', 'sha512'),
  define('crypto.hmac.equal', 2, (a) => {
    const x = Buffer.from(a.string(1), 'utf8'), y = Buffer.from(a.string(2), 'utf8');
    return x.length === y.length && timingSafeEqual(x, y);
  }),
];

export const cryptoBuiltins: readonly Builtin[] = [...digestBuiltins, ...jwtBuiltins, ...jwtSignBuiltins, ...x509Builtins];
