import { afterEach, describe, expect, it } from 'vitest';
import { createKubeClient } from '../../src/kube/index.ts';
import { startRolloutWaker, waiterLookup, type RolloutWaker } from '../../src/rollout/index.ts';
import { seedFromConfig } from '../../src/sandbox/index.ts';
import { startSimCluster, type SimCluster } from '../../src/sim/kube/index.ts';
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
    const waiting = new Map([['7', { namespace: 'staging', name: 'api' }]]);
    const lookup = waiterLookup({
      targets: [
        { service: 'api', env: 'staging', namespace: 'staging', deployment: 'api' },
        { service: 'web', env: 'staging', namespace: 'staging', deployment: 'web' },
      ],
      holderOf: async (service) => (service === 'api' ? '7' : service === 'web' ? '8' : undefined),
      deploy: async (id) => ({ waitingFor: waiting.get(id) }),
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

    // Once the step no longer waits on it, its changes wake nobody.
    waiting.delete('7');
    woken.length = 0;
    await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.4.0', 'test');
    await new Promise((r) => setTimeout(r, 500));
    expect(woken).toEqual([]);
  });
});
