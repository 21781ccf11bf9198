import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded call: a Web API method (`chat.update`) or `response_url` for replies posted to a response URL. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** performance.now() when the call arrived. */
  at: number;
  token?: string;
  /** What the server answered (Web API methods only). */
  result?: Record<string, unknown>;
}

export interface SlackUserFixture { id: string; name: string; displayName?: string }
export interface SlackUserGroupFixture { id: string; handle: string; users: string[] }

export interface SlackApiServer {
  /** Base URL for the WebClient (`slackApiUrl`), ending in `/api/`. */
  readonly apiUrl: string;
  /** A response_url that records what is posted to it under `response_url`. */
  responseUrl(id: string): string;
  readonly calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Resolves with the first call (from now on or already recorded) that matches. */
  waitFor(predicate: (c: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** The next `times` calls of `method` are answered 429 with `Retry-After: retryAfterSec`, as Slack's rate limiter does. */
  rateLimit(method: string, times: number, retryAfterSec: number): void;
  readonly botUserId: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The WebClient sends arguments as a form body with objects (blocks) as JSON strings, or as a JSON body; both
 * are accepted here and read back into objects, like Slack does.
 */
function parseArgs(contentType: string, body: string): Record<string, unknown> {
  if (!body) return {};
  if (contentType.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    out[k] = /^[[{]/.test(v) ? (() => { try { return JSON.parse(v) as unknown; } catch { return v; } })() : v;
  }
  return out;
}

/**
 * A local stand-in for `https://slack.com/api/`: answers the methods Deckhand calls as Slack documents them
 * (`{ok: true, …}` with the fields callers read; `{ok: false, error}` for what Slack would refuse), records every
 * call, and can rate-limit. Loopback only.
 */
export async function startSlackApiServer(o: { users?: SlackUserFixture[]; userGroups?: SlackUserGroupFixture[]; botUserId?: string; socketModeUrl?: string } = {}): Promise<SlackApiServer> {
  const botUserId = o.botUserId ?? 'UDECKHAND';
  const users = new Map((o.users ?? []).map((u) => [u.id, u]));
  const calls: SlackCall[] = [];
  const waiters: { predicate: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  const limits = new Map<string, { times: number; retryAfterSec: number }>();
  let tsCounter = 0;
  const nextTs = (): string => `1700000000.${String(++tsCounter).padStart(6, '0')}`;
  const messages = new Map<string, { channel: string; ts: string }>();

  const record = (c: SlackCall): void => {
    calls.push(c);
    for (const w of [...waiters]) {
      if (w.predicate(c)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(c);
      }
    }
  };

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string): string | undefined => (typeof args[k] === 'string' ? args[k] : undefined);
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'deckhand', team_id: 'T0001', user_id: botUserId, bot_id: 'B0001', is_enterprise_install: false };
      case 'chat.postMessage': {
        const channel = str('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!str('text') && !args.blocks) return { ok: false, error: 'no_text' };
        const ts = nextTs();
        messages.set(`${channel}:${ts}`, { channel, ts });
        return { ok: true, channel, ts, message: { type: 'message', text: str('text') ?? '', user: botUserId, ts, bot_id: 'B0001' } };
      }
      case 'chat.getPermalink': {
        const channel = str('channel');
        const ts = str('message_ts');
        if (!channel || !ts || !messages.has(`${channel}:${ts}`)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, permalink: `https://acme.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
      }
      case 'chat.update': {
        const channel = str('channel');
        const ts = str('ts');
        if (!channel || !ts || !messages.has(`${channel}:${ts}`)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, ts, text: str('text') ?? '', message: { text: str('text') ?? '' } };
      }
      case 'chat.postEphemeral':
        if (!str('channel') || !str('user')) return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: nextTs() };
      case 'users.info': {
        const u = users.get(str('user') ?? '');
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: u.id, name: u.name, real_name: u.displayName ?? u.name, profile: { display_name: u.displayName ?? '', real_name: u.displayName ?? u.name } } };
      }
      case 'usergroups.list':
        return {
          ok: true,
          usergroups: (o.userGroups ?? []).map((g) => ({ id: g.id, team_id: 'T0001', handle: g.handle, name: g.handle, date_delete: 0, ...(args.include_users ? { users: g.users, user_count: g.users.length } : {}) })),
        };
      case 'usergroups.users.list': {
        const g = (o.userGroups ?? []).find((x) => x.id === str('usergroup'));
        return g ? { ok: true, users: g.users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'reactions.add': case 'reactions.remove':
        return { ok: true };
      case 'apps.connections.open':
        // Called with the app-level token (xapp-): where Socket Mode connects.
        return o.socketModeUrl ? { ok: true, url: o.socketModeUrl } : { ok: false, error: 'invalid_auth' };
      case 'conversations.join':
        return { ok: true, channel: { id: str('channel') } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const contentType = req.headers['content-type'] ?? '';
      const at = performance.now();
      if (url.pathname.startsWith('/respond/')) {
        record({ method: 'response_url', args: { ...parseArgs('application/json', body), url: url.pathname }, at });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (!m || !m[1]) {
        res.writeHead(404).end();
        return;
      }
      const method = m[1];
      const args = { ...Object.fromEntries(url.searchParams), ...parseArgs(String(contentType), body) };
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
      const limit = limits.get(method);
      if (limit && limit.times > 0) {
        limit.times--;
        record({ method: `${method}#429`, args, at, token });
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limit.retryAfterSec) }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      const out = token ? answer(method, args) : { ok: false, error: 'not_authed' };
      record({ method, args, at, token, result: out });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(out));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${encodeURIComponent(id)}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(predicate, timeoutMs = 20_000) {
      const hit = calls.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve: (c: SlackCall) => { clearTimeout(t); resolve(c); } };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching Slack call within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ')}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    rateLimit(method, times, retryAfterSec) { limits.set(method, { times, retryAfterSec }); },
    botUserId,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
