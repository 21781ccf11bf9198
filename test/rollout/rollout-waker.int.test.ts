import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createKubeClient } from '../../src/kube/index.ts';
import { startRolloutWaker, waiterLookup, type RolloutWaker } from '../../src/rollout/index.ts';
import { seedFromConfig } from '../../src/sandbox/index.ts';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { LeaseStore } from '../../src/store/index.ts';
import { worldConfig } from '../helpers/world.ts';

/** The Deployment watch wakes exactly the deploy whose step waits on the Deployment that changed. */
describe('waking rollouts from the Deployment watch', () => {
  let sim: SimCluster | undefined;
  let waker: RolloutWaker | undefined;
  afterEach(async () => { await waker?.stop(); await sim?.close(); });

  it('a change to the Deployment a step waits on wakes that deploy; other changes wake nobody', async () => {
    const { seed } = seedFromConfig(worldConfig());
    sim = await startSimCluster({ seed, readyDelayMs: 30 });
    const kube = createKubeClient({ kubeconfigYaml: sim.kubeconfig() });
    const waiting = new Map<string, { namespace: string; name: string } | 'time'>([['7', { namespace: 'staging', name: 'api' }], ['8', 'time']]);
    const lookup = waiterLookup({
      targets: [
        { service: 'api', env: 'staging', namespace: 'staging', deployment: 'api' },
        { service: 'web', env: 'staging', namespace: 'staging', deployment: 'web' },
      ],
      holderOf: async (service) => (service === 'api' ? '7' : service === 'web' ? '8' : undefined),
      waitingFor: async (id) => waiting.get(id),
    });
    expect(lookup.namespaces).toEqual(['staging']);
    const woken: string[] = [];
    waker = startRolloutWaker({ kube, namespaces: lookup.namespaces, waiterOf: lookup.waiterOf, wake: async (id) => { woken.push(id); } });
    // The watch starts with what exists (api is waited on): one wake, then quiet.
    await expect.poll(() => woken.length, { timeout: 3_000 }).toBeGreaterThan(0);
    woken.length = 0;

    await kube.setImage('staging', 'web', 'web', 'registry.local/acme/web:v2.1.0', 'test');
    await new Promise((r) => setTimeout(r, 500));
    expect(woken).toEqual([]);

    const before = Date.now();
    await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'test');
    await expect.poll(() => woken.length, { timeout: 3_000 }).toBeGreaterThan(0);
    expect(new Set(woken)).toEqual(new Set(['7']));
    expect(Date.now() - before).toBeLessThan(1_000);

    // Once the step waits only for time (or is running), changes wake nobody.
    waiting.set('7', 'time');
    woken.length = 0;
    await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.4.0', 'test');
    await new Promise((r) => setTimeout(r, 500));
    expect(woken).toEqual([]);
    waiting.delete('7');
    await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'test');
    await new Promise((r) => setTimeout(r, 500));
    expect(woken).toEqual([]);
  });

  it('with a lease, one of several wakers watches; when it stops, another takes over', async () => {
    const { seed } = seedFromConfig(worldConfig());
    sim = await startSimCluster({ seed, readyDelayMs: 30 });
    const kube = createKubeClient({ kubeconfigYaml: sim.kubeconfig() });
    const redis = new Redis(inject('redisUrl'));
    const leases = new LeaseStore(redis, `t${randomBytes(4).toString('hex')}`);
    const woken: string[] = [];
    const start = (who: string): RolloutWaker => startRolloutWaker({
      kube, namespaces: ['staging'],
      waiterOf: async (_ns, name) => (name === 'api' ? '7' : undefined),
      wake: async () => { woken.push(who); },
      lease: { hold: () => leases.hold('deployment-watch', who, 600), release: () => leases.release('deployment-watch', who), renewMs: 150 },
    });
    const first = start('first');
    const second = start('second');
    try {
      await expect.poll(() => woken.length, { timeout: 3_000 }).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      woken.length = 0;
      await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'test');
      await expect.poll(() => woken.length, { timeout: 3_000 }).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(new Set(woken).size).toBe(1);
      const leader = woken[0];
      await (leader === 'first' ? first : second).stop();
      woken.length = 0;
      await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.4.0', 'test');
      await expect.poll(() => woken.includes(leader === 'first' ? 'second' : 'first'), { timeout: 5_000 }).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
      redis.disconnect();
    }
  });
});
