import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';

describe('Slack card updates are coalesced', () => {
  let world: SlackWorld;
  beforeEach(async () => { world = await startSlackWorld(); });
  afterEach(async () => { await world.stop(); });

  it('given 100 progress events over 3 s, the card is edited at most once a second and ends on the final state', async () => {
    // The simulated cluster brings pods up in batches (a few progress events per rollout), so the 100 events are
    // published here, through the same card publisher a rollout's events take.
    await world.command('alice', '/deploy api v1.5.0 to production');
    const post = await world.cardPost('1');
    const d = await world.waitForPhase('1', 'awaiting_approval');
    const rolling = { ...d, phase: 'rolling_out' as const };
    for (let i = 1; i <= 100; i++) {
      world.app.cards.publish({ kind: 'progress', deploy: rolling, progress: { desired: 100, updated: i, ready: i, available: i }, message: `${i}/100 updated` });
      await new Promise((r) => setTimeout(r, 30));
    }
    const done = { ...d, phase: 'succeeded' as const, summary: 'api v1.5.0 is live in production: 100/100 replicas available.' };
    world.app.cards.publish({ kind: 'phase', deploy: done, phase: 'succeeded', message: done.summary });
    await world.app.cards.flush();
    await world.adapter.flushCards();

    const updates = world.cardUpdates('1');
    const gaps = updates.slice(1).map((u, i) => u.at - (updates[i]?.at ?? 0));
    // Arrival times at the server: allow a few ms of loopback jitter.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(updates.length).toBeLessThanOrEqual(5);
    expect(String(updates.at(-1)?.args.text)).toContain('✅ Succeeded');
    expect(new Set(updates.map((u) => u.args.ts))).toEqual(new Set([post.result?.ts]));
    // The final state followed the last progress promptly (within the one-second spacing).
    const lastProgressAt = updates.at(-2)?.at ?? 0;
    expect((updates.at(-1)?.at ?? 0) - lastProgressAt).toBeLessThan(1500);
  });

  it('rides out a 429 from chat.update: the final state still lands', async () => {
    await world.command('alice', '/deploy api v1.5.0 to staging');
    await world.cardPost('1');
    world.slack.rateLimit('chat.update', 1, 1);

    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    await world.adapter.flushCards();

    expect(world.slack.callsTo('chat.update#429')).toHaveLength(1);
    expect(String(world.cardUpdates('1').at(-1)?.args.text)).toContain('✅ Succeeded');
  });
});
