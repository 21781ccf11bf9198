import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderMessageText } from './render-message-text.ts';

/** One request the simulated Discord received, as it arrived (after JSON decoding). */
export interface RecordedDiscordCall {
  method: string;
  /** The path below the versioned API root, e.g. `/channels/1/messages`. */
  route: string;
  query: Record<string, string>;
  /** `Bot <token>` for bot calls, undefined for webhook calls. */
  authorization?: string;
  body: unknown;
  at: number;
}

/** A message as the simulated Discord stores it: the subset of Discord's message object Deckhand reads or sends. */
export interface SimDiscordMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  flags: number;
  author: { id: string; username: string; bot: boolean };
  webhook_id?: string;
  timestamp: string;
  edited_timestamp: string | null;
  type: 0;
  tts: false;
  mention_everyone: false;
  mentions: [];
  mention_roles: [];
  attachments: [];
  pinned: false;
}

export interface DiscordApiServerOptions {
  port?: number;
  /** When set, bot routes (channels, application commands) need exactly `Bot <botToken>`, as on Discord. */
  botToken?: string;
  /** Every message created or edited, as text: the sandbox prints these so the console shows the Discord channel. */
  print?: (text: string) => void;
  /** Answer every call after this delay (tests of slow Discord). */
  delayMs?: number;
  /** The guild every simulated channel belongs to (`GET /channels/{id}` answers it as `guild_id`). */
  guildId?: string;
}

export interface DiscordApiServer {
  /** The API base to give discord.js (`REST({ api })`) or `DISCORD_API_URL`: `http://127.0.0.1:<port>/api`. */
  readonly apiUrl: string;
  readonly calls: RecordedDiscordCall[];
  /** Messages by id, whichever way they were posted (channel, webhook, interaction follow-up). */
  readonly messages: Map<string, SimDiscordMessage>;
  /** The application commands last registered, keyed by `global` or the guild id. */
  readonly commands: Map<string, unknown[]>;
  /** A webhook URL for a simulated channel (its messages land in `channel`). */
  webhookUrl(channelId: string): string;
  /** The messages now in a channel, oldest first; webhooks and follow-ups count under their channel. */
  channelMessages(channelId: string): SimDiscordMessage[];
  /** Makes the next `count` calls on routes matching `route` fail with `status` (429 carries `retry_after`). */
  failNext(route: RegExp, status: number, count?: number): void;
  /** Follow-ups and edits made with this interaction token land in `channelId` (the channel the click came from). */
  bindInteraction(token: string, channelId: string): void;
  close(): Promise<void>;
}

const VERSIONED = /^\/api\/v\d+(\/.*)$/;
/** The simulated guild, when none is given. */
export const SIM_GUILD_ID = '900000000000000002';

/**
 * The Discord REST API as discord.js speaks it, for tests and the sandbox: webhook execute/edit/delete, channel
 * messages create/edit, interaction callbacks and follow-ups, application command registration. Every call is
 * recorded. Errors use Discord's JSON shape (`{message, code}`) so discord.js raises its own DiscordAPIError.
 */
export async function startDiscordApiServer(options: DiscordApiServerOptions = {}): Promise<DiscordApiServer> {
  const calls: RecordedDiscordCall[] = [];
  const messages = new Map<string, SimDiscordMessage>();
  const commands = new Map<string, unknown[]>();
  /** Follow-ups and webhook posts land in a channel; interaction tokens map to the channel they came from. */
  const webhookChannels = new Map<string, string>();
  const originals = new Map<string, string>();
  const failures: { route: RegExp; status: number; left: number }[] = [];
  let nextId = 1_300_000_000_000_000_000n;
  const snowflake = (): string => String(nextId++);

  const botRoute = (route: string): boolean => route.startsWith('/channels/') || route.startsWith('/applications/');

  function store(channelId: string, body: Record<string, unknown>, extra: Partial<SimDiscordMessage> = {}): SimDiscordMessage {
    const msg: SimDiscordMessage = {
      id: snowflake(), channel_id: channelId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
      author: { id: '1', username: 'deckhand', bot: true },
      timestamp: new Date().toISOString(), edited_timestamp: null,
      type: 0, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], pinned: false,
      ...extra,
    };
    messages.set(msg.id, msg);
    options.print?.(renderMessageText(msg, false));
    return msg;
  }

  function edit(msg: SimDiscordMessage, body: Record<string, unknown>): SimDiscordMessage {
    if (typeof body.content === 'string') msg.content = body.content;
    if (Array.isArray(body.embeds)) msg.embeds = body.embeds;
    if (Array.isArray(body.components)) msg.components = body.components;
    msg.edited_timestamp = new Date().toISOString();
    options.print?.(renderMessageText(msg, true));
    return msg;
  }

  const notFound = (res: ServerResponse, what: string, code: number): void => send(res, 404, { message: `Unknown ${what}`, code });

  function route(method: string, path: string, body: Record<string, unknown>, res: ServerResponse): void {
    let m: RegExpExecArray | null;
    // Interaction initial response (the HTTP-endpoint flow answers in the POST's response instead; both are accepted).
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      const data = (body.data ?? {}) as Record<string, unknown>;
      const channel = webhookChannels.get(m[2]!) ?? 'interactions';
      if (body.type === 4 || body.type === 5) originals.set(m[2]!, store(channel, data).id);
      res.writeHead(204).end();
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path))) {
      const [, , token, which] = m as unknown as [string, string, string, string];
      const id = which === '@original' ? originals.get(token) : which;
      const msg = id === undefined ? undefined : messages.get(id);
      if (method === 'PATCH') {
        if (msg) return send(res, 200, edit(msg, body));
        // A deferred interaction has no message yet: editing @original creates it, as on Discord.
        if (which === '@original') {
          const created = store(webhookChannels.get(token) ?? 'interactions', body, { webhook_id: m[1] });
          originals.set(token, created.id);
          return send(res, 200, created);
        }
        return notFound(res, 'Message', 10008);
      }
      if (method === 'DELETE') {
        if (id !== undefined) messages.delete(id);
        if (which === '@original') originals.set(token, '');
        res.writeHead(204).end();
        return;
      }
      if (method === 'GET') return msg ? send(res, 200, msg) : notFound(res, 'Message', 10008);
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      const channel = webhookChannels.get(m[2]!) ?? webhookChannels.get(m[1]!) ?? `webhook-${m[1]}`;
      return send(res, 200, store(channel, body, { webhook_id: m[1] }));
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      // Every channel is a text channel of the one simulated guild.
      return send(res, 200, { id: m[1], type: 0, guild_id: options.guildId ?? SIM_GUILD_ID, name: `channel-${m[1]}`, position: 0, permission_overwrites: [], nsfw: false, parent_id: null });
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') return send(res, 200, store(m[1]!, body));
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      const msg = messages.get(m[2]!);
      if (!msg || msg.channel_id !== m[1]) return notFound(res, 'Message', 10008);
      if (method === 'PATCH') return send(res, 200, edit(msg, body));
      if (method === 'GET') return send(res, 200, msg);
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) && method === 'PUT' && Array.isArray(body)) {
      const registered = (body as Record<string, unknown>[]).map((c) => ({ id: snowflake(), application_id: m![1], ...(m![2] ? { guild_id: m![2] } : {}), version: snowflake(), type: 1, ...c }));
      commands.set(m[2] ?? 'global', registered);
      return send(res, 200, registered);
    }
    send(res, 404, { message: '404: Not Found', code: 0 });
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        const url = new URL(req.url ?? '/', 'http://sim');
        const versioned = VERSIONED.exec(url.pathname);
        // discord.js escapes `@original` as `%40original`; Discord reads both.
        const path = decodeURIComponent(versioned?.[1] ?? url.pathname);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          return send(res, 400, { message: 'The request body contains invalid JSON.', code: 50109 });
        }
        const method = req.method ?? 'GET';
        calls.push({ method, route: path, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body, at: Date.now() });
        const failure = failures.find((f) => f.left > 0 && f.route.test(path));
        if (failure) {
          failure.left--;
          if (failure.status === 429) {
            res.setHeader('retry-after', '0.05');
            return send(res, 429, { message: 'You are being rate limited.', retry_after: 0.05, global: false });
          }
          return send(res, failure.status, { message: 'Simulated failure', code: 0 });
        }
        if (!versioned) return send(res, 404, { message: '404: Not Found', code: 0 });
        if (botRoute(path) && options.botToken !== undefined && req.headers.authorization !== `Bot ${options.botToken}`) {
          return send(res, 401, { message: '401: Unauthorized', code: 0 });
        }
        route(method, path, (body ?? {}) as Record<string, unknown>, res);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${port}/api`;

  return {
    apiUrl, calls, messages, commands,
    webhookUrl(channelId) {
      const id = snowflake();
      // Discord webhook tokens are 68 characters; discord.js checks the shape of webhook URLs.
      const token = `sim${channelId}`.padEnd(68, 'x').slice(0, 68);
      webhookChannels.set(id, channelId);
      webhookChannels.set(token, channelId);
      return `${apiUrl}/webhooks/${id}/${token}`;
    },
    channelMessages(channelId) {
      return [...messages.values()].filter((m) => m.channel_id === channelId);
    },
    failNext(routeRe, status, count = 1) {
      failures.push({ route: routeRe, status, left: count });
    },
    bindInteraction(token, channelId) {
      webhookChannels.set(token, channelId);
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
