import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeckhandError, type DeckhandError } from '../errors.ts';
import { HttpError } from './http-error.ts';
import { readBody } from './read-body.ts';
import { sendJson } from './send-json.ts';
import { serveApi, type ApiOptions } from './serve-api.ts';
import type { BufferedRequest, HttpLog, IngressHandler, MetricsSource, ReadinessCheck } from './types.ts';

export interface HttpServerOptions {
  /** `/readyz` is 200 only when every check resolves in time (Redis, the Kubernetes API …); a note it resolves to is shown. */
  readiness?: Record<string, ReadinessCheck>;
  /** Absent: `/metrics` answers 404. */
  metrics?: MetricsSource;
  /** Absent: the read-only API is off and `/api/*` answers 404. */
  api?: ApiOptions;
  /** Largest request body accepted, unless a mount says otherwise (default 1 MiB). */
  bodyLimitBytes?: number;
  /** How long one readiness check may take before it counts as failed (default 2 s, under the probe's timeout). */
  checkTimeoutMs?: number;
  /** How long an `/api` answer may take before it is a 503 (default 5 s): a store that hangs must not hang the API. */
  apiTimeoutMs?: number;
  log?: HttpLog;
}

export interface MountOptions {
  /** Methods accepted (default POST: Slack, Discord and GitHub all deliver by POST). */
  methods?: readonly string[];
  bodyLimitBytes?: number;
}

export interface HttpServer {
  readonly server: Server;
  /** True once `drain()` or `close()` was called: `/readyz` answers 503 from then on. */
  readonly draining: boolean;
  /**
   * Serves `handler` at exactly `path` (no prefix matching). The body is read first, within the limit, and
   * handed over as `req.rawBody`; a mounted handler never sees an oversized body.
   */
  mount(path: string, handler: IngressHandler, options?: MountOptions): void;
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stop looking ready, keep serving: the load balancer takes this pod out before it closes. */
  drain(): void;
  /**
   * Refuses new connections, lets requests in flight finish, and after `timeoutMs` (default 10 s) cuts the
   * connections that are left. Resolves when the listener is closed.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

const BUILT_IN = new Set(['/healthz', '/readyz', '/metrics']);
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The one HTTP server for everything inbound: probes, metrics, the read-only API and mounted chat/webhook
 * ingress. Its data comes in as functions, so this folder imports no station; main.ts does the wiring.
 */
export function createHttpServer(options: HttpServerOptions = {}): HttpServer {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const mounts = new Map<string, { handler: IngressHandler; methods: readonly string[]; bodyLimit: number }>();
  let draining = false;
  let closing = false;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = parseUrl(req.url);
    const mounted = mounts.get(url.pathname);
    if (mounted) {
      if (!mounted.methods.includes(req.method ?? '')) throw methodNotAllowed(mounted.methods);
      const buffered = req as BufferedRequest;
      buffered.rawBody = await readBody(req, mounted.bodyLimit);
      await mounted.handler(buffered, res);
      return;
    }
    // Nothing below reads a body, but an oversized one is still refused rather than silently drained.
    if (Number(req.headers['content-length'] ?? 0) > bodyLimit) {
      throw new HttpError('payload_too_large', `The request body is larger than ${bodyLimit} bytes.`, { connection: 'close' });
    }
    if (BUILT_IN.has(url.pathname) && req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(['GET', 'HEAD']);
    switch (url.pathname) {
      case '/healthz':
        // Alive means the event loop answers; dependencies belong to /readyz, so a Redis outage never restarts us.
        return sendJson(res, 200, { status: 'ok' });
      case '/readyz':
        return serveReadiness(res);
      case '/metrics': {
        if (!options.metrics) break;
        const { contentType, body } = await options.metrics();
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    }
    if (options.api && (url.pathname === '/api' || url.pathname.startsWith('/api/'))) {
      const answer = await withTimeout(serveApi(req, url, options.api), options.apiTimeoutMs ?? 5000, 'the API')
        .catch((err: unknown) => { throw isTimeout(err) ? new HttpError('not_ready', 'Deckhand\'s store did not answer in time; try again shortly.', { 'retry-after': '5' }) : err; });
      return sendJson(res, 200, answer);
    }
    throw new HttpError('not_found', `No route ${url.pathname}.`);
  };

  const serveReadiness = async (res: ServerResponse): Promise<void> => {
    if (draining) return sendJson(res, 503, { status: 'shutting_down' });
    const entries = Object.entries(options.readiness ?? {});
    const results = await Promise.all(entries.map(async ([name, check]) => {
      try {
        const note = await withTimeout(check(), options.checkTimeoutMs ?? 2000, `${name} check`);
        return { name, ok: true, shown: note ?? 'ok' };
      } catch (err) {
        // The cause goes to the log only: a probe response is no place for hostnames or driver messages.
        options.log?.warn({ err, check: name }, 'readiness check failed');
        return { name, ok: false, shown: 'unreachable' };
      }
    }));
    const ready = results.every((r) => r.ok);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results.map((r) => [r.name, r.shown])) });
  };

  const server = createServer((req, res) => {
    // While draining, keep-alive clients are told to reconnect, so they land on a pod that stays.
    if (draining) res.setHeader('connection', 'close');
    // A keep-alive connection whose request was in flight when close() began is idle only after this response.
    res.on('finish', () => {
      if (closing) server.closeIdleConnections();
    });
    route(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
      options.log?.error({ err, method: req.method, path: safePath(req.url) }, 'request failed');
      // A DeckhandError's userMessage is written for people and never holds a secret; anything else stays in the log.
      if (isDeckhandError(err)) return sendJson(res, statusOf(err), { error: { code: err.code, message: err.userMessage } });
      sendJson(res, 500, { error: { code: 'internal_error', message: 'Something went wrong inside Deckhand.' } });
    });
  });
  // Bounded waits for slow clients: nothing legitimate sends headers or a body for longer than this.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;

  return {
    server,
    get draining() { return draining; },
    mount(path, handler, mountOptions = {}) {
      if (!path.startsWith('/') || BUILT_IN.has(path) || path === '/api' || path.startsWith('/api/')) {
        throw new Error(`cannot mount an ingress at ${path}: it must start with / and not shadow a built-in route`);
      }
      if (mounts.has(path)) throw new Error(`an ingress is already mounted at ${path}`);
      mounts.set(path, { handler, methods: mountOptions.methods ?? ['POST'], bodyLimit: mountOptions.bodyLimitBytes ?? bodyLimit });
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ port: address.port, url: `http://${shownHost}:${address.port}` });
        });
      });
    },
    drain() {
      draining = true;
    },
    close({ timeoutMs = 10_000 } = {}) {
      draining = true;
      closing = true;
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://deckhand.invalid');
  } catch {
    throw new HttpError('bad_request', 'The request URL cannot be parsed.');
  }
}

/** The path without its query string: query strings may carry tokens and do not belong in a log line. */
function safePath(raw: string | undefined): string {
  return (raw ?? '/').split('?')[0] ?? '/';
}

/** A data source's coded error as an HTTP status: a dependency that is down is a 503, so clients retry. */
function statusOf(err: DeckhandError): number {
  if (err.code.endsWith('_not_found')) return 404;
  if (err.code.endsWith('_unavailable')) return 503;
  return 500;
}

function methodNotAllowed(methods: readonly string[]): HttpError {
  return new HttpError('method_not_allowed', `Use ${methods.join(' or ')} here.`, { allow: methods.join(', ') });
}

class TimeoutError extends Error {}

const isTimeout = (err: unknown): boolean => err instanceof TimeoutError;

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${name} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
