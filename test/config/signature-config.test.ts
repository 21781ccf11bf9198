import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.ts';
import { makeKeyPair } from '../artifacts/fake-sigstore.ts';

/** `services.<name>.signature` in deckhand.yaml: key-based or keyless, every problem named by service and field. */
const dir = mkdtempSync(join(tmpdir(), 'deckhand-signature-config-'));
const { publicKeyPem } = makeKeyPair();
writeFileSync(join(dir, 'cosign.pub'), publicKeyPem);
writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }));
writeFileSync(join(dir, 'not-a-root.json'), '{"hello": 1}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configWith(signature: string): string {
  return `services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+$'
    signature: ${signature}
    environments: { staging: { namespace: s, deployment: api, container: api, replicas: 1 } }
groups: { payments: [you] }
people: { you: {} }
`;
}

function load(signature: string, file = join(dir, 'deckhand.yaml')) {
  return loadConfigText(configWith(signature), file, {});
}

function problems(signature: string): string[] {
  const r = load(signature);
  return r.ok ? [] : r.problems.map((p) => `${p.line}:${p.col} ${p.message}`);
}

describe('signature policies in deckhand.yaml', () => {
  it('reads a key file relative to the config file, and an inline PEM key', () => {
    const fromFile = load('{ key: cosign.pub }');
    const inline = load(`\n      key: |\n${publicKeyPem.trim().split('\n').map((l) => `        ${l}`).join('\n')}`);

    expect(fromFile.ok && fromFile.config.services.api?.signature).toEqual({ kind: 'key', publicKeyPem, trustedRoot: undefined });
    expect(inline.ok && inline.config.services.api?.signature).toMatchObject({ kind: 'key', publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });
  });

  it('reads a keyless policy: exact identity or a pattern, the issuer and the trusted root', () => {
    const exact = load('{ identity: ci@acme.dev, issuer: https://accounts.google.com, trustedRoot: trusted_root.json }');
    const pattern = load(`{ identityRegexp: 'https://github\\.com/acme/.*', issuer: https://token.actions.githubusercontent.com, trustedRoot: trusted_root.json }`);

    expect(exact.ok && exact.config.services.api?.signature).toMatchObject({ kind: 'keyless', identity: { exact: 'ci@acme.dev' }, issuer: 'https://accounts.google.com', trustedRoot: { ctlogs: [] } });
    expect(pattern.ok && pattern.config.services.api?.signature).toMatchObject({ kind: 'keyless', identity: { regexp: 'https://github\\.com/acme/.*' } });
  });

  it.each<[string, string, RegExp]>([
    ['a missing key file', '{ key: nowhere.pub }', /^7:23 services\.api\.signature\.key: no key file at `nowhere\.pub`/],
    ['a file that is not a key', '{ key: not-a-root.json }', /^7:23 services\.api\.signature\.key: `not-a-root\.json` does not hold a PEM public key$/],
    ['a misspelt field', '{ kee: cosign.pub }', /services\.api\.signature: unknown key `kee`; did you mean `key`\?$/],
    ['keyless without a trusted root', '{ identity: ci@acme.dev, issuer: https://accounts.google.com }', /services\.api\.signature: keyless signatures need `trustedRoot`/],
    ['keyless without an issuer', '{ identity: ci@acme.dev, trustedRoot: trusted_root.json }', /services\.api\.signature: keyless signatures need `issuer`/],
    ['an issuer that is not a URL', '{ identity: ci@acme.dev, issuer: google, trustedRoot: trusted_root.json }', /services\.api\.signature\.issuer: must be the OIDC issuer URL/],
    ['a pattern that does not compile', "{ identityRegexp: 'a(', issuer: https://accounts.google.com, trustedRoot: trusted_root.json }", /services\.api\.signature\.identityRegexp: `a\(` is not a valid regular expression$/],
    ['a trusted root that is not one', '{ identity: ci@acme.dev, issuer: https://accounts.google.com, trustedRoot: not-a-root.json }', /services\.api\.signature\.trustedRoot: `not-a-root\.json` is not a Sigstore trusted root/],
    ['an identity that is neither an email nor a URI', '{ identity: acme/api, issuer: https://accounts.google.com, trustedRoot: trusted_root.json }', /services\.api\.signature\.identity: `acme\/api` is not a certificate identity: an email/],
    ['both kinds at once', '{ key: cosign.pub, identity: ci@acme.dev, issuer: https://accounts.google.com }', /services\.api\.signature\.key: a signature is either key-based \(`key`\) or keyless/],
  ])('reports %s at the field, naming the service', (_what, signature, expected) => {
    expect(problems(signature)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});
