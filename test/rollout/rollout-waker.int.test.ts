import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createKubeClient } from '../../src/kube/index.ts';
import { startRolloutWaker, type RolloutWaker } from '../../src/rollout/index.ts';
import { seedFromConfig } from '../../src/sandbox/index.ts';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { DeployStore, LeaseStore, type NewDeploy } from '../../src/store/index.ts';
import { worldConfig } from '../helpers/world.ts';
import { isRolledOut as isRolledOutNow } from '../../src/rollout/canary-state.ts';

const draft = (service: string): NewDeploy => ({
  service, env: 'staging', channel: 'c1', phase: 'rolling_out', step: 'await', steering: {}, state: {}, approvals: [],
  action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } },
  requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] },
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
} as NewDeploy);

/** A client of `sim`, a store on the test Redis, and a deploy record for api and one for web. */
async function twoDeploys(sim: SimCluster) {
  const kube = createKubeClient({ kubeconfigYaml: sim.kubeconfig() });
  const redis = new Redis(inject('redisUrl'));
  const deploys = new DeployStore(redis, `t${randomBytes(4).toString('hex')}`);
  const api = (await deploys.create(draft('api'), `k-${randomBytes(4).toString('hex')}`)).deploy;
  const web = (await deploys.create(draft('web'), `k-${randomBytes(4).toString('hex')}`)).deploy;
  return { kube, redis, deploys, api, web };
}

/** The Deployment watch wakes exactly the deploy whose step waits on the Deployment that changed. */
describe('waking rollouts from the Deployment watch', () => {
  let sim: SimCluster | undefined;
  let waker: RolloutWaker | undefined;
  afterEach(async () => { await waker?.stop(); await sim?.close(); });

  it('a change to the Deployment a step waits on wakes that deploy; other changes wake nobody', async () => {
    sim = await startSimCluster({ seed: seedFromConfig(worldConfig()).seed, readyDelayMs: 30 });
    const { kube, redis, deploys, api, web } = await twoDeploys(sim);
    try {
      // Deploy 7's step waits on staging/api; deploy 8's only for time.
      let apiView = await deploys.update(api.id, (d) => ({ ...d, waitingFor: { namespace: 'staging', name: 'api' } }), api);
      await deploys.update(web.id, (d) => ({ ...d, waitingFor: 'time' }), web);
      const woken: string[] = [];
      waker = startRolloutWaker({ kube, namespaces: ['staging'], waitersOf: (deployments) => deploys.waitersOf(deployments), wake: async (id) => { woken.push(id); } });
      // The watch starts with what exists (api is waited on): one wake, then quiet.
      await expect.poll(() => woken.length, { timeout: 3_000 }).toBeGreaterThan(0);
      woken.length = 0;

      await kube.setImage('staging', 'web', 'web', 'registry.local/acme/web:v2.1.0', 'test');
      await new Promise((r) => setTimeout(r, 500));
      expect(woken).toEqual([]);

      const before = Date.now();
      await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'test');
      await expect.poll(() => woken.length, { timeout: 3_000 }).toBeGreaterThan(0);
      expect(new Set(woken)).toEqual(new Set([api.id]));
      expect(Date.now() - before).toBeLessThan(1_000);

      // Once the step waits only for time (or is running), changes wake nobody.
      apiView = await deploys.update(api.id, (d) => ({ ...d, waitingFor: 'time' }), apiView);
      woken.length = 0;
      await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.4.0', 'test');
      await new Promise((r) => setTimeout(r, 500));
      expect(woken).toEqual([]);
      const { waitingFor: _w, ...running } = apiView;
      await deploys.update(api.id, () => running, apiView);
      await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'test');
      await new Promise((r) => setTimeout(r, 500));
      expect(woken).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('a step waiting for a rollout to settle is woken once it has, not for each pod on the way', async () => {
    sim = await startSimCluster({ seed: seedFromConfig(worldConfig()).seed, readyDelayMs: 150 });
    const { kube, redis, deploys, api, web } = await twoDeploys(sim);
    try {
      const woken: { id: string; at: number }[] = [];
      waker = startRolloutWaker({ kube, namespaces: ['staging'], waitersOf: (deployments) => deploys.waitersOf(deployments), wake: async (id) => { woken.push({ id, at: Date.now() }); } });
      await new Promise((r) => setTimeout(r, 500));
      // api's step waits for its rollout to end; web's for any change (live progress).
      await deploys.update(api.id, (d) => ({ ...d, waitingFor: { namespace: 'staging', name: 'api', when: 'settled' } }), api);
      await deploys.update(web.id, (d) => ({ ...d, waitingFor: { namespace: 'staging', name: 'web' } }), web);
      woken.length = 0;
      const before = Date.now();
      await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'test');
      await kube.setImage('staging', 'web', 'web', 'registry.local/acme/web:v2.1.0', 'test');
      await expect.poll(async () => isRolledOutNow(await kube.readDeployment('staging', 'api')) && isRolledOutNow(await kube.readDeployment('staging', 'web')), { timeout: 5_000 }).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      const apiWakes = woken.filter((w) => w.id === api.id);
      const webWakes = woken.filter((w) => w.id === web.id);
      // The rollout took several status changes: web heard each, api only its end (its pods take 150 ms to be ready).
      expect(webWakes.length).toBeGreaterThan(1);
      expect(apiWakes.length).toBeGreaterThanOrEqual(1);
      expect(apiWakes.length).toBeLessThan(webWakes.length);
      expect(apiWakes[0]!.at - before).toBeGreaterThanOrEqual(150);
    } finally {
      redis.disconnect();
    }
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
      waitersOf: async (deployments) => deployments.filter((d) => d.name === 'api').map(() => '7'),
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
