import { DelayedError, Queue, Worker, type Job } from 'bullmq';

/** Job kinds: run a deploy's next steps, or expire a deploy still waiting for approval. */
export type JobKind = 'run' | 'expire';

export interface JobData {
  deployId: string;
  /** When a job a step moved to delayed is due again (BullMQ keeps the job's first timestamp). */
  dueAt?: number;
}

export type JobOutcome = { kind: 'finished' } | { kind: 'wait'; delayMs: number };

export interface QueueOptions {
  redisUrl: string;
  /** Key prefix in Redis; tests use a random one per test. */
  prefix: string;
  name?: string;
}

export interface DeployQueue {
  /** Idempotent per deploy: a deploy has at most one `run` job waiting or active at a time. */
  enqueue(kind: JobKind, deployId: string, delayMs?: number): Promise<void>;
  /** Runs a deploy's delayed `run` job now (a person steered it while it waited); no-op otherwise. */
  wake(deployId: string): Promise<void>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
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

export function createDeployQueue(o: QueueOptions): DeployQueue {
  const queue = new Queue<JobData, void, JobKind>(o.name ?? DEFAULT_NAME, { connection: { url: o.redisUrl, maxRetriesPerRequest: null }, prefix: o.prefix });
  return {
    async enqueue(kind, deployId, delayMs) {
      await queue.add(kind, { deployId }, {
        jobId: jobId(kind, deployId),
        delay: delayMs,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: true,
        removeOnFail: 1000,
      });
    },
    async wake(deployId) {
      // A job running right now may be about to move itself to delayed (a long hold or a pause) without having seen
      // the new flag: look again for a few seconds, in the background, and promote it once it is delayed.
      const tryPromote = async (): Promise<'done' | 'active'> => {
        const job = await queue.getJob(jobId('run', deployId));
        if (!job) return 'done';
        const state = await job.getState();
        if (state === 'delayed') { await job.promote().catch(() => { /* it started meanwhile */ }); return 'done'; }
        return state === 'active' ? 'active' : 'done';
      };
      if (await tryPromote() === 'done') return;
      void (async () => {
        for (let i = 0; i < 20; i++) {
          await new Promise((r) => setTimeout(r, 150));
          if (await tryPromote().catch(() => 'done' as const) === 'done') return;
        }
      })();
    },
    async counts() {
      return queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'completed');
    },
    async close() {
      await queue.close();
    },
  };
}

export function startDeployWorker(o: WorkerOptions): DeployWorker {
  const shutdown = new AbortController();
  const worker = new Worker<JobData, void, JobKind>(o.name ?? DEFAULT_NAME, async (job: Job<JobData, void, JobKind>, token?: string) => {
    const dueAt = job.data.dueAt ?? job.timestamp + (job.delay ?? 0);
    o.onPicked?.(job.name, Math.max(0, (job.processedOn ?? Date.now()) - dueAt));
    const outcome = await o.process(job.name, job.data.deployId, shutdown.signal);
    if (outcome.kind === 'wait') {
      // The same job comes back after the delay; no worker is held while waiting.
      const wakeAt = Date.now() + outcome.delayMs;
      await job.updateData({ deployId: job.data.deployId, dueAt: wakeAt });
      await job.moveToDelayed(wakeAt, token);
      throw new DelayedError();
    }
  }, {
    connection: { url: o.redisUrl, maxRetriesPerRequest: null },
    prefix: o.prefix,
    concurrency: o.concurrency ?? 8,
    lockDuration: o.lockDurationMs ?? 30_000,
    stalledInterval: Math.max(500, Math.floor((o.lockDurationMs ?? 30_000) / 2)),
    maxStalledCount: 5,
  });
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) void o.onExhausted(job.name, job.data.deployId, err).catch(() => {});
  });
  worker.on('error', () => { /* connection errors: BullMQ reconnects by itself */ });
  return {
    async close(force = false) {
      shutdown.abort();
      await worker.close(force);
    },
  };
}
