import type { webApi } from '@slack/bolt';
import { joinChat, type ChatText } from '../../deploy/index.ts';
import type { Card, CardRefs } from '../types.ts';
import { renderCardBlocks } from './render-card-blocks.ts';
import { renderSlackText, SLACK_NO_PARSE, SLACK_NO_UNFURL } from './render-slack-text.ts';

/** A card's place in Slack, as stored in CardRefs: `C123:1700000000.000100` (channel and message ts). */
export function cardRef(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

export function parseCardRef(ref: string): { channel: string; ts: string } | undefined {
  const i = ref.indexOf(':');
  return i > 0 ? { channel: ref.slice(0, i), ts: ref.slice(i + 1) } : undefined;
}

export interface CardPosterOptions {
  client: webApi.WebClient;
  cardRefs: CardRefs;
  log: { warn(o: object, msg: string): void };
}

/**
 * Puts one card state into Slack: posts the deploy's message the first time (exactly once across processes, through
 * CardRefs' claim), afterwards edits it with chat.update, and posts new detail lines to the message's thread.
 * Called by the coalescer, so never more than about once a second per deploy.
 */
export class CardPoster {
  private readonly o: CardPosterOptions;
  /** Refs this process knows, to save a Redis read per update. */
  private readonly refs = new Map<string, string>();
  /** Detail lines seen per deploy (per process: after a restart the newest line may be repeated once). */
  private readonly seen = new Map<string, Set<string>>();
  /** Detail lines waiting for the next card update to go to the thread. */
  private readonly notes = new Map<string, ChatText[]>();

  constructor(options: CardPosterOptions) {
    this.o = options;
  }

  async deliver(card: Card): Promise<void> {
    const message = renderCardBlocks(card);
    const ref = this.refs.get(card.deployId) ?? await this.o.cardRefs.get('slack', card.deployId);
    let where = ref ? parseCardRef(ref) : undefined;
    if (!where && card.final) {
      // Over before its card was ever posted (refused at the door: the lock was taken, say). The requester has
      // had the answer ephemerally; a public card would broadcast a denial meant for one person.
      this.seen.delete(card.deployId);
      this.notes.delete(card.deployId);
      return;
    }
    if (where) {
      await this.o.client.chat.update({ channel: where.channel, ts: where.ts, text: message.text, blocks: message.blocks, ...SLACK_NO_PARSE });
    } else if (await this.o.cardRefs.claim('slack', card.deployId)) {
      const posted = await this.o.client.chat.postMessage({ channel: card.channel, text: message.text, blocks: message.blocks, ...SLACK_NO_PARSE, ...SLACK_NO_UNFURL });
      if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
      where = { channel: posted.channel ?? card.channel, ts: posted.ts };
      await this.o.cardRefs.set('slack', card.deployId, cardRef(where.channel, where.ts));
      // A link to the card for GitHub's deployment page; a card without one is still a card.
      const link = await this.o.client.chat.getPermalink({ channel: where.channel, message_ts: where.ts }).catch(() => undefined);
      if (link?.permalink) await this.o.cardRefs.setLink('slack', card.deployId, link.permalink);
    } else {
      // Another process is posting this card right now: wait for its ref and edit that message instead.
      const theirs = await this.o.cardRefs.get('slack', card.deployId);
      where = theirs ? parseCardRef(theirs) : undefined;
      if (!where) {
        this.o.log.warn({ deployId: card.deployId }, 'slack card claimed elsewhere but never posted; the next update retries');
        return;
      }
      await this.o.client.chat.update({ channel: where.channel, ts: where.ts, text: message.text, blocks: message.blocks, ...SLACK_NO_PARSE });
    }
    this.refs.set(card.deployId, cardRef(where.channel, where.ts));
    await this.postDetails(card, where);
    if (card.final) {
      this.refs.delete(card.deployId);
      this.seen.delete(card.deployId);
    }
  }

  /**
   * Takes note of a card state's detail lines as it is handed over, before coalescing can skip that state: the
   * thread holds the whole story (approvals, phase notes, the summary) even when the card jumped past it. Live
   * progress lines stay on the card only, or a rollout would fill the thread with "2/3 updated".
   */
  collect(card: Card): void {
    if (card.progress) return;
    const seen = this.seen.get(card.deployId) ?? new Set<string>();
    this.seen.set(card.deployId, seen);
    const fresh = card.lines.filter((l) => !l.isEmpty && !seen.has(l.toString()));
    if (!fresh.length) return;
    for (const l of fresh) seen.add(l.toString());
    this.notes.set(card.deployId, [...(this.notes.get(card.deployId) ?? []), ...fresh]);
  }

  /**
   * Posts the collected lines as one thread reply (one message per card update at most, for the rate limit), cut
   * to one message's length: the card keeps the latest of them anyway.
   */
  private async postDetails(card: Card, where: { channel: string; ts: string }): Promise<void> {
    const lines = this.notes.get(card.deployId);
    if (!lines?.length) return;
    this.notes.delete(card.deployId);
    await this.o.client.chat.postMessage({ channel: where.channel, thread_ts: where.ts, text: renderSlackText(joinChat(lines, '\n')), ...SLACK_NO_PARSE, ...SLACK_NO_UNFURL });
  }
}
