import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyInput } from '../../src/policy/index.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';
import { makeKeyPair } from '../artifacts/fake-sigstore.ts';

/**
 * "The same artifact" in environment order is the same digest when the records pin one (services with a signature
 * policy): a tag pushed again after staging ran it is a different artifact, and production refuses it until staging
 * has run that one too. Real redis, the simulated cluster, GitHub and registry over HTTP.
 */
const dir = mkdtempSync(join(tmpdir(), 'deckhand-order-'));
const keys = makeKeyPair();
writeFileSync(join(dir, 'cosign.pub'), keys.publicKeyPem);
writeFileSync(join(dir, 'cosign.key'), keys.privateKeyPem);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    signature: { key: ${join(dir, 'cosign.pub')} }
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 5 }
      production:
        { namespace: production, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 5,
          requires: { after: staging } }
people: { alice: {}, bob: {}, carol: {} }
groups: { payments: [alice], approvers: [bob], oncall: [carol] }
sandbox:
  readyDelayMs: 40
  signingKey: ${join(dir, 'cosign.key')}
  services:
    api: { running: v1.4.0, versions: [v1.4.0, v1.5.0] }
`;

describe('environment order by digest', () => {
  let world: World;
  beforeAll(async () => { world = await startWorld({ github: true, config: worldConfig(CONFIG) }); });
  afterAll(async () => { await world.stop(); });

  const lastPromotion = async (): Promise<PolicyInput['promotion']> => {
    const inputs = (await world.app.audit.latest(500)).flatMap((e) => (e.kind === 'decision' ? [e.input as PolicyInput] : []));
    return inputs.find((i) => i.request.env === 'production' && i.action === 'deploy')?.promotion;
  };

  it('given v1.5.0 succeeded in staging, when its tag is pushed again, then production refuses the new image until staging runs it', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    const staged = await world.waitForPhase('1', ['succeeded', 'failed', 'denied'], 30_000);
    expect(staged.phase, staged.summary).toBe('succeeded');
    const first = staged.artifact?.digest;
    expect(first).toMatch(/^sha256:/);

    // The same digest: production takes it (and waits for its approval).
    expect(await world.say('/deploy api v1.5.0 to production --dry-run')).toContain('would need 1 approval(s)');
    expect(await lastPromotion()).toMatchObject({ ran: true, satisfied: true, matched_by: 'digest', deploy_id: '1' });

    const moved = world.github?.state.registry.moveTag('acme/api', 'v1.5.0');
    expect(moved).not.toBe(first);

    const refused = await world.say('/deploy api v1.5.0 to production');
    expect(refused).toContain('api v1.5.0 has not succeeded in staging yet, and production takes only what ran there first. Deploy it there first: /deploy api v1.5.0 to staging');
    expect(await lastPromotion()).toMatchObject({ ran: false, matched_by: null });

    await world.say('/deploy api v1.5.0 to staging');
    const again = await world.waitForPhase('2', ['succeeded', 'failed', 'denied'], 30_000);
    expect(again.phase, again.summary).toBe('succeeded');
    expect(again.artifact?.digest).toBe(moved);
    expect(await world.say('/deploy api v1.5.0 to production')).toMatch(/Deploy #3: .* needs 1 approval\(s\)/);
    expect(await lastPromotion()).toMatchObject({ ran: true, matched_by: 'digest', deploy_id: '2' });
  });
});
