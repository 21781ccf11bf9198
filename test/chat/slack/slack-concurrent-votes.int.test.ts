import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/audit/index.ts';
import { startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';

/**
 * Votes are one compare-and-set with the policy's count: concurrent approvals from different people start the deploy
 * exactly once when enough are in, and every "approved" audit entry is a counted vote. Signed Slack requests through
 * Bolt; production needs two approvals here.
 */
describe('concurrent votes over Slack', () => {
  let world: SlackWorld;
  beforeEach(async () => {
    world = await startSlackWorld({ policyData: (data) => ({ deckhand: { config: { ...(data.deckhand as { config: object }).config, approvals: { production: { approvers: 2 } } } } }) });
  });
  afterEach(async () => { await world.stop(); });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const audit = async (deployId: string): Promise<AuditEvent[]> => (await world.app.audit.latest(2000)).filter((e) => 'deployId' in e && e.deployId === deployId);
  const counted = (entries: AuditEvent[]) => entries.filter((e) => e.kind === 'approval' && e.vote === 'approve' && e.accepted);
  const queuedPhases = (entries: AuditEvent[]) => entries.filter((e) => e.kind === 'phase' && e.phase === 'queued');

  async function requestProduction(version: string): Promise<string> {
    const sent = await world.command('alice', `/deploy api ${version} to production${version === 'v1.4.0' ? ' --reason "going back"' : ''}`);
    const reply = String((await sent.reply()).args.text);
    const id = /#(\d+)/.exec(reply)?.[1];
    if (!id) throw new Error(`no deploy in: ${reply}`);
    await world.cardPost(id);
    return id;
  }

  it.each([
    ['10 ms apart', 10],
    ['at the same moment', 0],
  ])('two approvers %s: both counted, the deploy starts once and rolls out', async (_, gapMs) => {
    // Going back to v1.4.0 is a downgrade: it says why (production's approvals cover the one a downgrade needs).
    for (const version of ['v1.5.0', 'v1.4.0', 'v1.5.0']) {
      const id = await requestProduction(version);
      const bob = world.click('bob', 'approve', id);
      await sleep(gapMs);
      const carol = world.click('carol', 'approve', id);
      const answers = [String((await bob).args.text), String((await carol).args.text)];

      expect(answers.filter((a) => a.includes('it is starting'))).toHaveLength(1);
      expect(answers.filter((a) => a.includes('Approval counted') && a.includes('(1/2)'))).toHaveLength(1);
      const done = await world.waitForPhase(id, ['succeeded', 'failed', 'rolled_back']);
      expect(done.phase).toBe('succeeded');
      expect(done.approvals.map((a) => a.actor.id).sort()).toEqual(['U0BOB', 'U0CAROL']);
      const entries = await audit(id);
      expect(counted(entries)).toHaveLength(2);
      expect(queuedPhases(entries)).toHaveLength(1);
    }
  });

  it('a double click (and a reaction on top) counts one approval and writes one "approved" entry', async () => {
    const id = await requestProduction('v1.5.0');
    const answers = await Promise.all([world.click('bob', 'approve', id), world.click('bob', 'approve', id)]);
    await world.react('bob', id);
    const texts = answers.map((a) => String(a.args.text));
    expect(texts.filter((t) => t.includes('Approval counted'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('already approved'))).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 300));
    const d = await world.app.deploys.get(id);
    expect(d?.phase).toBe('awaiting_approval');
    expect(d?.approvals).toHaveLength(1);
    expect(counted(await audit(id))).toHaveLength(1);

    await world.click('carol', 'approve', id);
    expect((await world.waitForPhase(id, ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect(counted(await audit(id))).toHaveLength(2);
  });
});
