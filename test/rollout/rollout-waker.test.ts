import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentChange } from '../../src/kube/index.ts';
import { startRolloutWaker, type RolloutWaker } from '../../src/rollout/rollout-waker.ts';

/** A watch that reports the given changes all at once (as one chunk of a watch stream does), then stays open. */
function watchReporting(changes: [string, string][]) {
  return {
    async watchNamespaceDeployments(_namespace: string, onChange: (change: DeploymentChange) => void, signal: AbortSignal): Promise<void> {
      for (const [namespace, name] of changes) onChange({ namespace, name });
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
}

describe('rollout waker', () => {
  let waker: RolloutWaker | undefined;
  afterEach(async () => {
    await waker?.stop();
    waker = undefined;
  });

  it('looks up changes that arrive together in one read and wakes each waiting deploy once', async () => {
    const lookups: string[][] = [];
    const woken: string[] = [];
    // A canary and its stable Deployment (one deploy waits on them), a third nobody waits on, and api's change twice.
    const kube = watchReporting([['prod', 'api-canary'], ['prod', 'api'], ['prod', 'web'], ['prod', 'api'], ['prod', 'db']]);
    const waiting: Record<string, string> = { 'prod/api-canary': '7', 'prod/api': '7', 'prod/db': '9' };
    waker = startRolloutWaker({
      kube, namespaces: ['prod'],
      waitersOf: async (deployments) => {
        lookups.push(deployments.map((d) => `${d.namespace}/${d.name}`));
        return deployments.flatMap((d) => waiting[`${d.namespace}/${d.name}`] ?? []);
      },
      wake: async (id) => { woken.push(id); },
    });
    await expect.poll(() => woken.length).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(lookups).toEqual([['prod/api-canary', 'prod/api', 'prod/web', 'prod/db']]);
    expect(woken.sort()).toEqual(['7', '9']);
  });

  it('a failed wake is reported and does not keep the other waiters asleep', async () => {
    const errors: unknown[] = [];
    const woken: string[] = [];
    waker = startRolloutWaker({
      kube: watchReporting([['prod', 'api'], ['prod', 'web']]), namespaces: ['prod'],
      waitersOf: async (deployments) => deployments.map((d) => (d.name === 'api' ? '1' : '2')),
      wake: async (id) => {
        if (id === '1') throw new Error('queue unavailable');
        woken.push(id);
      },
      onError: (err) => errors.push(err),
    });
    await expect.poll(() => errors.length).toBe(1);
    expect(woken).toEqual(['2']);
    expect((errors[0] as Error).message).toBe('queue unavailable');
  });
});
