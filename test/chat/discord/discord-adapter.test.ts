import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/chat/discord/index.ts';
import type { Card, ChatEvent, Reply } from '../../../src/chat/types.ts';
import { chat, userText } from '../../../src/deploy/index.ts';
import {
  buttonInteraction, createInteractionSigner, pingInteraction, sendInteraction, slashCommandInteraction, startDiscordApiServer,
  type DiscordApiServer, type InteractionSigner,
} from '@deckhand/sim/discord';
import { memoryCardRefs } from '../../helpers/discord-card-refs.ts';

const APP = '900000000000000001';
const CHANNEL = '900000000000000010';
const alice = { id: '100000000000000001', username: 'alice' };

function card(over: Partial<Card> = {}): Card {
  return {
    deployId: '7', channel: CHANNEL, title: chat`#7 api v1.5.0 (rolling) → staging`, status: chat`🚀 Rolling out`,
    fields: [{ label: 'Service', value: userText('api') }], lines: [], actions: [{ id: 'abort', label: 'Abort', style: 'danger', confirm: 'Abort?' }], final: false,
    ...over,
  };
}

describe('the Discord interactions endpoint', () => {
  let discord: DiscordApiServer;
  let signer: InteractionSigner;
  let adapter: DiscordAdapter;
  let events: ChatEvent[];
  let answer: (e: ChatEvent) => Promise<Reply | undefined>;
  let cardRefs: ReturnType<typeof memoryCardRefs>;

  beforeEach(async () => {
    discord = await startDiscordApiServer({ botToken: 'tok' });
    signer = createInteractionSigner();
    events = [];
    answer = async () => ({ text: chat`ok` });
    adapter = createDiscordAdapter({ applicationId: APP, publicKey: signer.publicKeyHex, botToken: 'tok', apiUrl: discord.apiUrl, port: 0, cardIntervalMs: 200 });
    await adapter.start({
      cardRefs: (cardRefs = memoryCardRefs()),
      onEvent: async (e, respond) => {
        events.push(e);
        const reply = await answer(e);
        if (reply) await respond(reply);
      },
    });
  });
  afterEach(async () => {
    await adapter.stop();
    await discord.close();
  });

  const slash = (name: string, options: Record<string, string> = {}) => {
    const i = slashCommandInteraction({ user: alice, channelId: CHANNEL, guildId: '5', applicationId: APP, name, options });
    return sendInteraction(adapter.url!, i, signer).then((a) => ({ ...a, token: i.token }));
  };
  // Clicks on message 42; a confirming click is on the question (43) asked from a click on 42.
  const click = (customId: string) => {
    const sure = customId.endsWith(':sure');
    const i = buttonInteraction({ user: alice, channelId: CHANNEL, applicationId: APP, customId, messageId: sure ? '43' : '42', ...(sure && { interactedMessageId: '42' }) });
    return sendInteraction(adapter.url!, i, signer).then((a) => ({ ...a, token: i.token }));
  };
  const until = async <T>(f: () => T | undefined): Promise<T> => {
    for (let i = 0; i < 400; i++) {
      const v = f();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('timed out');
  };

  it('refuses to start without the public key (it could not tell Discord from anyone else)', () => {
    expect(() => createDiscordAdapter({ applicationId: APP, botToken: 'tok', publicKey: undefined }))
      .toThrow(expect.objectContaining({ code: 'config_invalid', userMessage: expect.stringContaining('DISCORD_PUBLIC_KEY') }));
  });

  it('answers PING with PONG', async () => {
    const a = await sendInteraction(adapter.url!, pingInteraction(APP), signer);
    expect(a).toMatchObject({ status: 200, body: { type: 1 } });
  });

  it.each([
    ['no signature headers', async () => (await fetch(adapter.url!, { method: 'POST', body: JSON.stringify(pingInteraction(APP)) })).status],
    ['another key', async () => (await sendInteraction(adapter.url!, pingInteraction(APP), createInteractionSigner())).status],
    ['a changed body', async () => (await sendInteraction(adapter.url!, pingInteraction(APP), signer, { tamper: (b) => `${b} ` })).status],
    ['an old timestamp (replay)', async () => (await sendInteraction(adapter.url!, pingInteraction(APP), signer, { timestamp: '1700000000' })).status],
  ])('rejects %s with 401 before reading the body', async (_name, send) => {
    expect(await send()).toBe(401);
    expect(events).toEqual([]);
  });

  it('refuses a signed command replayed within the 5-minute window with 409, and it becomes no second event', async () => {
    const i = slashCommandInteraction({ user: alice, channelId: CHANNEL, guildId: '5', applicationId: APP, name: 'deploy', options: { args: 'api v1.5.0 to production' } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const first = await sendInteraction(adapter.url!, i, signer, { timestamp });
    await until(() => (events.length === 1 ? true : undefined));

    const replay = await sendInteraction(adapter.url!, i, signer, { timestamp });
    const next = await slash('status');

    expect([first.status, replay.status, next.status]).toEqual([200, 409, 200]);
    expect(replay.body).toEqual({ error: 'interaction already received' });
    await until(() => (events.length === 2 ? true : undefined));
    expect(events.map((e) => e.kind === 'message' && e.text)).toEqual(['/deploy api v1.5.0 to production', '/status']);
  });

  it('turns a slash command into an addressed message with the line as typed', async () => {
    await slash('deploy', { args: 'api v1.5.0 to production --reason "hotfix"' });
    await slash('deckhand', { command: 'status api' });
    await slash('status');
    await until(() => (events.length === 3 ? true : undefined));
    expect(events.map((e) => e.kind === 'message' && e.text)).toEqual(['/deploy api v1.5.0 to production --reason "hotfix"', '/deckhand status api', '/status']);
    expect(events[0]).toMatchObject({
      kind: 'message', platform: 'discord', addressed: true, channel: CHANNEL,
      actor: { id: alice.id, name: 'alice', platform: 'discord', groups: [] },
    });
  });

  it('defers within 3 s however long the pipeline takes, then edits the deferred message with a public reply', async () => {
    answer = async () => {
      await new Promise((r) => setTimeout(r, 3200));
      return { text: chat`api v1.4.0 runs in staging` };
    };
    const t0 = Date.now();
    const a = await slash('status', { args: 'api' });
    expect(a.body).toEqual({ type: 5 });
    expect(a.ms).toBeLessThan(1000);
    const edit = await until(() => discord.calls.find((c) => c.method === 'PATCH' && c.route === `/webhooks/${APP}/${a.token}/messages/@original`));
    expect(edit.at - t0).toBeGreaterThanOrEqual(3000);
    expect(edit.body).toMatchObject({ content: 'api v1.4.0 runs in staging' });
  });

  it('an ephemeral reply replaces the deferred message with one only the requester sees', async () => {
    answer = async () => ({ text: chat`Unknown service`, ephemeral: true });
    const a = await slash('deploy', { args: 'apii v1' });
    const post = await until(() => discord.calls.find((c) => c.method === 'POST' && c.route === `/webhooks/${APP}/${a.token}`));
    expect(post.body).toMatchObject({ content: 'Unknown service', flags: 64 });
    const del = discord.calls.findIndex((c) => c.method === 'DELETE' && c.route.endsWith(`${a.token}/messages/@original`));
    expect(del).toBeGreaterThanOrEqual(0);
    expect(del).toBeLessThan(discord.calls.indexOf(post));
  });

  it('a crash in the pipeline ends as an ephemeral apology, not silence', async () => {
    answer = async () => { throw new Error('boom'); };
    const a = await slash('status');
    const post = await until(() => discord.calls.find((c) => c.method === 'POST' && c.route === `/webhooks/${APP}/${a.token}`));
    expect(post.body).toMatchObject({ flags: 64, content: expect.stringContaining('Something went wrong') });
    expect(JSON.stringify(post.body)).not.toContain('boom');
  });

  it('a card button becomes an action event, acknowledged without a message, answered privately', async () => {
    answer = async () => ({ text: chat`Approved deploy #12.` });
    await cardRefs.set('discord', '12', `${CHANNEL}/42`);
    const a = await click('deckhand:approve:12');
    expect(a.body).toEqual({ type: 6 });
    await until(() => (events.length ? true : undefined));
    expect(events[0]).toMatchObject({ kind: 'action', action: 'approve', deployId: '12', actor: { name: 'alice' } });
    const post = await until(() => discord.calls.find((c) => c.route === `/webhooks/${APP}/${a.token}`));
    expect(post.body).toMatchObject({ flags: 64, content: 'Approved deploy #12.' });
  });

  it('a button that needs confirmation asks first; Cancel changes nothing; the confirmed click acts', async () => {
    await cardRefs.set('discord', '7', `${CHANNEL}/42`);
    const ask = await click('deckhand:abort:7:ask');
    expect(ask.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Abort deploy #7 and restore the previous version?' } });
    const cancel = await click('deckhand:cancel:7');
    expect(cancel.body).toEqual({ type: 7, data: { content: 'Nothing was changed on deploy #7.', components: [], allowed_mentions: { parse: [] } } });
    expect(events).toEqual([]);

    answer = async () => ({ text: chat`Aborting deploy #7.` });
    const sure = await click('deckhand:abort:7:sure');
    expect(sure.body).toEqual({ type: 6 });
    const edit = await until(() => discord.calls.find((c) => c.method === 'PATCH' && c.route.endsWith(`${sure.token}/messages/@original`)));
    expect(edit.body).toMatchObject({ content: 'Aborting deploy #7.', components: [] });
    expect(events.map((e) => e.kind === 'action' && e.action)).toEqual(['abort']);
  });

  it('asks with the card\'s own words when this process showed the card', async () => {
    await adapter.upsertCard(card({ actions: [{ id: 'abort', label: 'Roll back', style: 'danger', confirm: 'Take deploy #7 down and put all traffic back?' }] }));
    const ask = await click('deckhand:abort:7:ask');
    expect(ask.body).toMatchObject({ data: { content: 'Take deploy #7 down and put all traffic back?', components: [{ components: [{ label: 'Yes, abort' }, { label: 'Cancel' }] }] } });
  });

  it('a button Deckhand did not make is answered, not run', async () => {
    const a = await click('someone-else:thing');
    expect(a.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(events).toEqual([]);
  });

  it('posts a card once and edits it in place, coalescing a burst of progress into few edits', async () => {
    await adapter.upsertCard(card({ progress: { done: 0, total: 10, label: '0/10' } }));
    for (let i = 1; i <= 9; i++) await adapter.upsertCard(card({ progress: { done: i, total: 10, label: `${i}/10` } }));
    await adapter.upsertCard(card({ status: chat`✅ Succeeded`, actions: [], final: true }));

    const writes = discord.calls.filter((c) => c.route.startsWith(`/channels/${CHANNEL}/messages`));
    expect(writes[0]!.method).toBe('POST');
    expect(writes.slice(1).every((c) => c.method === 'PATCH')).toBe(true);
    expect(writes.length).toBeLessThanOrEqual(3);
    const [msg] = discord.channelMessages(CHANNEL);
    expect(discord.channelMessages(CHANNEL)).toHaveLength(1);
    expect((msg!.embeds[0] as { description: string }).description).toContain('✅ Succeeded');
    expect(msg!.components).toEqual([]);
  });

  it('renders a card as an embed with buttons; a button with a confirm asks first', async () => {
    await adapter.upsertCard(card({ status: chat`⏳ Awaiting approval`, lines: [chat`Needs 1 more approval`], actions: [{ id: 'approve', label: 'Approve', style: 'primary' }, { id: 'abort', label: 'Abort', style: 'danger', confirm: 'sure?' }] }));
    // Non-final cards are sent in the background (coalesced), so the first one may still be on its way.
    const msg = await until(() => discord.channelMessages(CHANNEL)[0]);
    expect(msg.embeds[0]).toMatchObject({ title: '#7 api v1.5.0 (rolling) → staging', description: '**⏳ Awaiting approval**\nNeeds 1 more approval', fields: [{ name: 'Service', value: 'api', inline: true }], footer: { text: 'Deploy #7' } });
    expect(msg.components).toEqual([{ type: 1, components: [
      { type: 2, custom_id: 'deckhand:approve:7', label: 'Approve', style: 1 },
      { type: 2, custom_id: 'deckhand:abort:7:ask', label: 'Abort', style: 4 },
    ] }]);
  });
});
