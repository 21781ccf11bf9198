import type { Deploy } from '../deploy/index.ts';
import type { DeployQueue } from './deploy-queue.ts';

/**
 * Makes sure every open deploy has its job. A process that died between writing a deploy and enqueueing it would
 * otherwise leave the request stranded; enqueueing is idempotent per deploy, so jobs that exist are untouched.
 * A deploy waiting for approval gets its `expire` job at the time its approval runs out. Returns how many it saw.
 */
export async function resumeOpenDeploys(
  deploys: { listOpen(): Promise<Deploy[]> }, queue: Pick<DeployQueue, 'enqueue'>, approvalTtlMs: number, now: Date,
): Promise<number> {
  let resumed = 0;
  for (const d of await deploys.listOpen()) {
    if (d.phase === 'awaiting_approval') {
      const left = new Date(d.createdAt).getTime() + approvalTtlMs - now.getTime();
      await queue.enqueue('expire', d.id, Math.max(0, left));
    } else {
      await queue.enqueue('run', d.id);
    }
    resumed++;
  }
  return resumed;
}
