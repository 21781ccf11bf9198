import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * How a service's images must be signed (`services.<name>.signature` in deckhand.yaml), as cosign signs them:
 *
 *   signature: { key: keys/api.pub }                                   # key-based: a PEM public key, inline or a file
 *   signature: { identity: https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main,
 *                issuer: https://token.actions.githubusercontent.com, trustedRoot: trusted_root.json }   # keyless
 *
 * Keyless signatures are verified offline against `trustedRoot` (a Sigstore trusted root JSON: Fulcio CAs, Rekor
 * and CT log keys); `identityRegexp` matches the certificate identity by pattern instead of exactly. A file path is
 * read relative to the config file's directory (else the working directory). The parsed value is a union on `kind`.
 */

/** Where relative key and trusted-root paths start: the config file's directory while it is parsed (parsing is synchronous). */
let baseDir: string | undefined;

/** Runs a (synchronous) parse with relative paths read from `dir`. */
export function resolvingFrom<T>(dir: string, parse: () => T): T {
  const before = baseDir;
  baseDir = dir;
  try {
    return parse();
  } finally {
    baseDir = before;
  }
}

/** Relative to the config file when it is there, else to the working directory (a config copied elsewhere still works). */
function pathOf(file: string): string {
  const beside = baseDir === undefined ? undefined : resolve(baseDir, file);
  return beside !== undefined && existsSync(beside) ? beside : resolve(file);
}

/** A PEM public key, inline or in a file: the PEM text, or why it is not usable. */
function readPublicKey(value: string): { pem: string } | { problem: string } {
  const inline = value.trimStart().startsWith('-----BEGIN');
  let pem = value;
  if (!inline) {
    try {
      pem = readFileSync(pathOf(value), 'utf8');
    } catch {
      return { problem: `no key file at \`${value}\` (a PEM public key, or a path to one)` };
    }
  }
  try {
    createPublicKey(pem);
    return { pem };
  } catch {
    return { problem: inline ? 'is not a PEM public key' : `\`${value}\` does not hold a PEM public key` };
  }
}

/** A trusted root file: its JSON, or why it is not usable. */
function readTrustedRoot(path: string): { json: unknown } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(pathOf(path), 'utf8');
  } catch {
    return { problem: `no trusted root file at \`${path}\`` };
  }
  try {
    const json = JSON.parse(text) as { mediaType?: unknown; certificateAuthorities?: unknown };
    if (typeof json.mediaType !== 'string' || !json.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
      return { problem: `\`${path}\` is not a Sigstore trusted root (its mediaType should be application/vnd.dev.sigstore.trustedroot…+json)` };
    }
    return { json };
  } catch {
    return { problem: `\`${path}\` is not valid JSON` };
  }
}

const RawSignature = z.object({
  /** Key-based: a PEM public key (inline) or the path of one (cosign's `cosign.pub`). */
  key: z.string({ error: 'must be a PEM public key or a path to one' }).min(1).optional(),
  /** Keyless: the signing certificate's identity (its SAN: an email, or a workflow URI), matched exactly. */
  identity: z.string({ error: 'must be a certificate identity (an email or URI)' }).min(1).optional(),
  /** Keyless: the certificate identity as a regular expression (anchored for you). */
  identityRegexp: z.string({ error: 'must be a regular expression' }).min(1).optional(),
  /** Keyless: the OIDC issuer that vouched for the identity (Fulcio's issuer extension). */
  issuer: z.url({ error: 'must be the OIDC issuer URL, like https://token.actions.githubusercontent.com' }).optional(),
  /** The Sigstore trusted root (JSON) for offline verification; required for keyless signatures. */
  trustedRoot: z.string().min(1).optional(),
}).strict();

export const ServiceSignature = RawSignature.superRefine((s, ctx) => {
  const keyless = s.identity !== undefined || s.identityRegexp !== undefined || s.issuer !== undefined;
  if (s.key !== undefined && keyless) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: 'a signature is either key-based (`key`) or keyless (`identity` + `issuer`), not both' });
    return;
  }
  if (s.key === undefined && !keyless) {
    ctx.addIssue({ code: 'custom', path: [], message: 'needs `key` (a cosign public key) or `identity` + `issuer` (keyless)' });
    return;
  }
  if (s.key !== undefined) {
    const read = readPublicKey(s.key);
    if ('problem' in read) ctx.addIssue({ code: 'custom', path: ['key'], message: read.problem });
  } else {
    // Fulcio certificates name an email (a person, a service account) or a URI (a CI workflow, a SPIFFE id).
    if (s.identity !== undefined && !/^[^@\s]+@[^@\s]+$/.test(s.identity) && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s.identity)) {
      ctx.addIssue({ code: 'custom', path: ['identity'], message: `\`${s.identity}\` is not a certificate identity: an email (ci@acme.dev) or a URI (https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main)` });
    }
    if (s.identity !== undefined && s.identityRegexp !== undefined) ctx.addIssue({ code: 'custom', path: ['identityRegexp'], message: 'give `identity` or `identityRegexp`, not both' });
    if (s.identity === undefined && s.identityRegexp === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'keyless signatures need `identity` (or `identityRegexp`): who must have signed' });
    if (s.identityRegexp !== undefined) {
      try {
        new RegExp(s.identityRegexp);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['identityRegexp'], message: `\`${s.identityRegexp}\` is not a valid regular expression` });
      }
    }
    if (s.issuer === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'keyless signatures need `issuer`: the OIDC issuer of the signer (https://token.actions.githubusercontent.com for GitHub Actions)' });
    if (s.trustedRoot === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'keyless signatures need `trustedRoot`: the Sigstore trusted root JSON to verify against offline' });
  }
  if (s.trustedRoot !== undefined) {
    const read = readTrustedRoot(s.trustedRoot);
    if ('problem' in read) ctx.addIssue({ code: 'custom', path: ['trustedRoot'], message: read.problem });
  }
}).transform((s): SignaturePolicy => {
  if (s.key !== undefined) {
    const read = readPublicKey(s.key);
    return { kind: 'key', publicKeyPem: 'pem' in read ? read.pem : '', trustedRoot: trustedRootOf(s.trustedRoot) };
  }
  const identity = s.identityRegexp !== undefined ? { regexp: s.identityRegexp } : { exact: s.identity ?? '' };
  return { kind: 'keyless', identity, issuer: s.issuer ?? '', trustedRoot: trustedRootOf(s.trustedRoot) ?? {} };
});

function trustedRootOf(path: string | undefined): unknown {
  if (path === undefined) return undefined;
  const read = readTrustedRoot(path);
  return 'json' in read ? read.json : undefined;
}

/** A service's signature policy, files already read: the PEM key, the trusted root's JSON. */
export type SignaturePolicy =
  | { kind: 'key'; publicKeyPem: string; trustedRoot?: unknown }
  | { kind: 'keyless'; identity: { exact: string } | { regexp: string }; issuer: string; trustedRoot: unknown };
