import type { Actor } from '../deploy/index.ts';

export type Platform = Actor['platform'];

/** A verified message from a chat platform, addressed to Deckhand (or possibly so: the parser decides). */
export interface ChatEvent {
  platform: Platform;
  text: string;
  actor: Actor;
  channel: string;
  /**
   * Stable across re-deliveries of the same user action (Slack retries, double clicks), so the pipeline can make
   * the request idempotent.
   */
  deliveryId: string;
  /** True when the message can only be meant for Deckhand (slash command, DM, console). */
  addressed: boolean;
}

/** A button on a card. `value` is what comes back when it is clicked. */
export interface CardAction {
  id: 'approve' | 'deny' | 'rollback' | 'promote' | 'pause' | 'resume' | 'abort';
  label: string;
  style?: 'primary' | 'danger';
  /** Ask "are you sure?" first. */
  confirm?: string;
}

/** Platform-neutral deploy card; each adapter renders it (Block Kit, Discord embed, console text). */
export interface Card {
  deployId: string;
  channel: string;
  title: string;
  /** One line: emoji + words, readable on a phone. */
  status: string;
  progress?: { done: number; total: number; label: string };
  fields: { label: string; value: string }[];
  lines: string[];
  actions: CardAction[];
  /** True once the deploy is over: the last update of this card. */
  final: boolean;
}

export interface Reply {
  text: string;
  /** Shown only to the person who asked (errors, denials). */
  ephemeral?: boolean;
}

export interface ChatAdapter {
  readonly platform: Platform;
  /** Starts listening; every verified event goes to `onEvent`, which answers through `respond`. */
  start(onEvent: (event: ChatEvent, respond: (reply: Reply) => Promise<void>) => Promise<void>): Promise<void>;
  /** Posts the card for a deploy, or updates it in place if it was posted before. */
  upsertCard(card: Card): Promise<void>;
  stop(): Promise<void>;
}
