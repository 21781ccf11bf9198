import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedBackend, readOpaBundle, readPolicies } from '../../src/policy/index.ts';
import type { PolicyInput } from '../../src/policy/index.ts';
import { makeTarGz } from './make-tar-gz.ts';

const dir = mkdtempSync(join(tmpdir(), 'deckhand-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function bundleFile(files: Record<string, string>): string {
  const path = join(dir, `b${n++}.tar.gz`);
  writeFileSync(path, makeTarGz(files));
  return path;
}

const GATE = `package deckhand.deploy

decision := {"allow": input.requester.id in data.deckhand.config.deployers, "deny": [], "approvals": {"required": 0, "have": 0, "eligible": []}}
`;

const input = (id: string): PolicyInput => ({
  action: 'deploy', request: { service: 'api', env: 'production', dry_run: false }, requester: { id, name: id, groups: [] },
  approvals: [], freezes: [], now: '2026-01-01T00:00:00Z',
});

describe('OPA bundles (.tar.gz)', () => {
  it('reads the manifest, the modules and each data file at its directory\'s path, and decides with them', async () => {
    const path = bundleFile({
      '/.manifest': JSON.stringify({ revision: 'r42', roots: ['deckhand'] }),
      '/deckhand/deploy/policy.rego': GATE,
      '/deckhand/config/data.json': JSON.stringify({ deployers: ['ana'] }),
      '/deckhand/extra/data.yaml': 'limits:\n  max: 3\n',
    });
    const bundle = await readPolicies(path);
    expect(bundle.revision).toBe('r42');
    expect(bundle.roots).toEqual(['deckhand']);
    expect(bundle.modules.map((m) => m.path)).toEqual([expect.stringMatching(/^b\d+\.tar\.gz\/deckhand\/deploy\/policy\.rego$/)]);
    expect(bundle.data).toEqual({ deckhand: { config: { deployers: ['ana'] }, extra: { limits: { max: 3 } } } });
    const backend = createEmbeddedBackend(bundle);
    await expect(backend.decide(input('ana'), { package: 'deploy', rule: 'decision' })).resolves.toMatchObject({ allow: true });
    await expect(backend.decide(input('eve'), { package: 'deploy', rule: 'decision' })).resolves.toMatchObject({ allow: false });
  });

  it('reads an archive made by tar itself (./-prefixed paths, directory entries)', async () => {
    const src = mkdtempSync(join(dir, 'src-'));
    cpSync('policies', src, { recursive: true, filter: (p) => !p.endsWith('_test.rego') });
    writeFileSync(join(src, '.manifest'), JSON.stringify({ revision: 'shipped-1', roots: ['deckhand'] }));
    // The shipped data.json holds the whole tree from the root (data.deckhand.config), as a bundle's root data file may.
    const out = join(dir, 'shipped.tar.gz');
    execFileSync('tar', ['czf', out, '-C', src, '.']);
    const bundle = await readOpaBundle(out);
    expect(bundle.revision).toBe('shipped-1');
    expect(bundle.modules.map((m) => m.path.split('/').pop()).sort()).toEqual(['actions.rego', 'deploy.rego', 'lib.rego', 'rollback.rego']);
    const backend = createEmbeddedBackend(bundle);
    const d = await backend.decide(input('stranger'), { package: 'deploy', rule: 'decision' });
    expect(d.allow).toBe(false);
  });

  it('takes every path when the manifest names no roots, and revision "" when it has none', async () => {
    const bundle = await readPolicies(bundleFile({ 'x.rego': 'package anything.at.all\np := 1\n', 'data.json': '{"a": {"b": 1}}' }));
    expect(bundle.roots).toEqual(['']);
    expect(bundle.revision).toBe('');
    expect(bundle.data).toEqual({ a: { b: 1 } });
  });

  it.each([
    ['a package outside the roots', { '/.manifest': '{"revision": "1", "roots": ["a", "b", "c/d"]}', '/a.rego': 'package b.c\n', '/x.rego': 'package c.e\n' },
      'manifest roots [a b c/d] do not permit \'package c.e\' in module \'/x.rego\''],
    ['data outside the roots', { '/.manifest': '{"revision": "1", "roots": ["a", "b", "c/d"]}', '/data.json': '{"a": 1}', '/c/e/data.json': '"bad bad bad"' },
      'manifest roots [a b c/d] do not permit data at path \'/c/e\' (hint: check bundle directory structure)'],
    ['root data reaching outside the roots', { '/.manifest': '{"revision": "1", "roots": ["deckhand"]}', '/data.json': '{"deckhand": {}, "other": 1}' },
      'manifest roots [deckhand] do not permit data at path \'/other\''],
    ['roots that overlap', { '/.manifest': '{"revision": "1", "roots": ["a/b", "a"]}' }, 'manifest has overlapped roots: \'a/b\' and \'a\''],
    ['a .manifest that is not JSON', { '/.manifest': '{"revision": ' }, 'bundle load failed on manifest decode:'],
    ['a .manifest whose roots are not a list', { '/.manifest': '{"revision": "1", "roots": "deckhand"}' }, 'bundle load failed on manifest decode: roots:'],
    ['a .manifest whose revision is not a string', { '/.manifest': '{"revision": 7}' }, 'bundle load failed on manifest decode: revision:'],
    ['Rego v0 modules', { '/.manifest': '{"revision": "1", "rego_version": 0}' }, 'rego_version 0'],
    ['a path that climbs out', { '../evil.rego': 'package evil\n' }, 'climbs out of the bundle'],
    ['a delta bundle', { '/.manifest': '{"revision": "1"}', '/patch.json': '{"data": []}' }, 'delta bundle'],
    ['a data file that is not JSON', { '/data.json': '{nope' }, 'bundle load failed on /data.json'],
  ])('refuses %s, as OPA does', async (_what, files, message) => {
    const err = await readPolicies(bundleFile(files)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'policy_error' });
    expect(err instanceof Error ? err.message : '').toContain(message);
  });

  it('refuses a file that is not a gzip tar archive, and one that is cut short', async () => {
    const notGzip = join(dir, 'plain.tar.gz');
    writeFileSync(notGzip, 'package x');
    await expect(readPolicies(notGzip)).rejects.toThrow(/not a gzip-compressed tar archive/);
    const whole = makeTarGz({ 'a.rego': 'package a\n'.repeat(200) });
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const cut = join(dir, 'cut.tar.gz');
    writeFileSync(cut, gzipSync(gunzipSync(whole).subarray(0, 700)));
    await expect(readPolicies(cut)).rejects.toThrow(/cut short/);
  });

  it('says what is missing when there is no folder or bundle at the path', async () => {
    await expect(readPolicies(join(dir, 'nothing-here'))).rejects.toThrow(/There is no policy folder or bundle at/);
    await expect(readPolicies(join(dir, 'nothing.tar.gz'))).rejects.toThrow(/cannot be read/);
  });
});
