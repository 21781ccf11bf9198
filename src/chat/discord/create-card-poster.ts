import { Routes, type REST } from 'discord.js';
import type { Card, CardRefs } from '../types.ts';
import { renderCardMessage } from './render-card-message.ts';
import { toDiscordError } from './to-discord-error.ts';

export interface CardPoster {
  /**
   * Shows the card. Non-final updates return at once and are coalesced: while one edit is in flight or within
   * `minIntervalMs` of the last, only the newest card is kept. A final card resolves once it is on Discord.
   */
  upsert(card: Card): Promise<void>;
  /** Resolves once every card given so far is delivered (or has failed). */
  flush(): Promise<void>;
}

/** How long a claim to post a card lasts when its poster never records the message (store/CardStore). */
const CLAIM_TTL_MS = 30_000;

interface Slot {
  latest: Card;
  sentBody?: string;
  running?: Promise<void>;
}

/**
 * Deploy cards as bot messages in the deploy's channel, one message per deploy (claimed through CardRefs so two
 * Deckhand processes never post two), edited in place. Rapid rollout progress becomes at most one edit per
 * interval per card, well inside Discord's per-channel edit limits.
 */
export function createCardPoster(o: { rest: REST; cardRefs: CardRefs; minIntervalMs?: number; onError: (err: unknown) => void }): CardPoster {
  const interval = o.minIntervalMs ?? 1000;
  const slots = new Map<string, Slot>();
  const refs = new Map<string, string>();
  const failedPosts = new Map<string, number>();
  /** Channel → its guild (`@me` outside one): a message link needs it, and a channel never changes guild. */
  const guilds = new Map<string, string>();

  /** `https://discord.com/channels/<guild>/<channel>/<message>`, the link Discord's "Copy Message Link" gives. */
  async function messageLink(channelId: string, messageId: string): Promise<string> {
    let guild = guilds.get(channelId);
    if (guild === undefined) {
      const channel = await o.rest.get(Routes.channel(channelId)) as { guild_id?: string };
      guild = channel.guild_id ?? '@me';
      guilds.set(channelId, guild);
    }
    return `https://discord.com/channels/${guild}/${channelId}/${messageId}`;
  }

  async function deliver(card: Card, body: ReturnType<typeof renderCardMessage>): Promise<void> {
    // After a failed post our own claim stands until it expires, and waiting on it would stall every card of
    // this process (updates are delivered in order); the card stays missing until the claim lapses.
    if (!refs.has(card.deployId) && Date.now() - (failedPosts.get(card.deployId) ?? -Infinity) < CLAIM_TTL_MS) return;
    let ref = refs.get(card.deployId) ?? await o.cardRefs.get('discord', card.deployId);
    if (ref === undefined) {
      if (await o.cardRefs.claim('discord', card.deployId)) {
        let msg: { id: string };
        try {
          msg = await o.rest.post(Routes.channelMessages(card.channel), { body: { ...body, allowed_mentions: { parse: [] } } }) as { id: string };
        } catch (err) {
          failedPosts.set(card.deployId, Date.now());
          throw err;
        }
        failedPosts.delete(card.deployId);
        ref = `${card.channel}/${msg.id}`;
        await o.cardRefs.set('discord', card.deployId, ref);
        refs.set(card.deployId, ref);
        // A link to the card for GitHub's deployment page; a card without one is still a card.
        const link = await messageLink(card.channel, msg.id).catch(() => undefined);
        if (link) await o.cardRefs.setLink('discord', card.deployId, link);
        return;
      }
      // Another process is posting it; edit its message once it is known.
      ref = await o.cardRefs.get('discord', card.deployId);
      if (ref === undefined) return;
    }
    refs.set(card.deployId, ref);
    const [channelId, messageId] = ref.split('/') as [string, string];
    await o.rest.patch(Routes.channelMessage(channelId, messageId), { body: { ...body, allowed_mentions: { parse: [] } } });
  }

  const bodyOf = (card: Card): string => JSON.stringify(renderCardMessage(card));

  async function drain(slot: Slot): Promise<void> {
    for (;;) {
      const card = slot.latest;
      const message = renderCardMessage(card);
      const body = JSON.stringify(message);
      if (body === slot.sentBody) return;
      try {
        await deliver(card, message);
      } catch (err) {
        o.onError(toDiscordError(err, `update the Discord card of deploy #${card.deployId}`));
      }
      // Not retried on failure: the next update carries the whole card anyway.
      slot.sentBody = body;
      if (card.final) return;
      // The pause applies to the next edit; updates arriving meanwhile replace each other in `latest`.
      await new Promise((r) => setTimeout(r, interval));
    }
  }

  function run(slot: Slot, deployId: string): Promise<void> {
    slot.running ??= (async () => {
      try {
        // An update can land between drain's last look and this line; look once more before letting go.
        do await drain(slot); while (bodyOf(slot.latest) !== slot.sentBody);
      } finally {
        slot.running = undefined;
        if (slot.latest.final && bodyOf(slot.latest) === slot.sentBody) {
          slots.delete(deployId);
          refs.delete(deployId);
          failedPosts.delete(deployId);
        }
      }
    })();
    return slot.running;
  }

  return {
    async upsert(card) {
      const slot = slots.get(card.deployId) ?? { latest: card };
      slot.latest = card;
      slots.set(card.deployId, slot);
      const running = run(slot, card.deployId);
      if (card.final) await running;
    },
    async flush() {
      await Promise.all([...slots.values()].map((s) => s.running));
    },
  };
}
