import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/deploy/index.ts';
import { renderCard } from '../../src/notify/index.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';
import { makeFakeSigstore, makeKeyPair, type FakeSigstore } from './fake-sigstore.ts';

/**
 * Signed images end to end: the sandbox's registry (over HTTP) signs what it pushes with a test key as a CI would,
 * Deckhand resolves each tag to its digest, reads cosign's `.sig` manifest, verifies with @sigstore/verify, and the
 * shipped policy decides; the deploy pins the digest it judged. Real redis, the simulated cluster and GitHub.
 */
const IDENTITY = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

const dir = mkdtempSync(join(tmpdir(), 'deckhand-signatures-'));
const keys = makeKeyPair();
writeFileSync(join(dir, 'cosign.pub'), keys.publicKeyPem);
writeFileSync(join(dir, 'cosign.key'), keys.privateKeyPem);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configText(signature: string): string {
  return `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    build: { workflow: build.yml }
    signature: ${signature}
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 5 }
      production: { namespace: production, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 5 }
people: { alice: {}, bob: {}, carol: {} }
groups: { payments: [alice], approvers: [bob], oncall: [carol] }
approvals: { expireAfter: 60s }
github: { builds: { pollInterval: 200ms, maxPollInterval: 1s } }
sandbox:
  readyDelayMs: 60
  buildDelayMs: 300
  signingKey: ${join(dir, 'cosign.key')}
  services:
    api:
      running: v1.4.0
      versions: [v1.4.0, v1.5.0, v1.5.1, v1.5.2]
      unsigned: [v1.5.1, v1.6.0]
      wronglySigned: [v1.5.2]
      unbuilt: [v1.5.3, v1.6.0]
`;
}

const digestOf = (world: World, tag: string): string => world.github?.state.registry.digestOf('acme/api', tag) ?? 'none';
const imageLine = (d: Deploy): string | undefined => renderCard(d).lines.map((l) => l.toString()).find((l) => l.startsWith('Image '));
const imageIn = async (world: World, env: string): Promise<string | undefined> => (await world.app.kube.readDeployment(env, 'api')).images.api;

describe('key-based signatures (cosign public key per service)', () => {
  let world: World;
  beforeAll(async () => { world = await startWorld({ github: true, config: worldConfig(configText(`{ key: ${join(dir, 'cosign.pub')} }`)) }); });
  afterAll(async () => { await world.stop(); });

  it('given a signed image, production takes it after approval, rolls out the digest and the card shows digest and signer', async () => {
    const asked = await world.say('/deploy api v1.5.0 to production');
    expect(asked).toContain('needs 1 approval');
    await world.say('@bob /approve 1');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase, d.summary).toBe('succeeded');
    const digest = digestOf(world, 'v1.5.0');
    expect(d.artifact?.digest).toBe(digest);
    expect(d.artifact?.signer?.identity).toMatch(/^key SHA256:/);
    expect(await imageIn(world, 'production')).toBe(`registry.local/acme/api:v1.5.0@${digest}`);
    expect(imageLine(d)).toMatch(new RegExp(`^Image ${digest.slice(0, 19)} · signed by key SHA256:`));
  });

  it('given an unsigned image, production refuses it with the service, version and reason', async () => {
    const reply = await world.say('/deploy api v1.5.1 to production');

    expect(reply).toContain('Not allowed');
    expect(reply).toContain(`api v1.5.1 cannot go to production: its image ${digestOf(world, 'v1.5.1').slice(0, 19)} is not validly signed: no cosign signature or Sigstore bundle is attached to it (nothing at registry.local/acme/api:sha256-`);
    expect(await imageIn(world, 'production')).not.toContain('v1.5.1');
  });

  it('given an image signed with another key, production refuses it, and a hotfix reason does not change that', async () => {
    const reply = await world.say('/deploy api v1.5.2 to production --reason "payments are down"');

    expect(reply).toContain('Not allowed');
    expect(reply).toMatch(/api v1\.5\.2 cannot go to production: its image sha256:[0-9a-f]{12} is not validly signed: its signature does not verify with the configured key SHA256:/);
    expect(reply).toContain('with or without --reason');
  });

  it('given an unsigned image, staging still takes it, pinned by digest and shown without a valid signature', async () => {
    await world.say('/deploy api v1.5.1 to staging');
    const id = (await world.app.deploys.list({ service: 'api', env: 'staging', limit: 1 }))[0]?.id ?? '';

    const d = await world.waitForPhase(id, ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.artifact).toEqual({ digest: digestOf(world, 'v1.5.1') });
    expect(imageLine(d)).toBe(`Image ${digestOf(world, 'v1.5.1').slice(0, 19)} · no valid signature`);
  });
});

describe('the digest is pinned when the request is recorded', () => {
  let world: World;
  afterEach(async () => { await world.stop(); });

  it('given a tag moved to an unsigned image after approval, the approved digest is what rolls out', async () => {
    world = await startWorld({ github: true, config: worldConfig(configText(`{ key: ${join(dir, 'cosign.pub')} }`)) });
    await world.say('/deploy api v1.5.0 to production');
    const approved = digestOf(world, 'v1.5.0');
    const registry = world.github?.state.registry;
    const moved = registry?.moveTag('acme/api', 'v1.5.0') ?? '';
    registry?.removeSignatures('acme/api', moved);
    expect(moved).not.toBe(approved);

    await world.say('@bob /approve 1');
    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.artifact?.digest).toBe(approved);
    expect(await imageIn(world, 'production')).toBe(`registry.local/acme/api:v1.5.0@${approved}`);
  });

  it('given a version built after the request, its fresh digest is verified and pinned at the gate before the rollout', async () => {
    world = await startWorld({ github: true, config: worldConfig(configText(`{ key: ${join(dir, 'cosign.pub')} }`)) });
    await world.say('/deploy api v1.5.3 to production');
    await world.say('@bob /approve 1');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase, d.summary).toBe('succeeded');
    expect(world.github?.runsOf('acme/api').some((r) => r.conclusion === 'success')).toBe(true);
    expect(d.artifact?.digest).toBe(digestOf(world, 'v1.5.3'));
    expect(d.artifact?.signer?.identity).toMatch(/^key SHA256:/);
    expect(await imageIn(world, 'production')).toBe(`registry.local/acme/api:v1.5.3@${digestOf(world, 'v1.5.3')}`);
  });

  it('given a version whose build pushes it unsigned, the gate after the build stops it before the rollout', async () => {
    world = await startWorld({ github: true, config: worldConfig(configText(`{ key: ${join(dir, 'cosign.pub')} }`).replace('unbuilt: [v1.5.3, v1.6.0]', 'unbuilt: [v1.5.3, v1.6.0]\n      failingBuilds: []')) });
    await world.say('/deploy api v1.6.0 to production');
    await world.say('@bob /approve 1');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase).toBe('denied');
    expect(d.summary).toContain('api v1.6.0 cannot go to production');
    expect(d.summary).toContain('no cosign signature or Sigstore bundle is attached to it');
    expect(await imageIn(world, 'production')).toBe('registry.local/acme/api:v1.4.0');
  });
});

describe('a registry that cannot be read', () => {
  let world: World;
  afterEach(async () => { await world.stop(); });

  it('given the registry unreachable, the gate before the rollout fails closed and says why; nothing rolls out', async () => {
    // No GitHub (no build stage): the request's gate is the last one, and the registry is a port nobody listens on.
    const text = configText(`{ key: ${join(dir, 'cosign.pub')} }`).replace('image: registry.local/acme/api', 'image: 127.0.0.1:9/acme/api');
    world = await startWorld({ config: worldConfig(text) });
    const before = await imageIn(world, 'staging');

    await world.say('/deploy api v1.5.0 to staging');
    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase).toBe('failed');
    expect(d.summary).toMatch(/^Stopped before the rollout, nothing was changed in the cluster: its image could not be verified \(the digest of 127\.0\.0\.1:9\/acme\/api:v1\.5\.0 could not be read: Deckhand could not reach the image registry 127\.0\.0\.1:9\.\)\.$/);
    expect(d.artifact).toBeUndefined();
    expect(await imageIn(world, 'staging')).toBe(before);
  });
});

describe('keyless signatures (certificate identity + OIDC issuer), offline against the configured trusted root', () => {
  let world: World;
  let sigstore: FakeSigstore;
  beforeAll(async () => {
    sigstore = await makeFakeSigstore();
    writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    world = await startWorld({ github: true, config: worldConfig(configText(`{ identity: '${IDENTITY}', issuer: '${ISSUER}', trustedRoot: ${join(dir, 'trusted_root.json')} }`)) });
    const registry = world.github?.state.registry;
    for (const [tag, identity] of [['v1.5.0', IDENTITY], ['v1.5.1', 'mallory@example.com']] as const) {
      const digest = digestOf(world, tag);
      registry?.attachSignatures('acme/api', digest, [await sigstore.signKeyless({ identity, issuer: ISSUER, dockerReference: 'registry.local/acme/api', digest })]);
    }
  });
  afterAll(async () => { await world.stop(); });

  it('given the expected identity and issuer, production takes it and the record names them', async () => {
    await world.say('/deploy api v1.5.0 to production');
    await world.say('@bob /approve 1');

    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.artifact).toEqual({ digest: digestOf(world, 'v1.5.0'), signer: { identity: IDENTITY, issuer: ISSUER } });
    expect(imageLine(d)).toContain(`signed by ${IDENTITY} (${ISSUER})`);
  });

  it('given a Sigstore bundle attached as a referrer (cosign v3), production takes it beside a .sig that does not count', async () => {
    const digest = digestOf(world, 'v1.5.2');
    world.github?.state.registry.attachBundle('acme/api', digest, await sigstore.bundleKeyless({ identity: IDENTITY, issuer: ISSUER, dockerReference: 'registry.local/acme/api', digest }));
    await world.say('/deploy api v1.5.2 to production');
    const id = (await world.app.deploys.list({ service: 'api', env: 'production', limit: 1 }))[0]?.id ?? '';
    await world.say(`@bob /approve ${id}`);

    const d = await world.waitForPhase(id, ['succeeded', 'failed', 'denied', 'rolled_back'], 30_000);

    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.artifact).toEqual({ digest, signer: { identity: IDENTITY, issuer: ISSUER } });
    expect(await imageIn(world, 'production')).toBe(`registry.local/acme/api:v1.5.2@${digest}`);
  });

  it('given another identity, production refuses it and says who did sign', async () => {
    const reply = await world.say('/deploy api v1.5.1 to production');

    expect(reply).toContain(`it was signed by mallory@example.com via ${ISSUER}, not ${IDENTITY} via ${ISSUER}`);
  });

  it('given a key-based signature only (the sandbox key), keyless production refuses it', async () => {
    const reply = await world.say('/deploy api v1.4.0 to production');

    expect(reply).toContain(`it is signed with a key, and ${IDENTITY} via ${ISSUER} (keyless) is expected`);
  });
});
