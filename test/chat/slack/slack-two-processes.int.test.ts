import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';

describe('two Deckhand processes on one Redis, one Slack', () => {
  let world: SlackWorld;
  beforeEach(async () => { world = await startSlackWorld(); });
  afterEach(async () => { await world.stop(); });

  it('post exactly one card per deploy, however both race to publish it', async () => {
    const other = await world.addProcess();
    await world.command('alice', '/deploy api v1.5.0 to production');
    const d = await world.waitForPhase('1', 'awaiting_approval');

    // Both processes learn of the deploy at the same moment (as when one takes the command and the other runs it).
    other.app.cards.publish({ kind: 'note', deploy: d, message: 'seen by the second process' });
    world.app.cards.publish({ kind: 'note', deploy: d, message: 'seen by the first process' });
    await Promise.all([world.app.cards.flush(), other.app.cards.flush()]);
    await Promise.all([world.adapter.flushCards(), other.adapter.flushCards()]);

    const cards = world.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined);
    expect(cards).toHaveLength(1);
    const ts = cards[0]?.result?.ts;
    expect(world.cardUpdates('1').every((u) => u.args.ts === ts)).toBe(true);
  });

  it('a process started later (a restart) edits the existing card instead of posting another', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');
    await world.cardPost('1');
    const d = await world.waitForPhase('1', 'awaiting_approval');
    const restarted = await world.addProcess();

    restarted.app.cards.publish({ kind: 'note', deploy: d, message: 'after the restart' });
    await restarted.app.cards.flush();
    await restarted.adapter.flushCards();

    expect(world.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
    expect(world.cardUpdates('1').length).toBeGreaterThanOrEqual(1);
  });
});
