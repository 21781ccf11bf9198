import { Redis } from 'ioredis';
import { DeckhandError, isDeckhandError } from '../errors.ts';

export type { Redis };

/** What a person is told when the request path cannot reach Redis. */
export const STORE_UNAVAILABLE_MESSAGE = "Deckhand can't reach its store right now; nothing was done.";

/**
 * One connection per process for the worker's records; BullMQ opens its own. `maxRetriesPerRequest: null` keeps
 * commands queued while Redis restarts instead of failing them: a restart must not lose what a deploy step wrote.
 * Commands issued in one turn of the event loop go out in one write (auto-pipelining): with many deploys' steps at
 * once, a write to the socket per command was a large share of the worker's CPU. Nothing on this connection uses
 * MULTI or blocking commands, which would be sent ahead of the batched ones.
 */
export function connectRedis(url: string, onError: (err: Error) => void = () => {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, enableAutoPipelining: true });
  // Without a listener ioredis reports every failed reconnect as an unhandled error; it reconnects by itself.
  redis.on('error', onError);
  return redis;
}

export interface FailFastOptions {
  onError?: (err: Error) => void;
  /** How long one command may take before it is given up (a paused or overloaded Redis). */
  commandTimeoutMs?: number;
  /** A connection lost moments ago may be back soon: how long a command waits for it before giving up. */
  readyWaitMs?: number;
}

/**
 * The connection of the request path (chat commands, buttons, the API): nothing waits for Redis to come back. A
 * command is written only while connected — never queued to run after an outage — and answers or fails within
 * about `readyWaitMs + commandTimeoutMs`; failures are `DeckhandError('store_unavailable')` with the message a
 * person reads. Commands in flight when the connection drops are not re-sent after it comes back.
 */
export function connectFailFastRedis(url: string, o: FailFastOptions = {}): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: o.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    // Batched like the worker's (see connectRedis): a burst of requests sends one write per turn, not per command.
    // A batch is sent only while connected too; each command in it keeps its own timeout.
    enableAutoPipelining: true,
    // Reconnect quickly and keep trying: this connection must notice Redis is back before the next request does.
    retryStrategy: (times) => Math.min(times * 50, 500),
    enableReadyCheck: true,
  });
  redis.on('error', o.onError ?? (() => {}));
  return failFast(redis, o.readyWaitMs ?? 1000);
}

/** Commands that do not talk to Redis in the ordinary way and pass through as they are. */
const PASS_THROUGH = new Set(['multi', 'pipeline', 'quit', 'monitor', 'subscribe', 'psubscribe', 'ssubscribe']);

/**
 * Wraps every Redis command method: it waits (briefly) for the connection to be ready, and turns connection
 * failures into the coded error. Everything else (events, `quit`, `disconnect`) is the connection's own.
 */
function failFast(redis: Redis, readyWaitMs: number): Redis {
  const commands = new Set(redis.getBuiltinCommands());
  let downSince: number | undefined;
  /**
   * When a command last failed for want of Redis (no connection in time, or no answer in time). For a moment
   * after that, further commands fail at once instead of each waiting again: one request that touches the store
   * three times must still be answered within Slack's 3 s.
   */
  let gaveUpAt: number | undefined;
  const recentlyGaveUp = (): boolean => gaveUpAt !== undefined && Date.now() - gaveUpAt < readyWaitMs;
  redis.on('close', () => { downSince ??= Date.now(); });
  redis.on('ready', () => { downSince = undefined; gaveUpAt = undefined; });
  const whenReady = async (): Promise<void> => {
    if (recentlyGaveUp()) throw unavailable(new Error('redis failed a moment ago'));
    if (redis.status === 'ready') return;
    // Down for a while already: answer at once rather than make every request of an outage wait.
    const waitMs = downSince !== undefined && Date.now() - downSince > 5 * readyWaitMs ? 0 : readyWaitMs;
    if (redis.status === 'end' || waitMs === 0) throw unavailable(new Error(`redis connection is ${redis.status}`));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        gaveUpAt = Date.now();
        reject(unavailable(new Error(`redis not ready within ${waitMs} ms`)));
      }, waitMs);
      const onReady = (): void => { clearTimeout(timer); resolve(); };
      redis.once('ready', onReady);
    });
  };
  return new Proxy(redis, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !commands.has(prop) || PASS_THROUGH.has(prop)) return fn.bind(target);
      return async (...args: unknown[]): Promise<unknown> => {
        await whenReady();
        try {
          return await fn.apply(target, args);
        } catch (err) {
          const e = toStoreError(err);
          if (isDeckhandError(e, 'store_unavailable')) gaveUpAt = Date.now();
          throw e;
        }
      };
    },
  });
}

function unavailable(cause: unknown): DeckhandError {
  return new DeckhandError('store_unavailable', STORE_UNAVAILABLE_MESSAGE, { cause });
}

/** A refused login: the credentials in REDIS_URL are wrong (or missing), not the network. */
export function isRedisAuthError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return /^(WRONGPASS|NOAUTH)\b/.test(message) || /^ERR (invalid password|AUTH\b)/i.test(message);
}

/**
 * Connection failures become `store_unavailable`; a reply error about the command itself (a bug) stays what it is.
 * The failed command (with its arguments, a password for AUTH) is never kept on the error.
 */
function toStoreError(err: unknown): unknown {
  if (err instanceof DeckhandError) return err;
  const isReply = err instanceof Error && err.name === 'ReplyError';
  if (isReply && !isRedisAuthError(err) && !/^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN)\b/.test(err.message)) return err;
  return unavailable(err instanceof Error ? new Error(err.message) : err);
}

/** Where a Redis URL points, without its credentials: safe for a message. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * Resolves once `redis` is connected and logged in. A refused login fails at once with a message that names the
 * problem (never the password); a Redis that cannot be reached fails after `timeoutMs`. Either way the caller
 * must close the connection.
 */
export function waitForRedis(redis: Redis, url: string, timeoutMs = 20_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  const where = describeRedisUrl(url);
  return new Promise((resolve, reject) => {
    let lastError = '';
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', onReady).off('error', onError);
    };
    const onReady = (): void => { done(); resolve(); };
    const onError = (err: Error): void => {
      if (isRedisAuthError(err)) {
        done();
        const code = /^\w+/.exec(err.message)?.[0] ?? 'refused';
        reject(new DeckhandError('config_invalid', `Redis at ${where} refused Deckhand's login (${code}). Check the user name and password in REDIS_URL.`));
        return;
      }
      lastError = (err as NodeJS.ErrnoException).code ?? err.message;
    };
    const timer = setTimeout(() => {
      done();
      reject(new DeckhandError('store_unavailable', `Deckhand could not reach Redis at ${where} within ${Math.round(timeoutMs / 1000)} s${lastError ? ` (${lastError})` : ''}. Check REDIS_URL and that Redis is running.`));
    }, timeoutMs);
    redis.on('ready', onReady).on('error', onError);
  });
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
