import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { AdapterLog } from './bolt-logger.ts';

export type SlackRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface SlackGuardOptions {
  signingSecret: string;
  log: AdapterLog;
  /** Epoch milliseconds (tests move the clock). */
  now?: () => number;
  /** Largest body read when nothing upstream has read it yet (the adapter listening on its own port). */
  bodyLimitBytes?: number;
}

/** Slack's replay window: a request signed further than this from now, in either direction, is refused. */
const MAX_SKEW_MS = 5 * 60_000;
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';

type Verdict = { ok: true; body: Buffer } | { ok: false; status: number; code: string; reason: string };

/**
 * Stands in front of Bolt's HTTP request listener. Bolt's receiver runs its handling in a promise nobody awaits,
 * so a signed body it cannot read (`payload=null`) throws there and takes the process down; and it only refuses
 * timestamps that are too old. This guard checks Slack's v0 signature itself (constant time), refuses timestamps
 * outside ±5 minutes, and refuses (400) every body whose shape Bolt would trip over, before Bolt sees a byte.
 * Whatever passes is parsed by Bolt exactly as it was checked here: the same bytes, the same content-type rule.
 */
export function guardSlackRequest(inner: SlackRequestListener, o: SlackGuardOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const now = o.now ?? Date.now;
  const limit = o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  return async (req, res) => {
    try {
      const verdict = await checkSlackRequest(req, o.signingSecret, now(), limit);
      if (!verdict.ok) {
        o.log.warn({ status: verdict.status, reason: verdict.reason }, 'slack request refused');
        return refuse(res, verdict);
      }
      // Bolt takes an already-read body from `rawBody` instead of reading the (now drained) stream.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = verdict.body;
      if (isSslCheck(req, verdict.body)) return answer(res, 200, undefined);
      inner(req, res);
    } catch (err) {
      // Bolt throws synchronously for a path it does not serve; anything else here is a fault, never a crash.
      o.log.error({ err }, 'slack request failed before Bolt handled it');
      if (!res.headersSent) answer(res, 500, { error: { code: 'internal_error', message: 'Something went wrong inside Deckhand.' } });
      else res.end();
    }
  };
}

/** The whole check, as a value: the body when the request may reach Bolt, else why not. */
export async function checkSlackRequest(req: IncomingMessage, signingSecret: string, nowMs: number, bodyLimitBytes = DEFAULT_BODY_LIMIT): Promise<Verdict> {
  if (req.method !== 'POST') return { ok: false, status: 405, code: 'method_not_allowed', reason: 'not a POST' };
  const body = await readRawBody(req, bodyLimitBytes);
  if (!body) return { ok: false, status: 413, code: 'payload_too_large', reason: 'body over the limit' };
  // Slack's certificate probe carries no signature; it is answered here and never reaches Bolt.
  if (isSslCheck(req, body)) return { ok: true, body };
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return unauthorized('missing signature headers');
  if (!/^\d{1,12}$/.test(timestamp)) return unauthorized('malformed timestamp');
  if (Math.abs(nowMs - Number(timestamp) * 1000) > MAX_SKEW_MS) return unauthorized('timestamp outside the 5-minute window');
  if (!isSignatureOf(signingSecret, timestamp, body, signature)) return unauthorized('signature does not match');
  const problem = shapeProblemOf(parseAsBolt(req.headers['content-type'], body));
  if (problem) return { ok: false, status: 400, code: 'bad_request', reason: problem };
  return { ok: true, body };
}

function unauthorized(reason: string): Verdict {
  return { ok: false, status: 401, code: 'unauthorized', reason };
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, compared in constant time. */
function isSignatureOf(secret: string, timestamp: string, body: Buffer, signature: string): boolean {
  const m = /^v0=([0-9a-f]{64})$/.exec(signature);
  if (!m?.[1]) return false;
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(m[1], 'hex'));
}

function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  if (req.headers['content-type'] !== FORM) return false;
  return parseQuery(body.toString('utf8')).ssl_check === '1';
}

type Parsed = { ok: true; value: unknown; form: boolean } | { ok: false; problem: string };

/** Parses the way Bolt's `parseHTTPRequestBody` does: a form only for the exact content type, JSON otherwise. */
function parseAsBolt(contentType: string | undefined, body: Buffer): Parsed {
  const text = body.toString('utf8');
  try {
    if (contentType === FORM) {
      const fields = parseQuery(text);
      if (Object.values(fields).some((v) => typeof v !== 'string')) return { ok: false, problem: 'a form field is repeated' };
      if (typeof fields.payload === 'string') return { ok: true, value: JSON.parse(fields.payload), form: false };
      return { ok: true, value: fields, form: true };
    }
    return { ok: true, value: JSON.parse(text), form: false };
  } catch {
    return { ok: false, problem: 'the body is not JSON where JSON is expected' };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringOrObject = (v: unknown): boolean => typeof v === 'string' || isObject(v);

/** Interactivity types Bolt routes by `type` (actions are recognised by their `actions` array). */
const INTERACTIVE_TYPES = new Set(['block_actions', 'interactive_message', 'block_suggestion', 'dialog_submission', 'shortcut', 'message_action', 'view_submission', 'view_closed']);

/**
 * Why Bolt could not handle this body, or undefined when it can. The checks follow what Bolt's receiver and
 * `processEvent` dereference without looking (`body.ssl_check`, `event.item.channel`, `body.user.id`,
 * `actions[0].action_id` …): every one of those must be an object when it is there.
 */
export function shapeProblemOf(parsed: Parsed): string | undefined {
  if (!parsed.ok) return parsed.problem;
  const body = parsed.value;
  if (!isObject(body)) return 'the body is not an object';
  if (parsed.form) return typeof body.command === 'string' ? undefined : 'a form body with neither a command nor a payload';
  if (body.type === 'url_verification') return typeof body.challenge === 'string' ? undefined : 'url_verification without a challenge';
  if (body.event !== undefined) return eventProblemOf(body);
  if (body.command !== undefined) return typeof body.command === 'string' ? undefined : 'command is not a string';
  if (typeof body.type !== 'string' || !INTERACTIVE_TYPES.has(body.type)) return 'not a kind of Slack request Deckhand takes';
  if (!isObject(body.user)) return 'user is not an object';
  if (body.channel !== undefined && !isObject(body.channel)) return 'channel is not an object';
  if (body.team !== undefined && body.team !== null && !isObject(body.team)) return 'team is not an object';
  if (body.enterprise !== undefined && body.enterprise !== null && !isObject(body.enterprise)) return 'enterprise is not an object';
  if (body.actions !== undefined && !(Array.isArray(body.actions) && body.actions.length > 0 && body.actions.every(isObject))) return 'actions is not a list of objects';
  if ((body.type === 'view_submission' || body.type === 'view_closed') && !isObject(body.view)) return 'view is not an object';
  return undefined;
}

function eventProblemOf(body: Record<string, unknown>): string | undefined {
  const e = body.event;
  if (!isObject(e)) return 'event is not an object';
  if (typeof e.type !== 'string') return 'event.type is not a string';
  if (e.item !== undefined && !isObject(e.item)) return 'event.item is not an object';
  if (e.channel !== undefined && !isStringOrObject(e.channel)) return 'event.channel is neither a string nor an object';
  if (e.user !== undefined && !isStringOrObject(e.user)) return 'event.user is neither a string nor an object';
  if (e.subteam !== undefined && !isObject(e.subteam)) return 'event.subteam is not an object';
  const auths = body.authorizations;
  if (auths !== undefined && !(Array.isArray(auths) && auths.every(isObject))) return 'authorizations is not a list of objects';
  return undefined;
}

/** Reads the body unless the one HTTP server already did (it leaves it on `rawBody`); undefined past the limit. */
function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const buffered = (req as IncomingMessage & { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(buffered)) return Promise.resolve(buffered.length > limit ? undefined : buffered);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    };
    const onEnd = (): void => { cleanup(); resolve(Buffer.concat(chunks, size)); };
    const onError = (err: Error): void => { cleanup(); reject(err); };
    const onClose = (): void => { if (!req.complete) onError(new Error('the client closed the connection before the body ended')); };
    const cleanup = (): void => { req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose); };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function refuse(res: ServerResponse, v: Extract<Verdict, { ok: false }>): void {
  const messages: Record<number, string> = {
    400: 'Deckhand cannot read this Slack request.',
    401: 'The Slack request signature or timestamp is not valid.',
    405: 'Slack delivers by POST.',
    413: 'The request body is too large.',
  };
  answer(res, v.status, { error: { code: v.code, message: messages[v.status] ?? 'Refused.' } }, v.status === 413 ? { connection: 'close' } : {});
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}
