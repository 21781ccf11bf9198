import { afterEach, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/build/index.ts';
import { isDeckhandError } from '../../src/errors.ts';
import { startSimGitHub, type RegistryAuth, type SimGitHub } from '@deckhand/sim/github';

describe('imageExists over the OCI distribution API', () => {
  let sim: SimGitHub;
  afterEach(async () => { await sim.close(); });

  const start = async (registryAuth: RegistryAuth) => { sim = await startSimGitHub({ registryAuth }); };
  const manifestHeads = () => sim.requests.filter((r) => r.method === 'HEAD' && r.path.includes('/manifests/'));

  it.each<[string, RegistryAuth]>([
    ['no auth', { kind: 'none' }],
    ['basic auth', { kind: 'basic', username: 'deckhand', password: 'pw' }],
    ['the bearer token flow', { kind: 'bearer', username: 'deckhand', password: 'pw' }],
  ])('answers true for a built tag and false for a missing one, with %s', async (_what, auth) => {
    await start(auth);
    const images = createImageChecker({ endpointFor: () => sim.url, credentials: { username: 'deckhand', password: 'pw' } });

    expect(await images.imageExists('registry.local/acme/api', 'v1.5.0')).toBe(true);
    expect(await images.imageExists('registry.local/acme/api', 'v1.5.3')).toBe(false);
    expect(manifestHeads().at(-1)?.path).toBe('/v2/acme/api/manifests/v1.5.3');
  });

  it('reuses a bearer token instead of fetching one per check', async () => {
    await start({ kind: 'bearer', username: 'deckhand', password: 'pw' });
    const images = createImageChecker({ endpointFor: () => sim.url, credentials: { username: 'deckhand', password: 'pw' } });
    await images.imageExists('registry.local/acme/api', 'v1.5.0');
    await images.imageExists('registry.local/acme/api', 'v1.4.0');
    expect(sim.requests.filter((r) => r.path === '/token')).toHaveLength(1);
  });

  it('says to check the credentials when the registry refuses them, without echoing them', async () => {
    await start({ kind: 'basic', username: 'deckhand', password: 'pw' });
    const images = createImageChecker({ endpointFor: () => sim.url, credentials: { username: 'deckhand', password: 'wrong-secret' } });
    const err = await images.imageExists('registry.local/acme/api', 'v1.5.0').catch((e: unknown) => e);
    expect(isDeckhandError(err, 'registry_error') && err.userMessage).toBe('The image registry registry.local answered 401 for acme/api:v1.5.0. Check the registry credentials (REGISTRY_USERNAME / REGISTRY_PASSWORD).');
    expect(String(isDeckhandError(err) && err.userMessage)).not.toContain('wrong-secret');
  });
});
