/**
 * Part of the composition root (main.ts): opens Deckhand's Redis connections and the stores over them.
 *
 * Two sets, because the two callers want opposite things from a Redis outage:
 * - the request path (chat commands, buttons, reactions, the API) must answer a person within Slack's 3 s and must
 *   not leave anything behind to run later, so its connection writes nothing while disconnected and fails at once
 *   with `store_unavailable`;
 * - the worker must ride out a Redis restart mid-deploy, so its connection queues commands until Redis is back.
 */
import { AuditLog, auditEntry } from '../audit/index.ts';
import type { Deploy } from '../deploy/index.ts';
import { createDeployQueue, type DeployQueue } from '../queue/index.ts';
import {
  CardStore, LeaseStore, MarkStore, closeRedis, connectFailFastRedis, connectRedis, DeployStore, FreezeStore, LockStore, PathLockStore, StreamStore, waitForRedis, type Redis,
} from '../store/index.ts';
import { waitAtMost } from './wait-at-most.ts';

export interface StoreSet {
  deploys: DeployStore;
  locks: LockStore;
  audit: AuditLog;
  freezes: FreezeStore;
  queue: DeployQueue;
}

export interface Stores {
  /** Fail-fast: what chat handlers and the API use. */
  request: StoreSet;
  /** Patient: what the worker's jobs use. */
  jobs: StoreSet;
  /** Card references, read by reactions (a request) and written by card posts: fail-fast, cards catch up later. */
  cardRefs: CardStore;
  /** Leases for work one process does at a time (the Deployment watch): patient, like the jobs. */
  leases: LeaseStore;
  /** Locks on config-repository files (GitOps deploys): patient, like the jobs that take them. */
  pathLocks: PathLockStore;
  /** The queue's wake marks, as the worker clears and reads them: patient, like the jobs. */
  wakeMarks: MarkStore;
  /** True while both connections are up: a stop need not wait for a Redis that is gone. */
  connected(): boolean;
  /**
   * Closes every connection. A connection that is down, or `force`, is dropped at once; a patient one would
   * otherwise wait for Redis to come back before it quits. Never takes longer than about `QUIT_WAIT_MS`.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface OpenStoresOptions {
  redisUrl: string;
  prefix: string;
  auditMaxEntries: number;
  log: { warn(o: object, msg: string): void };
  /** How long the first connection may take before start gives up (a refused login fails at once). */
  connectTimeoutMs?: number;
}

/** How long a clean QUIT may take before the connection is dropped instead. */
const QUIT_WAIT_MS = 1000;

/**
 * Connects, logs in and loads the queue's scripts before anything else starts, so a wrong REDIS_URL password stops
 * the start with one clear line instead of a retry loop. On failure everything opened so far is closed again.
 */
export async function openStores(o: OpenStoresOptions): Promise<Stores> {
  const onError = throttledErrorLog(o.log);
  const patient = connectRedis(o.redisUrl, onError('redis'));
  const fast = connectFailFastRedis(o.redisUrl, { onError: onError('redis (request path)') });
  const queues: DeployQueue[] = [];
  const connected = (): boolean => patient.status === 'ready' && fast.status === 'ready';
  const close = async ({ force = false } = {}): Promise<void> => {
    const drop = force || !connected();
    await Promise.all(queues.map((q) => waitAtMost(QUIT_WAIT_MS, q.close(drop), () => q.close(true))));
    await Promise.all([quit(patient, drop), quit(fast, drop)]);
  };
  try {
    await Promise.all([waitForRedis(patient, o.redisUrl, o.connectTimeoutMs), waitForRedis(fast, o.redisUrl, o.connectTimeoutMs)]);
    const wakeMarks = new MarkStore(patient);
    const jobsQueue = createDeployQueue({ redisUrl: o.redisUrl, prefix: o.prefix, marks: wakeMarks, onError: onError('queue') });
    queues.push(jobsQueue);
    const requestQueue = createDeployQueue({ redisUrl: o.redisUrl, prefix: o.prefix, failFast: true, marks: new MarkStore(fast), onError: onError('queue (request path)') });
    queues.push(requestQueue);
    await Promise.all([jobsQueue.ready(), requestQueue.ready()]);
    return {
      request: storesOver(fast, requestQueue, o),
      jobs: storesOver(patient, jobsQueue, o),
      cardRefs: new CardStore(fast, o.prefix),
      leases: new LeaseStore(patient, o.prefix),
      pathLocks: new PathLockStore(patient, o.prefix),
      wakeMarks,
      connected,
      close,
    };
  } catch (err) {
    await close({ force: true });
    throw err;
  }
}

function storesOver(redis: Redis, queue: DeployQueue, o: OpenStoresOptions): StoreSet {
  const auditKey = `${o.prefix}:audit`;
  // A phase change is written to the audit log by the script that saves it (the log's own stream and trimming).
  const journal = { key: auditKey, maxLen: o.auditMaxEntries, entry: (d: Deploy, message: string) => auditEntry({ kind: 'phase', deployId: d.id, phase: d.phase, message }) };
  return {
    deploys: new DeployStore(redis, o.prefix, journal),
    locks: new LockStore(redis, o.prefix),
    audit: new AuditLog(new StreamStore(redis, auditKey, o.auditMaxEntries)),
    freezes: new FreezeStore(redis, o.prefix),
    queue,
  };
}

async function quit(redis: Redis, drop: boolean): Promise<void> {
  if (drop || redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await waitAtMost(QUIT_WAIT_MS, closeRedis(redis), () => redis.disconnect());
}

/**
 * Connection errors repeat every few hundred milliseconds while Redis is away: the first of an outage is logged,
 * then one every 30 s per connection. Only the message and code are logged — never the error object, which for a
 * refused login carries the password.
 */
function throttledErrorLog(log: OpenStoresOptions['log']): (what: string) => (err: Error) => void {
  return (what) => {
    let lastAt = 0;
    let suppressed = 0;
    return (err) => {
      const now = Date.now();
      if (now - lastAt < 30_000) {
        suppressed++;
        return;
      }
      log.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code }, suppressed }, `${what} connection error; reconnecting`);
      lastAt = now;
      suppressed = 0;
    };
  };
}
