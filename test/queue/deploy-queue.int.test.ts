import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDeployQueue, startDeployWorker, type DeployQueue, type DeployWorker } from '../../src/queue/index.ts';
import { connectRedis, MarkStore, type Redis } from '../../src/store/index.ts';

describe('the deploy queue', () => {
  let queue: DeployQueue | undefined;
  let worker: DeployWorker | undefined;
  afterEach(async () => { await worker?.close(true); await queue?.close(); });

  it('measures the wait of a job a step put back to sleep from the moment it was due again, not from its first enqueue', async () => {
    const prefix = `q${randomBytes(4).toString('hex')}`;
    const redisUrl = inject('redisUrl');
    queue = createDeployQueue({ redisUrl, prefix });
    const waits: number[] = [];
    const runs: number[] = [];
    const finished = new Promise<void>((resolve) => {
      worker = startDeployWorker({
        redisUrl, prefix,
        onPicked: (_kind, waitedMs) => waits.push(waitedMs),
        onExhausted: async () => {},
        async process() {
          runs.push(Date.now());
          if (runs.length < 3) {
            // A step that works for a while, then waits: the job's first timestamp is long past when it is due again.
            await new Promise((r) => setTimeout(r, 600));
            return { kind: 'wait', delayMs: 100 };
          }
          resolve();
          return { kind: 'finished' };
        },
      });
    });
    await queue.enqueue('run', 'd1');
    await finished;
    expect(runs).toHaveLength(3);
    expect(runs[2]! - runs[1]!).toBeGreaterThanOrEqual(600 + 100 - 5);
    expect(waits).toHaveLength(3);
    for (const w of waits) expect(w).toBeLessThan(400);
  });

  it('runs a job again when its wait is due, counted from when the step began (the time it worked counts)', async () => {
    const prefix = `q${randomBytes(4).toString('hex')}`;
    const redisUrl = inject('redisUrl');
    queue = createDeployQueue({ redisUrl, prefix });
    const runs: number[] = [];
    const finished = new Promise<void>((resolve) => {
      worker = startDeployWorker({
        redisUrl, prefix, onExhausted: async () => {},
        async process() {
          const began = Date.now();
          runs.push(began);
          if (runs.length === 1) {
            await new Promise((r) => setTimeout(r, 400));
            return { kind: 'wait', delayMs: 700, dueAt: began + 700 };
          }
          resolve();
          return { kind: 'finished' };
        },
      });
    });
    await queue.enqueue('run', 'd1');
    await finished;
    // Due 700 ms after the first run began, not 700 ms after it ended (1100).
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(700 - 5);
    expect(runs[1]! - runs[0]!).toBeLessThan(1_000);
  });

  // Where the marks live changes nothing a person sees: BullMQ's connection by default, the store's in production.
  describe.each([
    ['on the queue\'s own connection', 'queue'],
    ['on the store\'s connection', 'store'],
  ])('wake marks %s', (_where, where) => {
    let store: Redis | undefined;
    const marks = (): MarkStore | undefined => {
      if (where !== 'store') return undefined;
      store ??= connectRedis(inject('redisUrl'));
      return new MarkStore(store);
    };
    afterEach(() => { store?.disconnect(); store = undefined; });

    it.each([
      ['while the job waits in a delayed job', 'delayed'],
      ['while the job is running (the wait it then begins ends at once)', 'active'],
    ])('a wake %s runs the job again at once, not when its 30 s wait is due', async (_, when) => {
      const prefix = `q${randomBytes(4).toString('hex')}`;
      const redisUrl = inject('redisUrl');
      queue = createDeployQueue({ redisUrl, prefix, marks: marks() });
      const runs: number[] = [];
      let release: () => void = () => {};
      const started = new Promise<void>((r) => { release = r; });
      const second = new Promise<void>((resolve) => {
        worker = startDeployWorker({
          redisUrl, prefix, marks: marks(), onExhausted: async () => {},
          async process() {
            runs.push(Date.now());
            if (runs.length === 1) {
              release();
              // Busy long enough for the wake to arrive while the job is still active.
              if (when === 'active') await new Promise((r) => setTimeout(r, 300));
              return { kind: 'wait', delayMs: 30_000 };
            }
            resolve();
            return { kind: 'finished' };
          },
        });
      });
      await queue.enqueue('run', 'd1');
      await started;
      if (when === 'delayed') await new Promise((r) => setTimeout(r, 300));
      const wokenAt = Date.now();
      await queue.wake('d1');
      await second;
      expect(runs).toHaveLength(2);
      expect(runs[1]! - wokenAt).toBeLessThan(2_000);
    });

    it('a wake that comes before a run does not cut short a wait that run begins afterwards', async () => {
      const prefix = `q${randomBytes(4).toString('hex')}`;
      const redisUrl = inject('redisUrl');
      queue = createDeployQueue({ redisUrl, prefix, marks: marks() });
      const runs: number[] = [];
      await queue.wake('d1'); // nothing to wake yet: the mark must not outlive the run that answers it
      worker = startDeployWorker({
        redisUrl, prefix, marks: marks(), onExhausted: async () => {},
        async process() {
          runs.push(Date.now());
          return runs.length === 1 ? { kind: 'wait', delayMs: 1_500 } : { kind: 'finished' };
        },
      });
      await queue.enqueue('run', 'd1');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(runs).toHaveLength(1);
    });
  });
});
