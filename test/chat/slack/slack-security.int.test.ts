import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE, SIGNING_SECRET, startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';
import { eventCallbackBody, sendToSlackApp, signSlackRequest } from '../../helpers/slack-request.ts';

describe('Slack requests are verified and de-duplicated', () => {
  let world: SlackWorld;
  beforeEach(async () => { world = await startSlackWorld(); });
  afterEach(async () => { await world.stop(); });

  async function nothingHappened(): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    expect(await world.app.deploys.list()).toEqual([]);
    expect(Object.values(await world.app.queue.counts()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(world.slack.callsTo('response_url')).toEqual([]);
    expect(world.slack.callsTo('chat.postMessage')).toEqual([]);
  }

  it.each([
    ['unsigned', {}],
    ['signed with the wrong secret', { sign: 'not-the-signing-secret' }],
    ['carrying a forged signature', { sign: SIGNING_SECRET, signature: `v0=${'0'.repeat(64)}` }],
    ['stale (signed 6 minutes ago: outside the 5-minute replay window)', { sign: SIGNING_SECRET, timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('rejects a slash command %s with 401 and queues nothing', async (_name, send) => {
    const sent = await world.command('alice', '/deploy api v1.5.0 to staging', { send });
    expect(sent.status).toBe(401);
    await nothingHappened();
  });

  it('rejects a replay of a once-valid request after the window', async () => {
    const { slashCommandBody } = await import('../../helpers/slack-request.ts');
    const req = slashCommandBody({ command: '/deploy', text: 'api v1.5.0 to staging', userId: PEOPLE.alice ?? '', userName: 'alice', triggerId: 'replayed', responseUrl: world.slack.responseUrl('r') });
    const old = Math.floor(Date.now() / 1000) - 301;
    const sent = await sendToSlackApp(world.adapter.url ?? '', req, { headers: signSlackRequest(SIGNING_SECRET, req.body, old) });
    expect(sent.status).toBe(401);
    await nothingHappened();
  });

  it('a retried slash command (same trigger_id, X-Slack-Retry-Num) creates one deploy and answers once', async () => {
    const first = await world.command('alice', '/deploy api v1.5.0 to staging', { triggerId: 'trig-42' });
    const retry = await world.command('alice', '/deploy api v1.5.0 to staging', {
      triggerId: 'trig-42', send: { sign: SIGNING_SECRET, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await first.reply();
    await world.waitForPhase('1', ['succeeded', 'failed']);

    expect((await world.app.deploys.list()).map((d) => d.id)).toEqual(['1']);
    expect(world.slack.callsTo('response_url')).toHaveLength(1);
  });

  it('the same request reaching a second process still makes one deploy (idempotency key = trigger_id)', async () => {
    const other = await world.addProcess();
    const { slashCommandBody } = await import('../../helpers/slack-request.ts');
    const req = slashCommandBody({ command: '/deploy', text: 'api v1.5.0 to staging', userId: PEOPLE.alice ?? '', userName: 'alice', triggerId: 'trig-two', responseUrl: world.slack.responseUrl('two') });

    const [a, b] = await Promise.all([
      sendToSlackApp(world.adapter.url ?? '', req, { sign: SIGNING_SECRET }),
      sendToSlackApp(other.adapter.url ?? '', req, { sign: SIGNING_SECRET, headers: { 'x-slack-retry-num': '1' } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await world.waitForPhase('1', ['succeeded', 'failed']);
    await new Promise((r) => setTimeout(r, 300));

    expect((await world.app.deploys.list()).map((d) => d.id)).toEqual(['1']);
  });

  it('an Events API retry of a reaction is handled once', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');
    const post = await world.cardPost('1');
    const event = { type: 'reaction_added', user: PEOPLE.bob, reaction: 'white_check_mark', item: { type: 'message', channel: post.args.channel, ts: post.result?.ts }, event_ts: '1' };
    const body = eventCallbackBody('EvRetried', event);

    await sendToSlackApp(world.adapter.url ?? '', body, { sign: SIGNING_SECRET });
    await sendToSlackApp(world.adapter.url ?? '', body, { sign: SIGNING_SECRET, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await world.waitForPhase('1', ['succeeded', 'failed']);
    await new Promise((r) => setTimeout(r, 200));

    expect(world.slack.callsTo('chat.postEphemeral').filter((c) => c.args.user === PEOPLE.bob)).toHaveLength(1);
  });

  it('answers Slack\'s url_verification challenge', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'abc123', type: 'url_verification' });
    const sent = await sendToSlackApp(world.adapter.url ?? '', { contentType: 'application/json', body }, { sign: SIGNING_SECRET });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('abc123');
  });
});
