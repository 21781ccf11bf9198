import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { postTimed, signSlackRequest, slashCommandBody } from '../../helpers/slack-request.ts';
import { PEOPLE, SIGNING_SECRET, startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';
import { WORLD_CONFIG, worldConfig } from '../../helpers/world.ts';

/** A mix of what a busy channel sends: reads, dry runs, a real deploy and the requests it locks out. */
function burstLine(i: number): string {
  switch (i % 4) {
    case 0: return '/status api';
    case 1: return '/deploy web v2.1.0 to staging --dry-run';
    case 2: return '/history api staging';
    default: return '/deploy api v1.5.0 to production';
  }
}

describe('a burst of slash commands', () => {
  let world: SlackWorld;
  // Approvals wait longer than the burst takes on a loaded machine: the one pending deploy must not expire mid-test.
  beforeEach(async () => { world = await startSlackWorld({ config: worldConfig(WORLD_CONFIG.replace('expireAfter: 2s', 'expireAfter: 5m')) }); });
  afterEach(async () => { await world.stop(); });

  it('acknowledges 200 commands sent at once within 3 s each, and answers every one', async () => {
    const users = ['alice', 'dave', 'carol'];
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    const url = world.adapter.url ?? '';
    const reqs = Array.from({ length: 200 }, (_, i) => {
      const who = users[i % 3] ?? 'alice';
      const [command = '', text = ''] = burstLine(i).split(/ (.*)/s);
      const body = slashCommandBody({ command, text, userId: PEOPLE[who] ?? who, userName: who, triggerId: `burst.${i}`, responseUrl: world.slack.responseUrl(`burst-${i}`) });
      return { body, headers: signSlackRequest(SIGNING_SECRET, body.body) };
    });

    const sent = await Promise.all(reqs.map((r) => postTimed(agent, url, r.body, r.headers)));
    agent.destroy();

    expect(sent.filter((s) => s.status === 200)).toHaveLength(200);
    expect(Math.max(...sent.map((s) => s.ms))).toBeLessThan(3000);
    const replies = await Promise.all(reqs.map((_, i) => world.slack.waitFor((c) => c.method === 'response_url' && c.args.url === `/respond/burst-${i}`, 30_000)));
    expect(new Set(replies.map((r) => r.args.url)).size).toBe(200);
    // One deploy got the lock; every other production request was told who holds it, privately: one card in the channel.
    const deploys = await world.app.deploys.list({ limit: 500 });
    expect(deploys.filter((d) => d.phase !== 'denied').map((d) => `${d.service}/${d.env}/${d.phase}`)).toEqual(['api/production/awaiting_approval']);
    expect(deploys.filter((d) => d.phase === 'denied').every((d) => d.summary?.includes('is busy'))).toBe(true);
    await world.adapter.flushCards();
    expect(world.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
  }, 60_000);
});
