import { DelayedError, ErrorCode, Queue, Worker, type ConnectionOptions, type IRedisClient, type Job } from 'bullmq';
import { DeckhandError } from '../errors.ts';

/** Job kinds: run a deploy's next steps, or expire a deploy still waiting for approval. */
export type JobKind = 'run' | 'expire';

export interface JobData {
  deployId: string;
  /** When a job a step moved to delayed is due again (BullMQ keeps the job's first timestamp). */
  dueAt?: number;
}

/** A wait ends `dueAt` (epoch ms) when given — the time the step and its save took count towards it — else `delayMs` from now. */
export type JobOutcome = { kind: 'finished' } | { kind: 'wait'; delayMs: number; dueAt?: number };

/**
 * Where the wake marks of running jobs are kept (see `wake`). The store's connection batches its commands, where
 * BullMQ's sends each alone: the mark a job clears when it starts and looks at when it waits then rides along with
 * the record's own reads and writes instead of costing a write to the socket of its own.
 */
export interface WakeMarks {
  /** Sets `key` for `ttlSeconds`. */
  set(key: string, ttlSeconds: number): Promise<void>;
  /** Deletes `key`; true when it was there. */
  take(key: string): Promise<boolean>;
}

export interface QueueOptions {
  redisUrl: string;
  /** Key prefix in Redis; tests use a random one per test. */
  prefix: string;
  name?: string;
  /**
   * The request path's queue: an enqueue is sent only while connected and fails within about two seconds with
   * `store_unavailable` instead of waiting for Redis — it never runs later, after the person was told it failed.
   */
  failFast?: boolean;
  /** Connection and client errors of BullMQ (routed to the masking logger; never printed by BullMQ itself). */
  onError?: (err: Error) => void;
  /** Where wake marks are kept; by default on the queue's own connection. */
  marks?: WakeMarks;
}

/** Wake marks on a BullMQ connection, where none is given (its client read at each use: it is BullMQ's to replace). */
function marksOn(backend: { client: Promise<IRedisClient> }): WakeMarks {
  return {
    async set(key, ttlSeconds) { await (await backend.client).set(key, '1', { EX: ttlSeconds }); },
    async take(key) { return await (await backend.client).del(key) > 0; },
  };
}

export interface DeployQueue {
  /** Idempotent per deploy: a deploy has at most one `run` job waiting or active at a time. */
  enqueue(kind: JobKind, deployId: string, delayMs?: number): Promise<void>;
  /**
   * Runs a deploy's `run` job again now: at once if it is waiting in a delayed job; if it is running, the wait it is
   * about to start ends at once instead (the wake is kept until the job looks at it). A person steered it, or the
   * Deployment it waits on changed.
   */
  wake(deployId: string): Promise<void>;
  counts(): Promise<Record<string, number>>;
  /** Resolves once the queue's connection is up and its scripts are loaded. */
  ready(): Promise<void>;
  /** Closes the connection; `force` drops it without waiting for Redis (it is gone, or the process is quitting). */
  close(force?: boolean): Promise<void>;
}

export interface WorkerOptions extends QueueOptions {
  concurrency?: number;
  /** How long a job stays claimed by a silent worker before another takes it over (BullMQ's stalled check). */
  lockDurationMs?: number;
  process(kind: JobKind, deployId: string, signal: AbortSignal): Promise<JobOutcome>;
  /** A job was picked up after waiting `waitedMs` past the moment it was due (metrics). */
  onPicked?(kind: JobKind, waitedMs: number): void;
  /** The job failed for good (every retry used): the deploy must be put in an end state. */
  onExhausted(kind: JobKind, deployId: string, err: Error): Promise<void>;
}

export interface DeployWorker {
  /** Stops taking jobs, lets running ones finish (or, with `force`, abandons them to another worker). */
  close(force?: boolean): Promise<void>;
}

const DEFAULT_NAME = 'deckhand-deploys';
const ATTEMPTS = 8;

function jobId(kind: JobKind, deployId: string): string {
  return `${kind}-${deployId}`;
}

/** A wake that arrived while the job ran: the job reads (and removes) it right after it moved itself to delayed. */
function wakeKey(prefix: string, name: string, deployId: string): string {
  return `${prefix}:${name}:woken:${deployId}`;
}
/** Longer than any step runs; a wake nobody read expires rather than ending some later, unrelated wait. */
const WAKE_TTL_SECONDS = 120;

/** Mirrors store/redis.ts: the person reads the same sentence whichever part of the store failed. */
const STORE_UNAVAILABLE_MESSAGE = "Deckhand can't reach its store right now; nothing was done.";
const READY_WAIT_MS = 1000;

/** The request path's: nothing waits for Redis (see `failFast`); batched like the patient ones, each command keeping its timeout. */
const FAIL_FAST_CONNECTION = {
  enableOfflineQueue: false, autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0,
  commandTimeout: 1000, connectTimeout: 2000, retryStrategy: (times: number) => Math.min(times * 50, 500),
  enableAutoPipelining: true,
};

/**
 * The worker's and the job side's connections: commands wait out a Redis restart, and the scripts of one event-loop
 * turn go out in one write (every job run is two or three BullMQ scripts; with many deploys' steps at once, a write
 * per script was a large share of the worker's CPU). This BullMQ uses scripts for everything a deploy queue does:
 * the MULTI and pipelines it has (bulk adds, flows, job logs), which would go out ahead of batched commands, are not
 * used here.
 */
const PATIENT_CONNECTION = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: null, enableAutoPipelining: true });

export function createDeployQueue(o: QueueOptions): DeployQueue {
  const connection: ConnectionOptions = o.failFast
    ? { url: o.redisUrl, ...FAIL_FAST_CONNECTION }
    : PATIENT_CONNECTION(o.redisUrl);
  const name = o.name ?? DEFAULT_NAME;
  const queue = new Queue<JobData, void, JobKind>(name, { connection, prefix: o.prefix });
  const marks = o.marks ?? marksOn(queue.getBackend());
  // Without a listener BullMQ console.errors the raw error, which for a refused AUTH holds the password.
  queue.on('error', (err) => o.onError?.(err));
  /** Fail-fast: runs `op` only on a ready connection, and reports any failure as the store being unavailable. */
  const guarded = async <T>(op: () => Promise<T>): Promise<T> => {
    if (!o.failFast) return op();
    try {
      const client = await withTimeout(queue.getBackend().client, READY_WAIT_MS);
      if (client.status !== 'ready') {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => { client.off('ready', onReady); reject(new Error(`queue connection is ${client.status}`)); }, READY_WAIT_MS);
          const onReady = (): void => { clearTimeout(timer); resolve(); };
          client.once('ready', onReady);
        });
      }
      return await op();
    } catch (err) {
      if (err instanceof DeckhandError) throw err;
      throw new DeckhandError('store_unavailable', STORE_UNAVAILABLE_MESSAGE, { cause: err instanceof Error ? new Error(err.message) : err });
    }
  };
  return {
    enqueue: (kind, deployId, delayMs) => guarded(async () => {
      await queue.add(kind, { deployId }, {
        jobId: jobId(kind, deployId),
        delay: delayMs,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: true,
        removeOnFail: 1000,
      });
    }),
    wake: (deployId) => guarded(async () => {
      // The mark first, then the look: either the job is delayed already (promote it), or it has not yet moved itself
      // to delayed and will find the mark right after it does (startDeployWorker). No order of the two misses a wake.
      const backend = queue.getBackend();
      await marks.set(wakeKey(o.prefix, name, deployId), WAKE_TTL_SECONDS);
      // Promoting is itself the look: BullMQ's script moves the job only if it is delayed, and says so otherwise.
      await backend.promote(jobId('run', deployId)).catch(ignoreNotDelayed);
    }),
    counts: () => guarded(() => queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'completed')),
    async ready() {
      await queue.waitUntilReady();
    },
    async close(force = false) {
      // Dropping the connection stops its retries at once; BullMQ's promise for it would wait for an `end` event that
      // a connection retrying a Redis that is gone never sends, so it is not awaited.
      if (force) void queue.disconnect().catch(() => {});
      else await queue.close();
    },
  };
}

export function startDeployWorker(o: WorkerOptions): DeployWorker {
  const shutdown = new AbortController();
  const name = o.name ?? DEFAULT_NAME;
  let defaultMarks: WakeMarks | undefined;
  const worker: Worker<JobData, void, JobKind> = new Worker<JobData, void, JobKind>(name, async (job: Job<JobData, void, JobKind>, token?: string) => {
    const dueAt = job.data.dueAt ?? job.timestamp + (job.delay ?? 0);
    o.onPicked?.(job.name, Math.max(0, (job.processedOn ?? Date.now()) - dueAt));
    const key = wakeKey(o.prefix, name, job.data.deployId);
    const backend = worker.getBackend();
    const marks = o.marks ?? (defaultMarks ??= marksOn(backend));
    // Wakes that came before this run are answered by it: it reads the latest record.
    await marks.take(key);
    const outcome = await o.process(job.name, job.data.deployId, shutdown.signal);
    if (outcome.kind === 'wait') {
      // The same job comes back after the delay; no worker is held while waiting.
      const movedAt = Date.now();
      const dueAt = Math.max(movedAt, outcome.dueAt ?? movedAt + outcome.delayMs);
      const data: JobData = { deployId: job.data.deployId, dueAt };
      const id = job.id ?? jobId(job.name, job.data.deployId);
      // One script moves the job to delayed and records when it is due (the pickup metric reads it).
      await backend.moveToDelayed(id, movedAt, dueAt - movedAt, token, { skipAttempt: true, fieldsToUpdate: { data: JSON.stringify(data) } });
      // A wake that came while this run was busy: the wait it just began ends now.
      if (await marks.take(key)) await backend.promote(id).catch(ignoreNotDelayed);
      throw new DelayedError();
    }
  }, {
    connection: PATIENT_CONNECTION(o.redisUrl),
    prefix: o.prefix,
    concurrency: o.concurrency ?? 8,
    lockDuration: o.lockDurationMs ?? 30_000,
    stalledInterval: Math.max(500, Math.floor((o.lockDurationMs ?? 30_000) / 2)),
    maxStalledCount: 5,
  });
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) void o.onExhausted(job.name, job.data.deployId, err).catch(() => {});
  });
  // Connection errors: BullMQ reconnects by itself; they are logged (masked), never printed raw.
  worker.on('error', (err) => o.onError?.(err));
  return {
    async close(force = false) {
      shutdown.abort();
      await worker.close(force);
    },
  };
}

/** BullMQ's answer when the job to promote is not delayed (it runs, waits already, or is gone): nothing to do. */
function ignoreNotDelayed(err: unknown): void {
  if ((err as { code?: unknown } | undefined)?.code === ErrorCode.JobNotInState) return;
  throw err;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
