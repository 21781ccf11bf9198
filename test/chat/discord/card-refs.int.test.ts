import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/chat/discord/index.ts';
import type { Card } from '../../../src/chat/types.ts';
import { chat } from '../../../src/deploy/index.ts';
import { CardStore, closeRedis, connectRedis, type Redis } from '../../../src/store/index.ts';
import { createInteractionSigner, SIM_GUILD_ID, startDiscordApiServer, type DiscordApiServer } from '@deckhand/sim/discord';

const CHANNEL = '900000000000000010';

function card(over: Partial<Card> = {}): Card {
  return { deployId: '5', channel: CHANNEL, title: chat`#5 api v1.5.0 (rolling) → staging`, status: chat`🕐 Queued`, fields: [], lines: [], actions: [], final: false, ...over };
}

describe('Discord cards across Deckhand processes (CardRefs in real Redis)', () => {
  let redis: Redis;
  let discord: DiscordApiServer;
  let adapters: DiscordAdapter[];

  beforeEach(async () => {
    redis = connectRedis(inject('redisUrl'));
    discord = await startDiscordApiServer({ botToken: 'tok' });
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const key = createInteractionSigner().publicKeyHex;
    adapters = [0, 1].map(() => createDiscordAdapter({ applicationId: '1', publicKey: key, botToken: 'tok', apiUrl: discord.apiUrl, cardIntervalMs: 50 }));
    for (const a of adapters) await a.start({ cardRefs: new CardStore(redis, prefix), onEvent: async () => {} });
  });
  afterEach(async () => {
    for (const a of adapters) await a.stop();
    await discord.close();
    await closeRedis(redis);
  });

  it('two processes updating the same deploy post one message and both edit it', async () => {
    await Promise.all([adapters[0]!.upsertCard(card({ status: chat`🚀 Rolling out` })), adapters[1]!.upsertCard(card({ status: chat`🚀 Rolling out`, lines: [chat`1/3`] }))]);
    await adapters[0]!.upsertCard(card({ status: chat`✅ Succeeded`, final: true }));
    await adapters[1]!.upsertCard(card({ status: chat`✅ Succeeded`, lines: [chat`done`], final: true }));

    expect(discord.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    const messages = discord.channelMessages(CHANNEL);
    expect(messages).toHaveLength(1);
    expect((messages[0]!.embeds[0] as { description: string }).description).toBe('**✅ Succeeded**\ndone');
  });

  it('a card whose post failed does not stall later updates', async () => {
    discord.failNext(/^\/channels\/\d+\/messages$/, 403);
    await adapters[0]!.upsertCard(card());
    const started = Date.now();
    for (let i = 0; i < 5; i++) await adapters[0]!.upsertCard(card({ lines: [chat`${i}`] }));
    await adapters[0]!.stop();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('records a link to the card (guild, channel, message) for GitHub deployments, asking Discord once per channel', async () => {
    const store = new CardStore(redis, `t${randomBytes(4).toString('hex')}`);
    const adapter = createDiscordAdapter({ applicationId: '1', publicKey: createInteractionSigner().publicKeyHex, botToken: 'tok', apiUrl: discord.apiUrl, cardIntervalMs: 50 });
    adapters.push(adapter);
    await adapter.start({ cardRefs: store, onEvent: async () => {} });
    await adapter.upsertCard(card({ deployId: '8', final: true }));
    await adapter.upsertCard(card({ deployId: '9', final: true }));

    const [first, second] = discord.channelMessages(CHANNEL);
    expect(await store.link('discord', '8')).toBe(`https://discord.com/channels/${SIM_GUILD_ID}/${CHANNEL}/${first!.id}`);
    expect(await store.link('discord', '9')).toBe(`https://discord.com/channels/${SIM_GUILD_ID}/${CHANNEL}/${second!.id}`);
    expect(discord.calls.filter((c) => c.method === 'GET' && c.route === `/channels/${CHANNEL}`)).toHaveLength(1);
  });
});
