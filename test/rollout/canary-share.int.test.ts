import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROGRESSIVE_CONFIG, startProgressiveWorld, type ProgressiveWorld } from './progressive-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
/** `api` with two replicas in staging: a replica ratio can only give its canary half the traffic, or all of it. */
const TWO_REPLICAS = PROGRESSIVE_CONFIG.replace('deployment: api, container: api, replicas: 4', 'deployment: api, container: api, replicas: 2');

describe('a canary on few replicas says what share it really gets', () => {
  let world: ProgressiveWorld;
  beforeEach(async () => { world = await startProgressiveWorld({ config: TWO_REPLICAS }); });
  afterEach(async () => { await world.stop(); });

  it('given 2 replicas, when a 5% canary is asked for, then the reply and the card say it gets 50%', async () => {
    const readsBefore = world.sim.requests.length;
    const dryRun = await world.say('/deploy api v1.5.0 to staging canary 5% --dry-run');
    // The version the policy judges and the replicas the share is worked out from come from one read.
    const reads = world.sim.requests.slice(readsBefore).filter((q) => q.method === 'GET' && q.path === '/apis/apps/v1/namespaces/staging/deployments/api');
    expect(reads).toHaveLength(1);
    expect(dryRun).toContain('api has 2 replicas in staging, so a canary by replica ratio gets 50% of traffic at its first step, not 5% (1 canary pod beside 1 stable pod)');

    const reply = await world.say('/deploy api v1.5.0 to staging canary 5%');

    expect(reply).toContain('Deploy #1');
    expect(reply).toContain('⚠️ api has 2 replicas in staging, so a canary by replica ratio gets 50% of traffic at its first step, not 5%');
    expect(reply).toContain('canary: { traffic: { kind: httproute, route: <route> } }');
    expect((await world.waitForPhase('1', [...END], 30_000)).phase).toBe('succeeded');
    await world.app.cards.flush();
    const card = world.output();
    expect(card).toContain('⚠️ With 2 replicas, a replica ratio gives the canary 50% → 50% → 50% → 100% of traffic, not the shares asked');
    expect(card).toContain('Step 1/4: canary gets 50% of traffic, not the 5% asked: 1 canary and 1 stable pod(s) behind the Service is the closest a replica ratio gets');
    expect(card).not.toContain('asked, 50% by replica ratio');
  });

});

describe('a canary whose share is what was asked', () => {
  let world: ProgressiveWorld;
  beforeEach(async () => {
    world = await startProgressiveWorld();
    // web's canary is weighted by this route (as in canary-httproute.int.test.ts).
    const res = await fetch(`${world.sim.url}/apis/gateway.networking.k8s.io/v1/namespaces/staging/httproutes`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'staging' }, spec: { parentRefs: [{ name: 'gateway' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } }),
    });
    expect(res.status).toBe(201);
  });
  afterEach(async () => { await world.stop(); });

  it('says nothing more: 25% of 4 replicas is one pod, and route weights are exact', async () => {
    const routed = await world.say('/deploy web v2.1.0 to staging canary 10%');
    await world.waitForPhase('1', [...END], 30_000);
    const ratio = await world.say('/deploy api v1.5.0 to staging canary 25%');
    await world.waitForPhase('2', [...END], 30_000);

    expect(routed).toContain('Deploy #1');
    expect(ratio).toContain('Deploy #2');
    await world.app.cards.flush();
    expect(world.output()).toContain('Step 1/3: canary gets 25% of traffic (1 canary and 3 stable pod(s) behind the Service)');
    expect(world.output()).toContain('Step 1/4: canary gets 10% of traffic (HTTPRoute web');
    expect(world.output()).not.toContain('⚠️');
  });
});
