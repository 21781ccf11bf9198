import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/chat/discord/index.ts';
import type { ChatEvent } from '../../../src/chat/types.ts';
import { chat } from '../../../src/deploy/index.ts';
import { buttonInteraction, createInteractionSigner, sendInteraction, startDiscordApiServer, type DiscordApiServer, type InteractionSigner, type SimDiscordUser } from '@deckhand/sim/discord';
import { memoryCardRefs } from '../../helpers/discord-card-refs.ts';
import { APP_ID, CHANNEL, GUILD_ID, USERS, startDiscordWorld, type DiscordWorld } from '../../helpers/discord-world.ts';

const ELSEWHERE = '900000000000000099';
type Row = { components: { custom_id: string }[] };
const buttonsOf = (m: { components: unknown[] } | undefined): string[] => ((m?.components ?? []) as Row[]).flatMap((r) => r.components.map((c) => c.custom_id));

/**
 * Buttons act only on the deploy their card shows, in the channel it was posted in. A component interaction names
 * the deploy in its custom_id and the clicked message in `message` (and the channel in `channel_id`); every click
 * here is Ed25519-signed with the application's key, so only the payload lies.
 */
describe('Discord: a button acts only on the deploy its card shows', () => {
  let dw: DiscordWorld;
  beforeEach(async () => { dw = await startDiscordWorld(); });
  afterEach(async () => { await dw.stop(); });

  /** A signed click delivered to Deckhand, its answers bound to `channelId` in the simulated Discord. */
  async function click(user: SimDiscordUser, customId: string, messageId: string, o: { channelId?: string; messageChannelId?: string; interactedMessageId?: string } = {}) {
    const channelId = o.channelId ?? CHANNEL;
    const i = buttonInteraction({ user, channelId, guildId: GUILD_ID, applicationId: APP_ID, customId, messageId, ...(o.interactedMessageId !== undefined && { interactedMessageId: o.interactedMessageId }) });
    if (o.messageChannelId !== undefined) i.message.channel_id = o.messageChannelId;
    dw.discord.bindInteraction(i.token, channelId);
    const answer = await sendInteraction(dw.adapter.url!, i, dw.signer);
    expect(answer.status).toBe(200);
    return { ...answer, token: i.token };
  }

  /** What Deckhand told the clicker through the interaction's webhook (a follow-up, or the edited question). */
  const toldTo = (token: string) => dw.eventually(() => dw.discord.calls.find((c) => (c.method === 'POST' || c.method === 'PATCH') && c.route.includes(`/${token}`)));

  async function expectRefused(token: string): Promise<void> {
    const told = await toldTo(token);
    expect(String((told.body as { content?: string }).content)).toContain('does not belong to this card');
    if (told.method === 'POST') expect(told.body).toMatchObject({ flags: 64 });
  }

  /** #1 waits for approval in production; #2 is a finished staging deploy whose card offers Rollback. */
  async function twoCards() {
    await dw.slash(USERS.alice, 'deploy', 'api v1.5.0 to production');
    await dw.slash(USERS.alice, 'deploy', 'api v1.5.0 to staging');
    const card1 = await dw.eventually(() => dw.card('1'));
    await dw.world.waitForPhase('2', 'succeeded');
    const card2 = await dw.eventually(() => { const c = dw.card('2'); return buttonsOf(c).includes('deckhand:rollback:2:ask') ? c : undefined; });
    return { card1, card2 };
  }

  async function expectUntouched(): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    const d1 = await dw.world.app.deploys.get('1');
    expect(d1?.approvals).toEqual([]);
    expect(d1?.phase === 'awaiting_approval' || d1?.phase === 'expired').toBe(true);
    expect(await dw.world.app.deploys.get('3')).toBeUndefined();
  }

  it('given clicks naming another deploy than their card\'s, then each is refused privately and nothing changes', async () => {
    const { card1, card2 } = await twoCards();

    const clicks = [
      await click(USERS.bob, 'deckhand:approve:1', card2.id),
      await click(USERS.bob, 'deckhand:deny:1', card2.id),
      // The confirming click: on a question asked from #1's card, but naming #2.
      await click(USERS.alice, 'deckhand:rollback:2:sure', 'question-1', { interactedMessageId: card1.id }),
      // A confirming click on a message that is no answer to any card click.
      await click(USERS.alice, 'deckhand:rollback:2:sure', card2.id),
    ];

    expect(clicks.map((c) => c.body)).toEqual([{ type: 6 }, { type: 6 }, { type: 6 }, { type: 6 }]);
    for (const c of clicks) await expectRefused(c.token);
    await expectUntouched();
  });

  it('given clicks on a card as if in another channel, then they are refused and nothing changes', async () => {
    const { card1, card2 } = await twoCards();

    const clicks = [
      await click(USERS.bob, 'deckhand:approve:1', card1.id, { channelId: ELSEWHERE }),
      await click(USERS.bob, 'deckhand:approve:1', card1.id, { messageChannelId: ELSEWHERE }),
      await click(USERS.alice, 'deckhand:rollback:2:sure', 'question-2', { channelId: ELSEWHERE, interactedMessageId: card2.id }),
    ];

    for (const c of clicks) await expectRefused(c.token);
    await expectUntouched();
  });

  it('given genuine clicks on the deploys\' own cards, then they still work', async () => {
    const { card1, card2 } = await twoCards();

    const approve = await click(USERS.bob, 'deckhand:approve:1', card1.id);
    const sure = await click(USERS.alice, 'deckhand:rollback:2:sure', 'question-2', { interactedMessageId: card2.id });

    expect(String(((await toldTo(approve.token)).body as { content: string }).content)).toContain('Approved deploy #1');
    expect((await dw.world.waitForPhase('1', ['succeeded', 'failed'])).approvals.map((a) => a.actor.id)).toEqual([USERS.bob.id]);
    expect((await dw.world.waitForPhase('3', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect(String(((await toldTo(sure.token)).body as { content: string }).content)).not.toContain('does not belong');
  });
});

/** The adapter alone, with CardRefs in memory: what a refused click logs and that it never reaches the pipeline. */
describe('the Discord adapter refusing a click off its card', () => {
  let discord: DiscordApiServer;
  let signer: InteractionSigner;
  let adapter: DiscordAdapter;
  const events: ChatEvent[] = [];
  const warnings: { o: object; msg: string }[] = [];
  beforeEach(async () => {
    events.length = 0;
    warnings.length = 0;
    discord = await startDiscordApiServer({ botToken: 'tok' });
    signer = createInteractionSigner();
    adapter = createDiscordAdapter({
      applicationId: APP_ID, publicKey: signer.publicKeyHex, botToken: 'tok', apiUrl: discord.apiUrl, port: 0,
      log: { warn: (o, msg) => { warnings.push({ o, msg }); }, error() {} },
    });
    const refs = memoryCardRefs();
    await refs.set('discord', '7', `${CHANNEL}/42`);
    await refs.set('discord', '8', `${CHANNEL}/43`);
    await adapter.start({ cardRefs: refs, onEvent: async (e, respond) => { events.push(e); await respond({ text: chat`ok`, ephemeral: true }); } });
  });
  afterEach(async () => {
    await adapter.stop();
    await discord.close();
  });

  it('logs a warning naming the card clicked, and hands nothing to the pipeline', async () => {
    const i = buttonInteraction({ user: USERS.bob, channelId: CHANNEL, guildId: GUILD_ID, applicationId: APP_ID, customId: 'deckhand:abort:7', messageId: '43' });
    await sendInteraction(adapter.url!, i, signer);
    await adapter.stop();

    expect(events).toEqual([]);
    expect(warnings).toEqual([{ o: expect.objectContaining({ reason: 'not_this_card', user: USERS.bob.id, channel: CHANNEL, messageId: '43', cardOf: '8' }), msg: expect.stringContaining('discord button refused') }]);
  });

  it('lets the click through on the card of the deploy it names', async () => {
    const i = buttonInteraction({ user: USERS.bob, channelId: CHANNEL, guildId: GUILD_ID, applicationId: APP_ID, customId: 'deckhand:abort:7', messageId: '42' });
    await sendInteraction(adapter.url!, i, signer);
    await adapter.stop();

    expect(events).toMatchObject([{ kind: 'action', action: 'abort', deployId: '7', channel: CHANNEL }]);
    expect(warnings).toEqual([]);
  });
});
