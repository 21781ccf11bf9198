import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PolicyInput } from '../../src/policy/index.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';

/**
 * Version order through the console chat, the shipped policies, the simulated cluster and a real Redis: a downgrade
 * outside /rollback needs a reason and an approval, a pre-release stays out of production, and /rollback is the
 * way back without either.
 */
const CONFIG = worldConfig(`
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+(-rc\\.\\d+)?$'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 3 }
      production: { namespace: production, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 3 }
people:
  alice: {}
  bob: {}
  carol: {}
groups:
  payments: [alice]
  oncall: [carol]
  approvers: [bob, carol, alice]
sandbox:
  readyDelayMs: 40
  services:
    api: { running: v1.4.0, versions: [v1.3.0, v1.4.0, v1.5.0, v1.6.0-rc.1] }
`);

const imageOf = async (w: World, env: string): Promise<string | undefined> => (await w.app.kube.readDeployment(env, 'api')).images.api;

/** The policy input of the newest decision the audit log holds for `deployId` (or for any deploy or request). */
async function lastDecisionInput(w: World, deployId?: string): Promise<PolicyInput> {
  const entries = await w.app.audit.latest(500);
  const decisions = entries.filter((e) => e.kind === 'decision' && (deployId === undefined || e.deployId === deployId));
  const last = decisions[0];
  if (!last || last.kind !== 'decision') throw new Error('no decision recorded');
  return last.input as PolicyInput;
}

describe('version order (SemVer) through the console chat', () => {
  let world: World;
  beforeEach(async () => {
    expect(CONFIG.services.api?.versionPattern).toContain('-rc');
    world = await startWorld({ config: CONFIG });
  });
  afterEach(async () => { await world.stop(); });

  it('given v1.4.0 running, a downgrade to v1.3.0 is refused without a reason, and with one waits for an approval and then rolls out', async () => {
    const dry = await world.say('/deploy api v1.3.0 to staging --dry-run');
    expect(dry).toContain('would be refused');
    expect(dry).toContain('v1.4.0 → v1.3.0 is a downgrade of api in staging');

    const refused = await world.say('/deploy api v1.3.0 to staging');

    expect(refused).toContain('🚫 Not allowed: api v1.3.0 to staging');
    expect(refused).toContain('v1.4.0 → v1.3.0 is a downgrade of api in staging. To go back on purpose, say why with --reason "…" (it then needs 1 approval(s)), or roll back: /rollback api staging to v1.3.0');
    expect(await world.app.deploys.list({ service: 'api', env: 'staging' })).toEqual([]);
    expect((await lastDecisionInput(world)).versions).toEqual({ running: 'v1.4.0', requested: 'v1.3.0', comparison: 'downgrade', prerelease: false });

    const asked = await world.say('/deploy api v1.3.0 to staging --reason "v1.4.0 drops orders"');

    // Staging needs no approval for an upgrade; a downgrade needs one, and says so plainly.
    expect(asked).toContain('Deploy #1: api v1.3.0 to staging (rolling) needs 1 approval(s) from approvers');
    expect(asked).toContain('⚠️ v1.4.0 → v1.3.0 is a downgrade');
    await world.waitForPhase('1', 'awaiting_approval');
    await world.app.cards.flush();
    expect(world.output().slice(world.output().indexOf('[#1 '))).toContain('⚠️ v1.4.0 → v1.3.0 is a downgrade');
    expect(await world.say('/approve 1')).toContain('four-eyes');

    expect(await world.say('@bob /approve 1')).toContain('Approved deploy #1');

    expect((await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'])).phase).toBe('succeeded');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.3.0');
  });

  it('an upgrade and a redeploy of what runs need nothing more, and the input says which they are', async () => {
    expect(await world.say('/deploy api v1.5.0 to staging')).toContain('is queued');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect((await lastDecisionInput(world, '1')).versions).toMatchObject({ running: 'v1.4.0', requested: 'v1.5.0', comparison: 'upgrade' });

    expect(await world.say('/deploy api v1.5.0 to staging')).toContain('is queued');
    expect((await world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect((await lastDecisionInput(world, '2')).versions).toMatchObject({ running: 'v1.5.0', requested: 'v1.5.0', comparison: 'same' });
  });

  it('a pre-release is refused in production, even as a hotfix with approvers at hand, and goes to staging', async () => {
    const refused = await world.say('/deploy api v1.6.0-rc.1 to production --reason "customer demo"');

    expect(refused).toContain('v1.6.0-rc.1 is a pre-release, and pre-releases are kept out of production. Try it in staging; production takes a release (a version without a -suffix).');
    expect(await world.app.deploys.list({ service: 'api', env: 'production' })).toEqual([]);
    expect(await imageOf(world, 'production')).toBe('registry.local/acme/api:v1.4.0');

    expect(await world.say('/deploy api v1.6.0-rc.1 to staging')).toContain('is queued');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect((await lastDecisionInput(world, '1')).versions).toMatchObject({ comparison: 'prerelease', prerelease: true });
  });

  it('/rollback is the way back: no reason, no approval, however far back it goes', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');

    expect(await world.say('/rollback api staging')).toContain('is queued');
    expect((await world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.4.0');

    const further = await world.say('/rollback api staging to v1.3.0');

    expect(further).toContain('is queued');
    expect((await world.waitForPhase('3', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect(await imageOf(world, 'staging')).toBe('registry.local/acme/api:v1.3.0');
    // The policy saw it for what it is, a version older than the running one, and let the rollback through.
    expect((await lastDecisionInput(world, '3')).versions).toMatchObject({ running: 'v1.4.0', requested: 'v1.3.0', comparison: 'downgrade' });
    expect((await world.app.deploys.get('3'))?.approvals).toEqual([]);
    await world.app.cards.flush();
    expect(world.output().slice(world.output().indexOf('[#3 '))).not.toContain('is a downgrade');
  });
});
