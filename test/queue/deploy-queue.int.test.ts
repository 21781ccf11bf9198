import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDeployQueue, startDeployWorker, type DeployQueue, type DeployWorker } from '../../src/queue/index.ts';

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
});
