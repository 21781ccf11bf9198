import { afterEach, describe, expect, it } from 'vitest';
import type { Deploy, DeployEvent } from '../../src/deploy/index.ts';
import { PROGRESSIVE_CONFIG, startProgressiveWorld, type ProgressiveWorld } from './progressive-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;
/** Holds long enough that only a person moves the canary on. */
const LONG_HOLDS = PROGRESSIVE_CONFIG.replace('hold: 400ms', 'hold: 60s');

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('steering a canary from chat', () => {
  let world: ProgressiveWorld;
  afterEach(async () => { await world.stop(); });

  const at = (step: string, index: number) => (d: Deploy | undefined) => d?.step === step && d.state.stepIndex === index;

  it('/promote moves to the next step at once, /pause holds it, /resume carries on, /abort restores stable', async () => {
    world = await startProgressiveWorld({ config: LONG_HOLDS });
    const events: DeployEvent[] = [];
    world.app.onDeployEvent((e) => events.push(e));
    await world.say('/deploy api v1.5.0 to staging canary 5%');
    const read = () => world.app.deploys.get('1');
    await until('step 1 hold', read, at('hold', 0));

    expect(await world.say('/promote api staging')).toContain('promoted to its next step');
    await until('step 2 hold', read, at('hold', 1), 5_000);

    expect(await world.say('/pause api')).toContain('paused');
    await new Promise((r) => setTimeout(r, 300));
    const roundsWhilePaused = Number((await read())?.state.rounds);
    await new Promise((r) => setTimeout(r, 600));
    expect(Number((await read())?.state.rounds)).toBe(roundsWhilePaused);

    expect(await world.say('/resume api')).toContain('resumed');
    await until('analysis after resume', read, (d) => Number(d?.state.rounds) > roundsWhilePaused, 5_000);

    // The card's Promote button goes through the same desk.
    await world.app.pipeline.handle({ kind: 'action', action: 'promote', deployId: '1', platform: 'console', channel: 'console', deliveryId: 'click-1', actor: { id: 'alice', name: 'alice', platform: 'console', groups: [] } }, async () => {});
    await until('step 3 hold', read, at('hold', 2), 5_000);
    const canary = await world.app.kube.readDeployment('staging', 'api-canary');
    expect(canary.desired).toBe(2);

    expect(await world.say('/abort api staging')).toContain('Aborting deploy #1');
    const d = await world.waitForPhase('1', [...END], 10_000);
    expect(d.phase).toBe('aborted');
    expect(d.summary).toContain('Aborted by alice');
    const stable = await world.app.kube.readDeployment('staging', 'api');
    expect([stable.images.api, stable.desired]).toEqual(['registry.local/acme/api:v1.4.0', 4]);
    expect(await world.app.kube.findDeployment('staging', 'api-canary')).toBeUndefined();
  });

  it('given a worker killed during a hold, when another starts, then the canary resumes at the same step', async () => {
    world = await startProgressiveWorld({ config: PROGRESSIVE_CONFIG.replace('hold: 400ms', 'hold: 1500ms') });
    await world.say('/deploy api v1.5.0 to staging canary 5%');
    const read = () => world.app.deploys.get('1');
    await until('step 2 hold', read, at('hold', 1));

    await world.app.stopWorker(true);
    const during = await read();
    const survivor = await world.restart();
    const d = await world.waitForPhase('1', [...END], 30_000);

    expect(during?.state.stepIndex).toBe(1);
    expect(d.phase).toBe('succeeded');
    expect((await survivor.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.5.0');
    // The canary Deployment was created once, and scaled once per step.
    const creates = world.sim.requests.filter((r) => r.method === 'POST' && r.path === '/apis/apps/v1/namespaces/staging/deployments');
    expect(creates).toHaveLength(1);
  });

  it('given a version whose pods never get ready, when it is deployed as a canary, then it aborts at the progress deadline', async () => {
    world = await startProgressiveWorld();
    await world.say('/deploy api v1.5.1 to staging canary 5%');

    const d = await world.waitForPhase('1', [...END], 30_000);

    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toContain('did not become ready within its progress deadline (3 s)');
    const stable = await world.app.kube.readDeployment('staging', 'api');
    expect([stable.images.api, stable.desired]).toEqual(['registry.local/acme/api:v1.4.0', 4]);
  });

  it('given a version that fails its HTTP probe, when its canary is analysed, then it is aborted naming the probe', async () => {
    world = await startProgressiveWorld();
    await world.say('/deploy api v1.5.4 to staging canary 25%');

    const d = await world.waitForPhase('1', [...END], 30_000);

    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toMatch(/Check probe \/healthz failed: api-canary-[a-z0-9]+-[a-z0-9]+ answered 503\. Canary v1\.5\.4 aborted/);
    expect(await world.app.kube.findDeployment('staging', 'api-canary')).toBeUndefined();
  });
});
