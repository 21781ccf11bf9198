import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../helpers/world.ts';

describe('freezes through the console chat', () => {
  let world: World;
  beforeEach(async () => { world = await startWorld(); });
  afterEach(async () => { await world.stop(); });

  it('given production frozen, a deploy is refused, a hotfix with a reason needs 2 approvals, /unfreeze lifts it', async () => {
    expect(await world.say('@carol /freeze production "black friday"')).toContain('production is frozen');
    expect(await world.say('/status api production')).toContain('production frozen by carol');

    const refused = await world.say('/deploy api v1.5.0 to production');
    expect(refused).toContain('production is frozen (black friday)');
    expect(await world.app.deploys.get('1')).toBeUndefined();

    const hotfix = await world.say('/deploy api v1.5.0 to production --reason "checkout is down"');
    expect(hotfix).toContain('needs 2 approval(s)');
    await world.say('@bob /approve 1');
    expect((await world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
    await world.say('@carol /approve 1');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');

    await world.say('@carol /unfreeze production');
    await world.say('/deploy api v1.5.0 to production');
    expect((await world.app.deploys.get('2'))?.phase).toBe('awaiting_approval');
  });

  it('only on-call or approvers may freeze', async () => {
    expect(await world.say('@dave /freeze production')).toContain('may not freeze');
    expect(await world.say('/status')).not.toContain('frozen');
  });

  it('the audit log records the command, the decisions, the approval and the phases of a deploy', async () => {
    await world.say('/deploy api v1.5.0 to production');
    await world.say('@bob /approve 1');
    await world.waitForPhase('1', 'succeeded');
    // The save that ends the deploy writes its audit entry too: it is there the moment the record says succeeded.
    const entries = await world.app.audit.read();
    expect(entries.some((e) => e.kind === 'phase' && e.deployId === '1' && e.phase === 'succeeded')).toBe(true);
    const kinds = entries.filter((e) => !('deployId' in e) || e.deployId === '1' || e.kind === 'command').map((e) => e.kind);
    expect(kinds).toContain('command');
    expect(kinds).toContain('decision');
    expect(entries.some((e) => e.kind === 'approval' && e.actor.id === 'bob' && e.accepted)).toBe(true);
    expect(entries.filter((e) => e.kind === 'phase' && e.deployId === '1').map((e) => e.kind === 'phase' && e.phase)).toEqual(
      expect.arrayContaining(['awaiting_approval', 'queued', 'rolling_out', 'succeeded']),
    );
  });
});
