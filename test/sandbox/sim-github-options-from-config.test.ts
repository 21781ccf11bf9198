import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { simGitHubOptionsFromConfig } from '../../src/sandbox/sim-github-options-from-config.ts';

describe('simGitHubOptionsFromConfig', () => {
  it('seeds the example deckhand.yaml: built versions in the registry, unbuilt tags to build, one failing build', async () => {
    const r = await loadConfig({ path: 'deckhand.yaml', env: {} });
    if (!r.ok) throw new Error('example config does not load');

    const o = simGitHubOptionsFromConfig(r.config);

    expect(o.buildDelayMs).toBe(3000);
    expect(o.repos?.map((repo) => [repo.fullName, repo.built, repo.failing])).toEqual([
      ['acme/api', ['v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.5.1', 'v1.5.2'], ['v1.6.0']],
      ['acme/web', ['v1.9.0', 'v2.0.0', 'v2.1.0', 'v2.1.1', 'v2.2.0-rc.1', 'v2.2.0'], []],
      ['acme/worker', ['2.2.0', '2.3.0', '2.4.0'], []],
      ['acme/search', ['v4.0.0', 'v4.1.0', 'v4.2.0'], []],
      ['acme/catalog', ['v1.0.0', 'v1.1.0', 'v1.2.0'], []],
      // catalog's GitOps environment: the config repository Argo CD syncs, with its example apps.
      ['acme/deploy-config', [], undefined],
    ]);
    const config = o.repos?.find((repo) => repo.fullName === 'acme/deploy-config');
    expect(Object.keys(config?.files ?? {})).toContain('apps/catalog/production/kustomization.yaml');
    const apiTags = o.repos?.[0]?.history.flatMap((h) => (h.kind === 'tag' ? [h.name] : []));
    expect(apiTags).toEqual(expect.arrayContaining(['v1.5.3', 'v1.6.0']));
  });

  it('signs what the sandbox registry pushes with the test key, except the unsigned versions; the wrongly signed ones with another key', async () => {
    const r = await loadConfig({ path: 'deckhand.yaml', env: {} });
    if (!r.ok) throw new Error('example config does not load');
    const key = createPublicKey(readFileSync('examples/keys/sandbox-cosign.pub', 'utf8'));
    const sign = simGitHubOptionsFromConfig(r.config).signer;
    const digest = `sha256:${'c'.repeat(64)}`;
    const verifies = (tag: string) => (sign?.({ repository: 'acme/api', tag, digest }) ?? []).map((s) => {
      expect(JSON.parse(s.payload)).toMatchObject({ critical: { identity: { 'docker-reference': 'registry.local/acme/api' }, image: { 'docker-manifest-digest': digest } } });
      return verify('sha256', Buffer.from(s.payload), key, Buffer.from(s.signature, 'base64'));
    });

    expect(verifies('v1.5.0')).toEqual([true]);
    expect(verifies('v1.5.3')).toEqual([true]);
    expect(verifies('v1.5.2')).toEqual([]);
    expect(verifies('v1.5.1')).toEqual([false]);
  });
});
