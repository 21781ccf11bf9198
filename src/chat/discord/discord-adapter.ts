import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { ButtonStyle, ComponentType, InteractionResponseType, MessageFlags, Routes, type REST } from 'discord.js';
import { DeckhandError, toDeckhandError } from '../../errors.ts';
import { chat, type Actor, type ChatText } from '../../deploy/index.ts';
import { checkCardClick } from '../check-card-click.ts';
import { RecentDeliveries } from '../recent-deliveries.ts';
import type { AdapterContext, Card, CardActionId, ChatAdapter, ChatEvent, Reply } from '../types.ts';
import { createCardPoster, type CardPoster } from './create-card-poster.ts';
import { createDiscordRest } from './create-discord-rest.ts';
import { decodeCustomId, encodeCustomId } from './custom-id.ts';
import { readCommandText } from './read-command-text.ts';
import { DISCORD_CONTENT_MAX, renderDiscordText } from './render-discord-text.ts';
import { Interaction, type DiscordUser } from './schema.ts';
import { toDiscordError } from './to-discord-error.ts';
import { discordPublicKey, verifyDiscordSignature } from './verify-discord-signature.ts';

/** A request, with its raw body when the one HTTP server has already read it (it signs the exact bytes). */
export type InteractionRequest = IncomingMessage & { rawBody?: Buffer };
export type InteractionsHandler = (req: InteractionRequest, res: ServerResponse) => Promise<void>;

export interface DiscordAdapterOptions {
  applicationId: string;
  /**
   * The application's public key (64 hex characters, DISCORD_PUBLIC_KEY): only requests it signed are served.
   * Optional in the type so `{ ...config.runtime.discord }` fits; without it the adapter refuses to start.
   */
  publicKey?: string;
  botToken: string;
  /** DISCORD_API_URL; Discord's own API when absent. */
  apiUrl?: string;
  /**
   * Serve the interactions endpoint on its own port (0 picks a free one) until it is mounted on Deckhand's one
   * HTTP server; absent means: only `handler` is offered, for mounting.
   */
  port?: number;
  /** Least time between two edits of the same card (default 1000 ms). */
  cardIntervalMs?: number;
  log?: { warn(o: object, msg: string): void; error(o: object, msg: string): void };
  now?: () => number;
}

export interface DiscordAdapter extends ChatAdapter {
  readonly platform: 'discord';
  /** The interactions endpoint: mount it at the URL set as "Interactions Endpoint URL" in the developer portal. */
  readonly handler: InteractionsHandler;
  /** `http://127.0.0.1:<port>/` once started with `port`. */
  readonly url: string | undefined;
}

const BODY_LIMIT = 1024 * 1024;
const EPHEMERAL = MessageFlags.Ephemeral;
const SUPPRESS_EMBEDS = MessageFlags.SuppressEmbeds;

/**
 * The "are you sure?" of a button when this process has not seen the card's own wording (the click may reach
 * another Deckhand process than the one that posted the card; a custom_id is too short to carry it).
 */
const CONFIRM_FALLBACK: Partial<Record<CardActionId, (id: string) => string>> = {
  abort: (id) => `Abort deploy #${id} and restore the previous version?`,
  rollback: (id) => `Roll back what deploy #${id} released, to the version before it?`,
};
const CONFIRM_MEMORY = 500;

/**
 * The person clicking or typing: their Discord user id (what config links to a person; the username is shown only)
 * and, in a guild, their roles by id, which a config group may list as `discord-role:<id>`.
 */
function actorOf(user: DiscordUser, roles: readonly string[] = []): Actor {
  return { id: user.id, name: user.username, platform: 'discord', groups: roles.map((r) => `discord-role:${r}`) };
}

function readBody(req: InteractionRequest): Promise<Buffer | undefined> {
  if (req.rawBody) return Promise.resolve(req.rawBody);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A reply as message content: the Discord renderer escapes its user text and cuts it to 2,000 characters. */
const contentOf = (text: ChatText): string => renderDiscordText(text, DISCORD_CONTENT_MAX);

/**
 * The card a click was made on, in CardRefs' `channel/message` form, or undefined when the payload does not say
 * consistently. A card's own button is on the card; a confirming `sure` button is on the ephemeral question Deckhand
 * answered the card's button with, whose `interaction_metadata.interacted_message_id` Discord sets to that card.
 */
function clickedCardRef(i: Extract<Interaction, { type: 3 }>, channel: string, kind: 'act' | 'sure'): string | undefined {
  const message = i.message;
  if (!message || (message.channel_id !== undefined && message.channel_id !== channel)) return undefined;
  const card = kind === 'sure' ? message.interaction_metadata?.interacted_message_id : message.id;
  return card === undefined ? undefined : `${channel}/${card}`;
}

/**
 * Discord as a chat: slash commands and card buttons arrive at the HTTP interactions endpoint, are verified
 * (ed25519) before anything else, acknowledged at once with a deferred response (Discord drops an interaction
 * not answered within 3 s), and answered afterwards through the interaction's webhook. Cards are bot messages
 * edited in place.
 *
 * Replies: a command's deferred "thinking…" message becomes the public reply; an ephemeral reply (problems,
 * denials) replaces it with a message only the requester sees. Button clicks always answer ephemerally — the card
 * itself is the public record. Buttons that need an "are you sure?" ask first, ephemerally.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  if (options.publicKey === undefined || !/^[0-9a-fA-F]{64}$/.test(options.publicKey)) {
    throw new DeckhandError('config_invalid', 'DISCORD_PUBLIC_KEY must be the 64 hex characters of the application\'s public key to receive Discord interactions.');
  }
  const key: KeyObject = discordPublicKey(options.publicKey);
  const rest: REST = createDiscordRest({ botToken: options.botToken, apiUrl: options.apiUrl });
  const now = options.now ?? Date.now;
  const log = options.log;
  const inFlight = new Set<Promise<void>>();
  /**
   * Interaction ids handled lately. Discord sends each interaction once and signs its timestamp, so a repeat within
   * the 5-minute window is someone replaying a captured request; it is refused before it becomes an event.
   */
  const deliveries = new RecentDeliveries();
  /** The confirm wording of the cards this process showed, by `deployId:action`, oldest first (bounded). */
  const confirms = new Map<string, string>();
  let ctx: AdapterContext | undefined;
  let poster: CardPoster | undefined;
  let server: Server | undefined;
  let url: string | undefined;

  const app = options.applicationId;
  // A public answer shows no preview of a link somebody typed into it (an ephemeral one has nobody to mislead, and
  // Discord keeps its flag as it is).
  const followUp = (token: string, reply: Reply, flags = reply.ephemeral ? EPHEMERAL : SUPPRESS_EMBEDS): Promise<unknown> =>
    rest.post(Routes.webhook(app, token), { body: { content: contentOf(reply.text), flags, allowed_mentions: { parse: [] } }, auth: false });
  const editOriginal = (token: string, body: { content?: string; components?: unknown[] }): Promise<unknown> =>
    rest.patch(Routes.webhookMessage(app, token, '@original'), { body: { allowed_mentions: { parse: [] }, ...(body.content !== undefined && { flags: SUPPRESS_EMBEDS }), ...body }, auth: false });
  const deleteOriginal = (token: string): Promise<unknown> => rest.delete(Routes.webhookMessage(app, token, '@original'), { auth: false });

  /** Runs the event after the HTTP answer went out; every failure ends as an ephemeral word to the person. */
  function background(event: ChatEvent, respond: (reply: Reply) => Promise<void>, onNoReply?: () => Promise<unknown>): Promise<void> {
    const work = (async () => {
      let replied = false;
      const once = async (reply: Reply): Promise<void> => {
        replied = true;
        await respond(reply);
      };
      try {
        await ctx!.onEvent(event, once);
        if (!replied) await onNoReply?.();
      } catch (err) {
        // Discord failures arrive already wrapped with a token-free cause; anything else is kept as it is.
        const e = toDeckhandError(err);
        log?.error({ code: e.code, err: e.cause ?? e, deliveryId: event.deliveryId }, 'discord interaction failed');
        if (!replied) await respond({ text: chat`⚠️ Something went wrong inside Deckhand; nothing more was done.`, ephemeral: true }).catch(() => {});
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  }

  function base(i: Extract<Interaction, { type: 2 | 3 }>): { actor: Actor; channel: string } | undefined {
    const user = i.member?.user ?? i.user;
    const channel = i.channel_id ?? i.channel?.id;
    if (!user || !channel) return undefined;
    return { actor: actorOf(user, i.member?.roles), channel };
  }

  function onCommand(i: Extract<Interaction, { type: 2 }>, res: ServerResponse): void {
    const where = base(i);
    if (!where) return sendJson(res, 400, { error: 'an interaction needs a user and a channel' });
    sendJson(res, 200, { type: InteractionResponseType.DeferredChannelMessageWithSource });
    const event: ChatEvent = {
      kind: 'message', platform: 'discord', ...where,
      text: readCommandText(i.data.name, i.data.options),
      deliveryId: i.id,
      addressed: true,
    };
    let first = true;
    background(event, async (reply) => {
      try {
        if (!first) {
          await followUp(i.token, reply);
        } else if (reply.ephemeral) {
          first = false;
          // A deferred message keeps the visibility it was deferred with, so a private answer takes its place.
          await deleteOriginal(i.token).catch(() => {});
          await followUp(i.token, reply);
        } else {
          first = false;
          await editOriginal(i.token, { content: contentOf(reply.text) });
        }
      } catch (err) {
        throw toDiscordError(err, 'answer a Discord command');
      }
    }, () => deleteOriginal(i.token));
  }

  function onButton(i: Extract<Interaction, { type: 3 }>, res: ServerResponse): void {
    const where = base(i);
    const intent = decodeCustomId(i.data.custom_id);
    if (!where || !intent) {
      return sendJson(res, 200, { type: InteractionResponseType.ChannelMessageWithSource, data: { content: contentOf(chat`This button is not one Deckhand knows (perhaps from an older card). Use a command instead, like \`/status\`.`), flags: EPHEMERAL, allowed_mentions: { parse: [] } } });
    }
    switch (intent.kind) {
      case 'cancel':
        return sendJson(res, 200, { type: InteractionResponseType.UpdateMessage, data: { content: contentOf(chat`Nothing was changed on deploy #${intent.deployId}.`), components: [], allowed_mentions: { parse: [] } } });
      case 'ask': {
        const prompt = confirms.get(`${intent.deployId}:${intent.action}`) ?? CONFIRM_FALLBACK[intent.action]?.(intent.deployId) ?? `${intent.action} deploy #${intent.deployId}?`;
        return sendJson(res, 200, {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: {
            content: contentOf(chat`${prompt}`),
            flags: EPHEMERAL,
            allowed_mentions: { parse: [] },
            components: [{
              type: ComponentType.ActionRow,
              components: [
                { type: ComponentType.Button, style: ButtonStyle.Danger, label: `Yes, ${intent.action.replace('rollback', 'roll back')}`, custom_id: encodeCustomId({ kind: 'sure', action: intent.action, deployId: intent.deployId }) },
                { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: encodeCustomId({ kind: 'cancel', deployId: intent.deployId }) },
              ],
            }],
          },
        });
      }
      case 'act': case 'sure':
        break;
      default: {
        const never: never = intent;
        return never;
      }
    }
    // Acknowledge without touching the message: the card changes through upsertCard as the deploy moves.
    sendJson(res, 200, { type: InteractionResponseType.DeferredMessageUpdate });
    const event: ChatEvent = { kind: 'action', platform: 'discord', ...where, action: intent.action, deployId: intent.deployId, deliveryId: i.id };
    const respond = async (reply: Reply): Promise<void> => {
      try {
        // The confirmation question is the message clicked: it becomes the answer, its buttons gone.
        if (intent.kind === 'sure') await editOriginal(i.token, { content: contentOf(reply.text), components: [] });
        else await followUp(i.token, reply, EPHEMERAL);
      } catch (err) {
        throw toDiscordError(err, 'answer a Discord button');
      }
    };
    const checked = (async () => {
      const verdict = await checkCardClick(ctx!.cardRefs, 'discord', clickedCardRef(i, where.channel, intent.kind), intent.deployId);
      // Awaited so that stop(), waiting for this check, also waits for the event it lets through.
      if (verdict.kind === 'ok') return background(event, respond);
      log?.warn({ reason: verdict.reason, user: where.actor.id, channel: where.channel, messageId: i.message?.id, cardOf: verdict.cardOf, deliveryId: i.id }, 'discord button refused: not clicked on the card of the deploy it names');
      await respond({ text: verdict.reply, ephemeral: true });
    })().catch((err: unknown) => {
      log?.error({ err: (err as DeckhandError).cause ?? err, deliveryId: i.id }, 'discord interaction failed');
    });
    inFlight.add(checked);
    void checked.finally(() => inFlight.delete(checked));
  }

  const handler: InteractionsHandler = async (req, res) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
    const body = await readBody(req).catch(() => undefined);
    if (body === undefined) return sendJson(res, 413, { error: 'body too large' });
    const sig = req.headers['x-signature-ed25519'];
    const ts = req.headers['x-signature-timestamp'];
    // Nothing is parsed, logged or queued before the signature holds.
    if (!verifyDiscordSignature(key, typeof sig === 'string' ? sig : undefined, typeof ts === 'string' ? ts : undefined, body, now())) {
      return sendJson(res, 401, { error: 'invalid request signature' });
    }
    let parsed: ReturnType<typeof Interaction.safeParse>;
    try {
      // Inside the try too: a signed body nested thousands of levels deep overflows the (recursive) schema check.
      parsed = Interaction.safeParse(JSON.parse(body.toString('utf8')));
    } catch {
      return sendJson(res, 400, { error: 'body is not an interaction' });
    }
    if (!parsed.success) return sendJson(res, 400, { error: 'not an interaction Deckhand answers' });
    const i = parsed.data;
    if (i.type === 1) return sendJson(res, 200, { type: InteractionResponseType.Pong });
    if (!ctx) return sendJson(res, 503, { error: 'Deckhand is starting' });
    if (!deliveries.firstTime(i.id)) {
      log?.warn({ deliveryId: i.id }, 'discord interaction received again; refused as a replay');
      return sendJson(res, 409, { error: 'interaction already received' });
    }
    if (i.type === 2) return onCommand(i, res);
    return onButton(i, res);
  };

  return {
    platform: 'discord',
    handler,
    get url() { return url; },
    async start(context) {
      ctx = context;
      poster = createCardPoster({
        rest, cardRefs: context.cardRefs, minIntervalMs: options.cardIntervalMs,
        onError: (err) => log?.error({ err: (err as DeckhandError).cause ?? err }, 'discord card update failed'),
      });
      if (options.port !== undefined) {
        server = createServer((req, res) => {
          handler(req, res).catch((err: unknown) => {
            log?.error({ err }, 'discord interactions handler failed');
            if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
          });
        });
        await new Promise<void>((resolve) => server!.listen(options.port, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      }
    },
    async upsertCard(card: Card) {
      for (const a of card.actions) {
        if (!a.confirm) continue;
        const k = `${card.deployId}:${a.id}`;
        confirms.delete(k);
        confirms.set(k, a.confirm);
        if (confirms.size > CONFIRM_MEMORY) confirms.delete(confirms.keys().next().value!);
      }
      if (!poster) throw new DeckhandError('internal_error', 'The Discord adapter was given a card before it started.');
      await poster.upsert(card);
    },
    async stop() {
      if (server) {
        const s = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      }
      await Promise.allSettled([...inFlight]);
      await poster?.flush();
    },
  };
}
