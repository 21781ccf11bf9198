import type { Actor, ChatText, DeployLink } from '../deploy/index.ts';

export type Platform = Actor['platform'];

interface ChatEventBase {
  platform: Platform;
  actor: Actor;
  channel: string;
  /**
   * Stable across re-deliveries of the same user action (Slack retries, double clicks), so the pipeline can make
   * the request idempotent.
   */
  deliveryId: string;
}

/** Something a person did in chat, verified by the adapter. Messages go through the parser; clicks and reactions don't. */
export type ChatEvent =
  | (ChatEventBase & {
    kind: 'message';
    text: string;
    /** True when the message can only be meant for Deckhand (slash command, DM, console). */
    addressed: boolean;
    /** The platform's id for the bot, to recognise `<@U123> deploy …` mentions. */
    botUserId?: string;
  })
  /** A button on a deploy card. */
  | (ChatEventBase & { kind: 'action'; action: CardActionId; deployId: string })
  /** The approval reaction added to (or removed from) a deploy card. */
  | (ChatEventBase & { kind: 'reaction'; added: boolean; deployId: string });

export type CardActionId = 'approve' | 'deny' | 'rollback' | 'promote' | 'pause' | 'resume' | 'abort';

/** A button on a card. `value` is what comes back when it is clicked. */
export interface CardAction {
  id: CardActionId;
  label: string;
  style?: 'primary' | 'danger';
  /** Ask "are you sure?" first. */
  confirm?: string;
}

/**
 * Platform-neutral deploy card; each adapter renders it (Block Kit, Discord embed, console text). Whatever can hold
 * somebody else's text (a version as typed, a name, a reason, a summary) is ChatText, escaped by the renderer;
 * plain strings here are Deckhand's own words and numbers.
 */
export interface Card {
  deployId: string;
  channel: string;
  title: ChatText;
  /** One line: emoji + words, readable on a phone. */
  status: ChatText;
  progress?: { done: number; total: number; label: string };
  fields: { label: string; value: ChatText }[];
  lines: ChatText[];
  actions: CardAction[];
  /**
   * The service's links (dashboards, logs, traces, errors) with the deploy's time range filled in: http(s) URLs whose
   * values were percent-encoded; each renderer still escapes the label and the URL for its markup.
   */
  links?: DeployLink[];
  /** True once the deploy is over: the last update of this card. */
  final: boolean;
}

export interface Reply {
  /** Rendered (escaped, cut to the platform's limit) by the adapter that sends it. */
  text: ChatText;
  /** Shown only to the person who asked (errors, denials). */
  ephemeral?: boolean;
}

export interface AdapterContext {
  onEvent(event: ChatEvent, respond: (reply: Reply) => Promise<void>): Promise<void>;
  cardRefs: CardRefs;
}

export interface ChatAdapter {
  readonly platform: Platform;
  /** Starts listening; every verified event goes to `ctx.onEvent`, which answers through `respond`. */
  start(ctx: AdapterContext): Promise<void>;
  /** Posts the card for a deploy, or updates it in place if it was posted before. */
  upsertCard(card: Card): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Which chat message shows which deploy's card, shared by every Deckhand process (store/CardStore), so that a deploy
 * gets exactly one card even with several processes and across restarts.
 */
export interface CardRefs {
  /** Claims the right to post the card; false if another process already did (or is doing) so. */
  claim(platform: Platform, deployId: string): Promise<boolean>;
  /** Records where the card was posted (e.g. Slack's channel and ts). */
  set(platform: Platform, deployId: string, ref: string): Promise<void>;
  /** Where the card is, waiting briefly for a claim in progress elsewhere; undefined if never posted. */
  get(platform: Platform, deployId: string): Promise<string | undefined>;
  /** The deploy a posted card belongs to (reactions name the message, not the deploy). */
  deployOf(platform: Platform, ref: string): Promise<string | undefined>;
  /** Records a link people can open to reach the card (Slack's permalink); GitHub deployments point at it. */
  setLink(platform: Platform, deployId: string, url: string): Promise<void>;
  link(platform: Platform, deployId: string): Promise<string | undefined>;
}
