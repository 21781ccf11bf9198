import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../helpers/world.ts';

describe('approvals through the console chat', () => {
  let world: World;
  beforeEach(async () => { world = await startWorld(); });
  afterEach(async () => { await world.stop(); });

  it('given a production deploy, when the requester approves it, then it is refused (four-eyes) and nothing runs', async () => {
    const asked = await world.say('/deploy api v1.5.0 to production');
    expect(asked).toContain('needs 1 approval(s) from approvers');
    await world.waitForPhase('1', 'awaiting_approval');

    const self = await world.say('/approve 1');

    expect(self).toContain('someone else must approve it (four-eyes rule)');
    expect((await world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
    expect((await world.app.kube.readDeployment('production', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });

  it('given a pending deploy, when an approver approves it, then it rolls out', async () => {
    await world.say('/deploy api v1.5.0 to production');

    const reply = await world.say('@bob /approve 1');

    expect(reply).toContain('Approved deploy #1');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    const d = await world.app.deploys.get('1');
    expect(d?.approvals.map((a) => a.actor.id)).toEqual(['bob']);
    expect(await world.say('/history api production')).toMatch(/#1 v1\.5\.0 \(rolling\) by alice, succeeded .* · approved by bob/);
  });

  it('an approval from someone outside the approvers group does not count', async () => {
    await world.say('/deploy api v1.5.0 to production');

    const reply = await world.say('@dave /approve 1');

    expect(reply).toContain('does not count');
    expect((await world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
  });

  it('a denial ends the request and frees the lock', async () => {
    await world.say('/deploy api v1.5.0 to production');
    await world.say('@bob /deny 1 "not during the sale"');
    expect((await world.app.deploys.get('1'))?.phase).toBe('denied');
    expect(await world.app.locks.get('api', 'production')).toBeUndefined();
  });

  it('an approval request nobody answers expires with a clear final state', async () => {
    await world.say('/deploy api v1.5.0 to production');
    const d = await world.waitForPhase('1', 'expired', 10_000);
    expect(d.summary).toContain('Nobody approved it');
    expect(await world.app.locks.get('api', 'production')).toBeUndefined();
  });

  it('only the owning team or on-call may deploy a service', async () => {
    const reply = await world.say('@erin /deploy api v1.5.0 to staging');
    expect(reply).toContain('Only the payments team or on-call (oncall) may deploy api.');
    expect(await world.app.deploys.get('1')).toBeUndefined();
  });

  it('--dry-run shows the decision and changes nothing', async () => {
    const reply = await world.say('/deploy api v1.5.0 to production --dry-run');
    expect(reply).toContain('Dry run');
    expect(reply).toContain('would need 1 approval(s) from approvers');
    expect(await world.app.deploys.get('1')).toBeUndefined();
  });

  it('answers a bad command with a specific message and a suggestion', async () => {
    // The console shows the parser's code spans as it shows Deckhand's own: without the backticks.
    expect(await world.say('/deplyo api v1.5.0')).toContain('Unknown command /deplyo. Did you mean /deploy?');
    expect(await world.say('/deploy apii v1.5.0')).toMatch(/did you mean api\?/i);
    expect(await world.say('/deploy api 1.5')).toContain('version');
    expect(await world.say('/deploy api v1.5.0 to prod')).toMatch(/production/);
  });
});
