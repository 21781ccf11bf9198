import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PolicyInput } from '../../src/policy/index.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';

/**
 * Environment order through the console chat, the shipped policies, the simulated cluster and a real Redis:
 * production takes only what succeeded in staging and ran there for 30 minutes, from Deckhand's own records.
 * Time is moved on by the clock Deckhand is given (the records' times are real; only "now" jumps).
 */
const CONFIG = worldConfig(`
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 3 }
      production:
        { namespace: production, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 3,
          requires: { after: staging, soak: 30m } }
people:
  alice: {}
  bob: {}
  carol: {}
groups:
  payments: [alice]
  oncall: [carol]
  approvers: [bob, carol]
sandbox:
  readyDelayMs: 40
  services:
    api: { running: v1.4.0, versions: [v1.3.0, v1.4.0, v1.5.0, v1.6.0] }
`);

const MINUTE = 60_000;

describe('environment order (production after staging, 30 minutes of soak) through the console chat', () => {
  let world: World;
  let skewMs = 0;
  beforeEach(async () => {
    skewMs = 0;
    world = await startWorld({ config: CONFIG, deckhand: { now: () => new Date(Date.now() + skewMs) } });
  });
  afterEach(async () => { await world.stop(); });

  const productionRecords = () => world.app.deploys.list({ service: 'api', env: 'production' });
  const imageIn = async (env: string) => (await world.app.kube.readDeployment(env, 'api')).images.api;
  /** What the policy was last told about the order, for a request in production (the audit log is newest first). */
  async function promotionSeen(): Promise<PolicyInput['promotion']> {
    const inputs = (await world.app.audit.latest(500)).flatMap((e) => (e.kind === 'decision' ? [e.input as PolicyInput] : []));
    const last = inputs.find((i) => i.request.env === 'production' && (i.action === 'deploy' || i.action === 'rollback'));
    if (!last) throw new Error('no decision about production recorded');
    return last.promotion;
  }

  it('refuses production until staging ran it, then until the soak is over, then lets it through to its approval', async () => {
    const first = await world.say('/deploy api v1.5.0 to production');

    expect(first).toContain('🚫 Not allowed');
    expect(first).toContain('api v1.5.0 has not succeeded in staging yet, and production takes only what ran there first. Deploy it there first: /deploy api v1.5.0 to staging');
    expect(await productionRecords()).toEqual([]);
    expect(await promotionSeen()).toMatchObject({ after: 'staging', needed_seconds: 1800, ran: false, satisfied: false });

    // The command it named does what it says.
    expect(await world.say('/deploy api v1.5.0 to staging')).toContain('is queued');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');

    const early = await world.say('/deploy api v1.5.0 to production --dry-run');
    expect(early).toContain('would be refused');
    expect(early).toMatch(/api v1\.5\.0 has run in staging for \d+ seconds?; production takes it after 30 minutes there: wait (30|29) minutes more\./);

    skewMs = 18 * MINUTE;
    const later = await world.say('/deploy api v1.5.0 to production');
    expect(later).toContain('api v1.5.0 has run in staging for 18 minutes; production takes it after 30 minutes there: wait 12 minutes more.');
    expect(await productionRecords()).toEqual([]);
    expect(await promotionSeen()).toMatchObject({ ran: true, satisfied: false, still_running: true, deploy_id: '1', matched_by: 'version' });

    skewMs = 31 * MINUTE;
    const allowed = await world.say('/deploy api v1.5.0 to production');
    expect(allowed).toMatch(/Deploy #\d+: api v1\.5\.0 to production \(rolling\) needs 1 approval\(s\) from approvers/);
    expect(await promotionSeen()).toMatchObject({ ran: true, satisfied: true, soaked_seconds: expect.any(Number) });
    const [pending] = await productionRecords();
    expect(await world.say(`@bob /approve ${pending!.id}`)).toContain(`Approved deploy #${pending!.id}`);
    // The worker asks the policy again before the rollout: still satisfied.
    expect((await world.waitForPhase(pending!.id, ['succeeded', 'failed', 'denied'])).phase).toBe('succeeded');
    expect(await imageIn('production')).toBe('registry.local/acme/api:v1.5.0');
  });

  it('a run in staging cut short by another version asks for another run there, not for waiting', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    await world.say('/deploy api v1.6.0 to staging');
    expect((await world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');

    skewMs = 45 * MINUTE;
    const refused = await world.say('/deploy api v1.5.0 to production');

    expect(refused).toMatch(/api v1\.5\.0 ran in staging for only \d+ seconds? before something else replaced it; production takes it after 30 minutes there\. Deploy it there again: \/deploy api v1\.5\.0 to staging/);
    expect(await promotionSeen()).toMatchObject({ ran: true, satisfied: false, still_running: false });
    // v1.6.0, still running in staging, has soaked there all along.
    expect(await world.say('/deploy api v1.6.0 to production')).toMatch(/needs 1 approval\(s\) from approvers/);
  });

  it('a rollback in production is never held up by the order', async () => {
    const reply = await world.say('@carol /rollback api production to v1.3.0');

    expect(reply).toContain('is queued');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect(await imageIn('production')).toBe('registry.local/acme/api:v1.3.0');
    expect(await promotionSeen()).toBeNull();
  });
});
