import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistryClient, fetchCosignSignatures, fetchSigstoreBundles, signatureTagOf } from '../../src/build/index.ts';
import { signImageWithKey, startSimGitHub, type RegistryAuth, type SimGitHub } from '@deckhand/sim/github';
import { bundleWithKey, makeKeyPair } from './fake-sigstore.ts';

/** The OCI reads signature verification needs, over HTTP against the simulated registry: digests, cosign's `.sig`, blobs. */
describe('digests and cosign signatures from the registry', () => {
  let sim: SimGitHub;
  afterEach(async () => { await sim.close(); });
  const key = makeKeyPair();
  const signer = ({ tag, digest }: { tag: string; digest: string }) => (tag === 'v1.5.1' ? [] : [signImageWithKey(key.privateKeyPem, { dockerReference: 'registry.local/acme/api', digest })]);

  it.each<[string, RegistryAuth]>([
    ['no auth', { kind: 'none' }],
    ['the bearer token flow', { kind: 'bearer', username: 'deckhand', password: 'pw' }],
  ])('resolves a tag to the digest of the manifest bytes served, with %s', async (_what, registryAuth) => {
    sim = await startSimGitHub({ registryAuth, signer });
    const registry = createRegistryClient({ endpointFor: () => sim.url, credentials: { username: 'deckhand', password: 'pw' } });

    const head = await registry.headManifest('registry.local/acme/api', 'v1.5.0');
    const manifest = await registry.getManifest('registry.local/acme/api', 'v1.5.0');

    expect(head?.digest).toBe(sim.state.registry.digestOf('acme/api', 'v1.5.0'));
    expect(manifest?.digest).toBe(head?.digest);
    expect(`sha256:${createHash('sha256').update(manifest?.bytes ?? '').digest('hex')}`).toBe(head?.digest);
    expect(await registry.headManifest('registry.local/acme/api', 'v1.5.3')).toBeUndefined();
  });

  it('reads cosign signatures at sha256-<hex>.sig: the signed payload blob and the signature annotation', async () => {
    sim = await startSimGitHub({ registryAuth: { kind: 'bearer', username: 'deckhand', password: 'pw' }, signer });
    const registry = createRegistryClient({ endpointFor: () => sim.url, credentials: { username: 'deckhand', password: 'pw' } });
    const digest = sim.state.registry.digestOf('acme/api', 'v1.5.0') ?? '';

    const found = await fetchCosignSignatures(registry, 'registry.local/acme/api', digest);

    expect(found.tag).toBe(`sha256-${digest.slice(7)}.sig`);
    expect(found.layers).toHaveLength(1);
    expect(JSON.parse(Buffer.from(found.layers[0]?.payload ?? '').toString('utf8')).critical.image['docker-manifest-digest']).toBe(digest);
    expect(found.layers[0]?.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(sim.requests.filter((r) => r.path.startsWith('/v2/acme/api/blobs/sha256:')).map((r) => r.status)).toEqual([200]);
  });

  it('finds no signature for an image pushed unsigned', async () => {
    sim = await startSimGitHub({ signer });
    const registry = createRegistryClient({ endpointFor: () => sim.url });
    const digest = sim.state.registry.digestOf('acme/api', 'v1.5.1') ?? '';

    expect(await fetchCosignSignatures(registry, 'registry.local/acme/api', digest)).toEqual({ tag: signatureTagOf(digest), layers: [] });
  });

  it('given a tag moved to a new image, the tag resolves to the new digest and the old one stays readable by digest', async () => {
    sim = await startSimGitHub({ signer });
    const registry = createRegistryClient({ endpointFor: () => sim.url });
    const before = sim.state.registry.digestOf('acme/api', 'v1.5.0') ?? '';

    const after = sim.state.registry.moveTag('acme/api', 'v1.5.0');

    expect(after).not.toBe(before);
    expect((await registry.headManifest('registry.local/acme/api', 'v1.5.0'))?.digest).toBe(after);
    expect((await registry.getManifest('registry.local/acme/api', before))?.digest).toBe(before);
  });

  it.each([
    ['the referrers API', true, /^\/v2\/acme\/api\/referrers\/sha256:[0-9a-f]{64}$/],
    ['the referrers tag, on a registry without that API', false, /^\/v2\/acme\/api\/manifests\/sha256-[0-9a-f]{64}$/],
  ] as const)('finds Sigstore bundles attached to a digest through %s', async (_how, referrersApi, listedAt) => {
    sim = await startSimGitHub({ signer, referrersApi });
    const registry = createRegistryClient({ endpointFor: () => sim.url });
    const digest = sim.state.registry.digestOf('acme/api', 'v1.5.0') ?? '';
    const bundle = bundleWithKey(key.privateKeyPem, { dockerReference: 'registry.local/acme/api', digest });
    sim.state.registry.attachBundle('acme/api', digest, bundle);

    const found = await fetchSigstoreBundles(registry, 'registry.local/acme/api', digest);

    expect(found.bundles).toEqual([bundle]);
    expect(sim.requests.filter((r) => r.status === 200).map((r) => r.path)).toContainEqual(expect.stringMatching(listedAt));
    expect(await fetchSigstoreBundles(registry, 'registry.local/acme/api', sim.state.registry.digestOf('acme/api', 'v1.4.0') ?? '')).toMatchObject({ bundles: [] });
  });

  it('refuses a manifest whose bytes do not match the digest asked for', async () => {
    sim = await startSimGitHub({ signer });
    const lying = createRegistryClient({
      endpointFor: () => sim.url,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!String(url).includes('/manifests/')) return res;
        return new Response(`${await res.text()} `, { status: res.status, headers: res.headers });
      },
    });
    const digest = sim.state.registry.digestOf('acme/api', 'v1.5.0') ?? '';

    await expect(lying.getManifest('registry.local/acme/api', digest)).rejects.toMatchObject({ code: 'registry_error' });
  });
});
