import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedDiscordCall } from '@deckhand/sim/discord';
import { CHANNEL, RELEASES_CHANNEL, USERS, startDiscordWorld, type DiscordWorld } from '../../helpers/discord-world.ts';

/**
 * What Discord would still act on in `text`: a backslash makes the next character literal, so escaped characters
 * are blanked out (kept as NUL, so positions stay).
 */
function live(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text[i] === '\\' ? (i++, '\u0000') : text[i];
  return out;
}

/** Mentions, channel links, slash-command links, timestamps, masked links, `@everyone`/`@here`. */
const LIVE_DISCORD_SYNTAX = /<[@#/:at]|\[[^\]]*\]\(|@everyone|@here/;
const ATTACK = '<!channel> <https://evil|https://slack.com/approve> @everyone <@100000000000000002> <@&200000000000000001> [https://discord.com/approve](https://evil.example)';

/** Every string Deckhand put into a message body: content, embed titles, descriptions, fields. */
function textsOf(body: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => { if (k !== 'url' && k !== 'custom_id') walk(x); });
  };
  walk(body);
  return out;
}

function expectSentInert(call: RecordedDiscordCall): void {
  const body = call.body as { allowed_mentions?: unknown; embeds?: unknown; content?: unknown };
  // A webhook or bot message that could mention must say that nothing may be pinged.
  expect(body.allowed_mentions).toEqual({ parse: [] });
  for (const t of textsOf({ content: body.content, embeds: body.embeds })) {
    expect(live(t)).not.toMatch(LIVE_DISCORD_SYNTAX);
    expect(t.isWellFormed()).toBe(true);
    expect(t).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
  }
}

const messageCalls = (dw: DiscordWorld): RecordedDiscordCall[] => dw.discord.calls.filter((c) => (c.method === 'POST' || c.method === 'PATCH') && (c.route.startsWith('/webhooks/') || /^\/channels\/\d+\/messages/.test(c.route)));

describe('user text reaches Discord escaped (Ed25519-signed interactions, the simulated Discord records what it got)', () => {
  let dw: DiscordWorld;
  beforeEach(async () => { dw = await startDiscordWorld(); });
  afterEach(async () => { await dw.stop(); });

  it('given a /lock whose reason pings and disguises links, then the public answer shows it as typed and pings nobody', async () => {
    // When alice (payments, owns api) locks production with a hostile reason
    const asked = await dw.slash(USERS.alice, 'lock', `api production ${ATTACK}`);
    expect(asked.status).toBe(200);

    // Then the deferred answer becomes the public reply: escaped, no mentions allowed, no link previews
    const reply = await dw.eventually(() => dw.discord.calls.find((c) => c.method === 'PATCH' && c.route.endsWith(`/${asked.token}/messages/@original`)));
    const content = (reply.body as { content: string }).content;
    expect(content).toContain('\\<@100000000000000002>');
    expect(content).toContain('@\u200Beveryone');
    expect(content).toContain('\\[https://discord.com/approve\\](https://evil.example)');
    expect(reply.body).toMatchObject({ flags: 4 });
    expectSentInert(reply);

    // When anyone asks for the status, which repeats the lock's reason
    const status = await dw.slash(USERS.erin, 'status', 'api');
    const shown = await dw.eventually(() => dw.discord.calls.find((c) => c.route.includes(`/${status.token}`) && (c.method === 'PATCH' || c.method === 'POST')));
    expect((shown.body as { content: string }).content).toContain('\\<@100000000000000002>');
    expectSentInert(shown);
  });

  it('given a deploy with a hostile reason and bidi controls, then the card, the answers and the release notice are inert', async () => {
    const reason = `${ATTACK} \u202Eved.live\u2066 # heading\n> quote`;
    const asked = await dw.slash(USERS.alice, 'deploy', `api v1.5.0 to staging --reason "${reason.replace(/\n/g, ' ')}"`);
    expect(asked.status).toBe(200);
    const done = await dw.world.waitForPhase('1', ['succeeded', 'failed']);
    expect(done.reason).toContain('<@100000000000000002>');

    const card = await dw.eventually(() => { const c = dw.card('1'); return c && JSON.stringify(c.embeds).includes('Succeeded') ? c : undefined; });
    expect(JSON.stringify(card.embeds)).toContain('ved.live');
    await dw.eventually(() => dw.discord.channelMessages(RELEASES_CHANNEL)[0]);

    const calls = messageCalls(dw);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const c of calls.filter((x) => x.route.startsWith('/channels/') || x.route.includes(asked.token))) expectSentInert(c);
    // The release notice goes through discord.js's WebhookClient, which must carry the same restriction.
    const notice = calls.find((c) => c.method === 'POST' && /^\/webhooks\/\d+\/[\w-]+$/.test(c.route) && !c.route.includes(asked.token));
    expect(notice).toBeDefined();
    expectSentInert(notice!);
    expect(dw.discord.channelMessages(CHANNEL).every((m) => m.mention_everyone === false)).toBe(true);
  });

  it('given the longest reason a command can carry, with emoji where it is cut, then every embed limit holds', async () => {
    const reason = `${'<@100000000000000002> '.repeat(90)}${'😀'.repeat(900)}`;
    const asked = await dw.slash(USERS.alice, 'deploy', `api v1.5.0 to staging --reason "${reason}"`);
    expect(asked.status).toBe(200);
    const card = await dw.eventually(() => dw.card('1'));
    const embed = card.embeds[0] as { title: string; description: string; fields: { name: string; value: string }[]; footer: { text: string } };
    const field = embed.fields.find((f) => f.name === 'Reason')!;
    expect(field.value.length).toBeLessThanOrEqual(1024);
    expect(field.value.isWellFormed()).toBe(true);
    expect(field.value.endsWith('…')).toBe(true);
    const total = embed.title.length + embed.description.length + embed.footer.text.length + embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expectSentInert(messageCalls(dw).find((c) => c.route === `/channels/${CHANNEL}/messages`)!);
  });
});
