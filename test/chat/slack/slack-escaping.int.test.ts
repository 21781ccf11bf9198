import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackCall } from '../../helpers/slack-api-server.ts';
import { startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';

/** Slack turns a raw `<!…>`, `<@…>`, `<#…>` or `<url|label>` into a ping, a mention or a disguised link. */
const LIVE_SLACK_SYNTAX = /<[!@#]|<(https?|mailto):/;
const ATTACK = '<!channel> <https://evil|https://slack.com/approve>';
const ATTACK_ESCAPED = '&lt;!channel&gt; &lt;https://evil|https://slack.com/approve&gt;';

/** Every piece of text a call hands Slack: `text` and everything inside `blocks`. */
function textsOf(call: SlackCall): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => { if (k === 'text' || typeof x === 'object') walk(x); });
  };
  walk(call.args.text);
  walk(call.args.blocks);
  return out;
}

/** A message Slack will post without resolving anything in it and without previews. */
function expectSentInert(call: SlackCall): void {
  for (const t of textsOf(call)) {
    expect(t).not.toMatch(LIVE_SLACK_SYNTAX);
    expect(t.isWellFormed()).toBe(true);
    expect(t).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
  }
  // The Web API gets a form body (booleans as `false`), a response_url gets JSON.
  const flag = (k: string): string => String(call.args[k]);
  expect([call.args.parse, flag('link_names')]).toEqual(['none', 'false']);
  if (call.method !== 'chat.update' && call.method !== 'chat.postEphemeral') expect([flag('unfurl_links'), flag('unfurl_media')]).toEqual(['false', 'false']);
}

describe('user text reaches Slack escaped (signed requests through Bolt, the local Slack API records what it got)', () => {
  let world: SlackWorld;
  beforeEach(async () => { world = await startSlackWorld(); });
  afterEach(async () => { await world.stop(); });

  it('given a /lock whose reason imitates Deckhand\'s formatting, then the reply and the status show it unformatted', async () => {
    // When alice locks production with a reason written to pass for Deckhand's own bold, italics and code
    const sent = await world.command('alice', '/lock api production *Approved* by _bob_ ~now~ `ok`');
    expect(sent.status).toBe(200);

    // Then the reason reads as typed, in look-alikes mrkdwn cannot format
    const reply = await sent.reply();
    expect(reply.args.text).toContain('∗Approved∗ by ˍbobˍ ∼now∼ ˋokˋ');
    expect(/“(.*)”/.exec(reply.args.text as string)![1]).not.toMatch(/[*_~`]/);
    expectSentInert(reply);

    // And so it does where the status repeats it
    const status = await world.command('erin', '/status api');
    const shown = await status.reply();
    expect(shown.args.text).toContain('∗Approved∗ by ˍbobˍ ∼now∼ ˋokˋ');
    expectSentInert(shown);
  });

  it('given a /lock whose reason pings the channel and disguises a link, then the public reply shows it as typed', async () => {
    // When alice (payments, owns api) locks production with a hostile reason
    const sent = await world.command('alice', `/lock api production ${ATTACK}`);
    expect(sent.status).toBe(200);

    // Then the reply goes to the channel with the reason escaped: nothing in it resolves
    const reply = await sent.reply();
    expect(reply.args.response_type).toBe('in_channel');
    expect(reply.args.text).toContain(ATTACK_ESCAPED);
    expectSentInert(reply);

    // When anyone asks for the status, which repeats the lock's reason
    const status = await world.command('erin', '/status api');
    const shown = await status.reply();

    // Then the reason is escaped there too
    expect(shown.args.text).toContain('&lt;!channel&gt;');
    expectSentInert(shown);
  });

  it('given a deploy whose reason mentions people and hides text with bidi controls, then the card, its thread and the replies are inert', async () => {
    const reason = '<!here> <@U0BOB> <!subteam^S0APPROVE|@approvers> \u202Eved.live\u202C ok';
    const sent = await world.command('alice', `/deploy api v1.5.0 to staging --reason "${reason}"`);
    expectSentInert(await sent.reply());

    const done = await world.waitForPhase('1', ['succeeded', 'failed']);
    expect(done.reason).toBe(reason);
    await world.adapter.flushCards();

    const card = await world.cardPost('1');
    expectSentInert(card);
    expect(JSON.stringify(card.args.blocks)).toContain('&lt;!here&gt; &lt;@U0BOB&gt; &lt;!subteam^S0APPROVE|@approvers&gt; ved.live ok');
    for (const update of world.cardUpdates('1')) expectSentInert(update);
    const threads = world.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts !== undefined);
    for (const t of threads) expectSentInert(t);
  });

  it('given the longest reason a command can carry, with emoji where it is cut, then the card stays within Block Kit limits and valid UTF-16', async () => {
    const reason = `${'<!channel> '.repeat(100)}${'😀'.repeat(1400)}`;
    const sent = await world.command('alice', `/deploy api v1.5.0 to staging --reason "${reason}"`);
    expect(sent.status).toBe(200);
    expectSentInert(await sent.reply());

    const card = await world.cardPost('1');
    expectSentInert(card);
    const blocks = card.args.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    const field = blocks.flatMap((b) => b.fields ?? []).find((f) => f.text.startsWith('*Reason*'));
    // Escaped, the reason's start takes 1,809 of the field's 2,000 characters: the cut falls among the emoji.
    expect(field?.text).toMatch(/^\*Reason\*\n(&lt;!channel&gt; ){100}(😀)+…$/);
    expect(String(card.args.text).length).toBeLessThanOrEqual(4000);
  });
});
