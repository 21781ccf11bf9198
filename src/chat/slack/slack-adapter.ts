import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type RespondFn, type webApi } from '@slack/bolt';
import type { Actor } from '../../deploy/index.ts';
import { DeckhandError } from '../../errors.ts';
import { checkCardClick } from '../check-card-click.ts';
import { RecentDeliveries } from '../recent-deliveries.ts';
import type { AdapterContext, Card, ChatAdapter, ChatEvent, Reply } from '../types.ts';
import { ACTION_ID_PATTERN, cardActionOf } from './action-ids.ts';
import { boltLoggerFor, type AdapterLog } from './bolt-logger.ts';
import { CardPoster, cardRef } from './card-poster.ts';
import { decodeSlackText } from './decode-slack-text.ts';
import { guardSlackRequest } from './guard-slack-request.ts';
import { renderSlackText, SLACK_NO_PARSE, SLACK_NO_UNFURL } from './render-slack-text.ts';
import { AppMentionEvent, BlockAction, BlockActionsBody, EventEnvelope, ReactionEvent, SlashCommand } from './schema.ts';
import { UpdateCoalescer } from './update-coalescer.ts';
import { UserDirectory } from './user-directory.ts';
import { WorkQueue } from './work-queue.ts';

export interface SlackAdapterOptions {
  botToken: string;
  /** HTTP mode: Slack signs every request with it; requests that fail the check (or are > 5 min old) get a 401. */
  signingSecret?: string;
  /** Socket Mode (an app-level `xapp-` token): Deckhand dials out to Slack, no public URL needed. Wins over HTTP. */
  appToken?: string;
  /** Slack Web API base (`https://slack.com/api/` by default): an Enterprise proxy, or a local server in tests. */
  apiUrl?: string;
  /**
   * HTTP mode: where to listen (Bolt's default path `/slack/events` takes commands, events and interactivity).
   * `false` listens nowhere: mount `requestListener` on a server of your own.
   */
  listen?: number | { port: number; host?: string } | false;
  /** The reaction on a card that counts as an approval (Slack's name, without colons). */
  approvalEmoji?: string;
  /** Read people's Slack user groups (usergroups:read) as policy groups. */
  userGroups?: boolean;
  /** Least time between two edits of one card (Slack: about one chat.update per second per message). */
  cardUpdateIntervalMs?: number;
  /** How many events go through the pipeline at once; the rest wait their turn (acks never wait). */
  concurrency?: number;
  log?: AdapterLog;
}

export interface SlackAdapter extends ChatAdapter {
  readonly mode: 'http' | 'socket';
  /** HTTP mode: Bolt's request handler (signature check included), for mounting on Deckhand's one HTTP server. */
  readonly requestListener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** HTTP mode, once started with `listen`: the bound address, e.g. `http://127.0.0.1:3000/slack/events`. */
  readonly url: string | undefined;
  /** Resolves once every card update handed over so far has reached Slack. */
  flushCards(): Promise<void>;
  /** Checks the bot token with Slack before anything else is started (a coded `config_invalid` error if refused). */
  preflight(): Promise<void>;
}

const SILENT: AdapterLog = { debug() {}, info() {}, warn() {}, error() {} };

/** The error code Slack's Web API answered with (`not_in_channel`, `ratelimited` …), for the log. */
function slackErrorOf(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * The Slack adapter on Bolt. Every listener acknowledges first (Slack's 3-second limit) and hands the verified event
 * to the pipeline without waiting for it; answers go back through the response_url (slash commands, buttons) or
 * chat.postEphemeral / a thread reply (reactions, mentions). Cards go out through a per-deploy coalescer.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const log = options.log ?? SILENT;
  const mode: 'http' | 'socket' = options.appToken ? 'socket' : 'http';
  const clientOptions: webApi.WebClientOptions = {
    ...(options.apiUrl && { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` }),
    // A few retries over about 8 s (429s wait out their Retry-After first) instead of the WebClient's 30 minutes:
    // a card update stuck in retries holds back the newer state behind it, and a bad token should fail start.
    retryConfig: { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 4000, randomize: true },
  };
  const logger = boltLoggerFor(log);
  let receiver: HTTPReceiver | SocketModeReceiver;
  if (mode === 'socket') {
    // apps.connections.open goes through the socket client's own WebClient, which takes the proxy URL here.
    receiver = new SocketModeReceiver({ appToken: options.appToken ?? '', logger, installerOptions: { clientOptions } });
  } else {
    if (!options.signingSecret) throw new DeckhandError('config_invalid', 'Slack over HTTP needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode).');
    receiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      logger,
      // Ack first, work after: the 200 goes out when a listener calls ack(), not when it finishes.
      processBeforeResponse: false,
      // A listener that never acks would otherwise hold Slack for Bolt's default; Slack gives up at 3 s anyway.
      unhandledRequestTimeoutMillis: 2500,
      // The guard in front (below) verifies the signature and the ±5 min window of every request on every way in;
      // Bolt checking the same HMAC again only added work per request (`npm run bench -- slack`: ack p99 223 ms with both,
      // 99–201 ms with the guard alone).
      signatureVerification: false,
    });
    // Bolt's own server (the `listen` option) calls `this.requestListener`, so replacing it guards both ways in:
    // mounted on Deckhand's HTTP server and listening on a port of the adapter's own.
    receiver.requestListener = guardSlackRequest(receiver.requestListener, { signingSecret: options.signingSecret, log });
  }
  const app = new App({
    token: options.botToken, receiver, logger, clientOptions,
    // auth.test runs in start(), where a bad token can fail loudly, not in the constructor.
    deferInitialization: true,
    // Bolt's conversation store is per-process memory Deckhand never reads; skip its work on every request.
    convoStore: false,
  });
  const approvalEmoji = options.approvalEmoji ?? 'white_check_mark';
  const deliveries = new RecentDeliveries();
  const users = new UserDirectory({
    client: app.client, userGroups: options.userGroups ?? true,
    onError: (err, what) => log.warn({ slackError: slackErrorOf(err), err }, `slack ${what} failed; using what the payload says`),
  });
  // Measured with `npm run bench -- slack` on a 2-CPU machine: 4 at a time, started once requests pause for 30 ms
  // (at most 1 s late), acked a 200-command burst with about half the p99 of starting each event at once.
  const work = new WorkQueue({ concurrency: options.concurrency ?? 4, quietMs: 30, maxHoldMs: 1000 });
  let ctx: AdapterContext | undefined;
  let poster: CardPoster | undefined;
  let server: Server | undefined;
  let botUserId: string | undefined;
  const coalescer = new UpdateCoalescer<Card>({
    intervalMs: options.cardUpdateIntervalMs ?? 1000,
    send: async (_id, card) => { await poster?.deliver(card); },
    onError: (err, deployId) => log.error({ err, slackError: slackErrorOf(err), deployId }, 'slack card update failed'),
  });

  /**
   * Hands an event to the pipeline after the ack, through the work queue. `deliveryKey` is checked first, so a
   * re-delivery is dropped before any work; `build` (which may ask Slack who the user is) runs in the queue too.
   */
  function dispatch(deliveryKey: string, build: () => Promise<ChatEvent | undefined>, respond: (reply: Reply) => Promise<void>): void {
    const c = ctx;
    if (!c) return;
    if (!deliveries.firstTime(deliveryKey)) {
      log.info({ deliveryKey }, 'slack re-delivery ignored');
      return;
    }
    const safeRespond = async (reply: Reply): Promise<void> => {
      try {
        await respond(reply);
      } catch (err) {
        log.error({ err, slackError: slackErrorOf(err), deliveryKey }, 'slack reply failed');
      }
    };
    work.push(async () => {
      try {
        const event = await build();
        if (event) await c.onEvent(event, safeRespond);
      } catch (err) {
        log.error({ err, deliveryKey }, 'slack event failed');
      }
    });
  }

  /** Replies through a response_url: ephemeral to the person, or in the channel for everyone. */
  function viaResponseUrl(respond: RespondFn, options: { replaceOriginal?: false } = {}): (reply: Reply) => Promise<void> {
    return async (reply) => {
      const res = await respond({
        text: renderSlackText(reply.text), response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', ...SLACK_NO_PARSE, ...SLACK_NO_UNFURL,
        ...(options.replaceOriginal === false && { replace_original: false }),
      });
      if (!res.ok) log.warn({ status: res.status }, 'slack response_url refused the reply');
    };
  }

  function ephemeralTo(channel: string, user: string, threadTs?: string): (reply: Reply) => Promise<void> {
    return async (reply) => {
      await app.client.chat.postEphemeral({ channel, user, text: renderSlackText(reply.text), ...SLACK_NO_PARSE, ...(threadTs && { thread_ts: threadTs }) });
    };
  }

  /** The person behind a Slack user id; `team` (the Enterprise org, else the workspace) lets config pin the id. */
  async function actorOf(userId: string, nameHint?: string, team?: string | null): Promise<Actor> {
    return users.actor(userId, nameHint, team ?? undefined);
  }

  // Every slash command the manifest declares (`/deploy` … and `/deckhand`) is Deckhand's: Slack only sends ours.
  app.command(/^\/.+/, async ({ ack, command, respond }) => {
    await ack();
    const c = SlashCommand.safeParse(command);
    if (!c.success) {
      log.warn({ issues: c.error.issues.length }, 'unreadable slash command payload');
      return;
    }
    const cmd = c.data;
    const text = decodeSlackText(`${cmd.command} ${cmd.text}`.trim());
    // trigger_id is unique per invocation and the same when that very request is delivered again.
    const deliveryId = `command:${cmd.trigger_id}`;
    dispatch(deliveryId, async () => ({
      kind: 'message', platform: 'slack', text, addressed: true, actor: await actorOf(cmd.user_id, cmd.user_name, cmd.enterprise_id ?? cmd.team_id), channel: cmd.channel_id,
      deliveryId, ...(botUserId !== undefined && { botUserId }),
    }), viaResponseUrl(respond));
  });

  app.action(ACTION_ID_PATTERN, async ({ ack, body, action, respond }) => {
    await ack();
    const b = BlockActionsBody.safeParse(body);
    const parsed = BlockAction.safeParse(action);
    const a = parsed.success ? parsed.data : undefined;
    const which = a ? cardActionOf(a.action_id) : undefined;
    if (!b.success || !a || !which || !a.value) {
      log.warn({ actionId: a?.action_id }, 'slack button not understood');
      return;
    }
    const body_ = b.data;
    const deployId = a.value;
    // The message clicked, as Slack reports it: the container names it; `channel` and `message`, when present, must agree.
    const channel = body_.container?.channel_id;
    const ts = body_.container?.message_ts;
    const clicked = channel !== undefined && ts !== undefined && !body_.container?.is_ephemeral
      && (body_.channel === undefined || body_.channel.id === channel) && (body_.message === undefined || body_.message.ts === ts)
      ? { channel, ts } : undefined;
    // Buttons answer the clicker only: the card itself shows everyone what changed.
    const toClicker = async (reply: Reply): Promise<void> => viaResponseUrl(respond, { replaceOriginal: false })({ text: reply.text, ephemeral: true });
    const deliveryId = `action:${body_.trigger_id}`;
    dispatch(deliveryId, async () => {
      const refs = ctx?.cardRefs;
      if (!refs) return undefined;
      const verdict = await checkCardClick(refs, 'slack', clicked && cardRef(clicked.channel, clicked.ts), deployId);
      if (verdict.kind === 'refused') {
        log.warn({ reason: verdict.reason, user: body_.user.id, channel, messageTs: ts, cardOf: verdict.cardOf, deliveryKey: deliveryId }, 'slack button refused: not clicked on the card of the deploy it names');
        await toClicker({ text: verdict.reply }).catch((err: unknown) => log.error({ err, slackError: slackErrorOf(err), deliveryKey: deliveryId }, 'slack reply failed'));
        return undefined;
      }
      return {
        kind: 'action', platform: 'slack', action: which, deployId, actor: await actorOf(body_.user.id, body_.user.username ?? body_.user.name, body_.enterprise?.id ?? body_.team?.enterprise_id ?? body_.user.team_id ?? body_.team?.id), channel: clicked?.channel ?? '', deliveryId,
      };
    }, toClicker);
  });

  const onReaction = async ({ event, body }: { event: unknown; body: unknown }): Promise<void> => {
    const r = ReactionEvent.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    if (!r.success || !envelope.success) return;
    const e = r.data;
    if (e.reaction !== approvalEmoji || e.item.type !== 'message' || !e.item.channel || !e.item.ts) return;
    const channel = e.item.channel;
    const ts = e.item.ts;
    const deliveryId = `event:${envelope.data.event_id}`;
    dispatch(deliveryId, async () => {
      // Reactions name a message, not a deploy: only reactions on a card count.
      const deployId = await ctx?.cardRefs.deployOf('slack', cardRef(channel, ts));
      if (!deployId) return undefined;
      return { kind: 'reaction', platform: 'slack', added: e.type === 'reaction_added', deployId, actor: await actorOf(e.user, undefined, envelope.data.enterprise_id ?? envelope.data.team_id), channel, deliveryId };
    }, ephemeralTo(channel, e.user));
  };
  app.event('reaction_added', onReaction);
  app.event('reaction_removed', onReaction);

  app.event('app_mention', async ({ event, body }) => {
    const m = AppMentionEvent.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    if (!m.success || !envelope.success) return;
    const e = m.data;
    const thread = e.thread_ts ?? e.ts;
    const reply = async (r: Reply): Promise<void> => {
      if (r.ephemeral) await ephemeralTo(e.channel, e.user, e.thread_ts)(r);
      else await app.client.chat.postMessage({ channel: e.channel, thread_ts: thread, text: renderSlackText(r.text), ...SLACK_NO_PARSE, ...SLACK_NO_UNFURL });
    };
    const deliveryId = `event:${envelope.data.event_id}`;
    dispatch(deliveryId, async () => ({
      kind: 'message', platform: 'slack', text: decodeSlackText(e.text), addressed: false, actor: await actorOf(e.user, undefined, envelope.data.enterprise_id ?? envelope.data.team_id), channel: e.channel,
      deliveryId, ...(botUserId !== undefined && { botUserId }),
    }), reply);
  });

  let checked: Promise<void> | undefined;
  /** Checks the bot token with Slack (auth.test) once; start() runs it too. */
  function preflight(): Promise<void> {
    checked ??= (async () => {
      try {
        await app.init();
        botUserId = (await app.client.auth.test()).user_id;
      } catch (err) {
        checked = undefined;
        const code = slackErrorOf(err);
        throw new DeckhandError('config_invalid', code
          ? `Slack refused SLACK_BOT_TOKEN (${code}). Use the app's Bot User OAuth Token (xoxb-…) from "Install App", and reinstall the app if its scopes changed.`
          : `Could not reach Slack at ${options.apiUrl ?? 'https://slack.com/api/'} to check SLACK_BOT_TOKEN. Check the network (or SLACK_API_URL).`, { cause: err });
      }
    })();
    return checked;
  }

  app.error(async (err) => {
    log.error({ err }, 'slack listener failed');
  });

  return {
    platform: 'slack',
    mode,
    get requestListener() { return receiver instanceof HTTPReceiver ? receiver.requestListener : undefined; },
    get url() {
      const addr = server?.address() as AddressInfo | null | undefined;
      return addr ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}/slack/events` : undefined;
    },

    preflight,

    async start(context) {
      ctx = context;
      poster = new CardPoster({ client: app.client, cardRefs: context.cardRefs, log });
      await preflight();
      log.info({ mode, botUserId }, 'slack adapter started');
      if (receiver instanceof SocketModeReceiver) {
        try {
          await receiver.start();
        } catch (err) {
          throw new DeckhandError('config_invalid', `Slack Socket Mode could not connect (${slackErrorOf(err) ?? 'no connection'}). SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write, and Socket Mode must be on in the app settings.`, { cause: err });
        }
      } else if (options.listen !== false && options.listen !== undefined) {
        const l = options.listen;
        server = await receiver.start(typeof l === 'number' ? { port: l } : { port: l.port, ...(l.host && { host: l.host }) });
      }
    },

    async upsertCard(card) {
      // Returns at once: the publisher must not wait a second for one card while others queue behind it.
      poster?.collect(card);
      coalescer.push(card.deployId, card);
    },

    flushCards: () => coalescer.flush(),

    async stop() {
      if (server || receiver instanceof SocketModeReceiver) await receiver.stop().catch(() => {});
      server = undefined;
      await work.drain();
      await coalescer.flush();
    },
  };
}
