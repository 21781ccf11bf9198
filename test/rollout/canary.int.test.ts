import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/deploy/index.ts';
import { startProgressiveWorld, type ProgressiveWorld } from './progressive-world.ts';

const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;

async function rawDeployment(world: ProgressiveWorld, name: string): Promise<{ status: number; body: { spec?: unknown; metadata?: { annotations?: Record<string, string> } } }> {
  const res = await fetch(`${world.sim.url}/apis/apps/v1/namespaces/staging/deployments/${name}`);
  return { status: res.status, body: await res.json() as { spec?: unknown } };
}

function analysisEvents(events: DeployEvent[]): Extract<DeployEvent, { kind: 'analysis' }>[] {
  return events.filter((e): e is Extract<DeployEvent, { kind: 'analysis' }> => e.kind === 'analysis');
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('canary deploys by replica ratio, analysed against the simulated Prometheus', () => {
  let world: ProgressiveWorld;
  let events: DeployEvent[];
  beforeEach(async () => {
    world = await startProgressiveWorld();
    events = [];
    world.app.onDeployEvent((e) => events.push(e));
  });
  afterEach(async () => { await world.stop(); });

  it('given a healthy version, when it is deployed as a canary, then every step passes analysis and it becomes stable', async () => {
    const reply = await world.say('/deploy api v1.5.0 to staging canary 5%');
    expect(reply).toContain('Deploy #1');

    const d = await world.waitForPhase('1', [...END], 30_000);

    expect(d.phase).toBe('succeeded');
    const stable = await world.app.kube.readDeployment('staging', 'api');
    expect(stable.images.api).toBe('registry.local/acme/api:v1.5.0');
    expect(stable.desired).toBe(4);
    expect((await rawDeployment(world, 'api-canary')).status).toBe(404);
    const rounds = analysisEvents(events);
    // 5% of 4 replicas is one pod of four: the label says what the canary really got.
    expect(new Set(rounds.map((r) => r.label))).toEqual(new Set(['step 1/4 (25% of traffic, 5% asked)', 'step 2/4 (25%)', 'step 3/4 (50%)']));
    expect(rounds.every((r) => r.verdict === 'pass')).toBe(true);
    const errorRate = rounds[0]?.checks.find((c) => c.check === 'error-rate');
    expect(errorRate).toMatchObject({ status: 'pass', threshold: 0.01 });
    expect(errorRate?.value).toBeCloseTo(0.001, 5);
    await world.app.cards.flush();
    expect(world.output()).toContain('Analysis step 1/4 (25% of traffic, 5% asked): ✅ error-rate 0.1% ≤ 1%');
    expect(world.output()).toContain('✅ Succeeded');
  });

  it('creates the canary at its first step\'s size, so its pods start with it and its spec is written once', async () => {
    await world.say('/deploy api v1.5.0 to staging canary 5%');
    await until('the first hold', async () => (await world.app.deploys.get('1'))?.step === 'hold');

    const canary = (await rawDeployment(world, 'api-canary')).body as { metadata: { generation: number }; spec: { replicas: number } };
    // One pod of four for 5%; the step's own "set to one replica" then changes nothing, so the generation stays 1.
    expect(canary.spec.replicas).toBe(1);
    expect(canary.metadata.generation).toBe(1);
    expect((await world.waitForPhase('1', [...END], 30_000)).phase).toBe('succeeded');
  });

  it('given a version with 8% 5xx, when its canary is analysed, then it is aborted at the first analysis and the service is as before', async () => {
    const before = await rawDeployment(world, 'api');

    await world.say('/deploy api v1.5.2 to staging canary 5%');
    const d = await world.waitForPhase('1', [...END], 30_000);

    expect(d.phase).toBe('rolled_back');
    expect(d.summary).toContain('Check error-rate failed: 8% against a limit of 1%');
    expect(d.summary).toMatch(/Traffic was back on v1\.4\.0 \d+ ms after the failing evaluation/);
    const rounds = analysisEvents(events);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toMatchObject({ label: 'step 1/4 (25% of traffic, 5% asked)', verdict: 'fail' });
    const state = d.state as { failedAt: number; trafficRestoredAt: number };
    expect(state.trafficRestoredAt - state.failedAt).toBeLessThan(2_000);
    const after = await rawDeployment(world, 'api');
    expect(after.body.spec).toEqual(before.body.spec);
    expect((await rawDeployment(world, 'api-canary')).status).toBe(404);
    await world.app.cards.flush();
    expect(world.output()).toContain('❌ error-rate 8% > 1%');
  });

  it('given a version with no metrics, when its canary is analysed, then it pauses and asks instead of promoting', async () => {
    await world.say('/deploy api v1.5.3 to staging canary 5%');
    await until('a paused canary', async () => (await world.app.deploys.get('1'))?.state.pausedInconclusive === true);
    await new Promise((r) => setTimeout(r, 800));

    const d = await world.app.deploys.get('1');
    expect(d?.phase).toBe('rolling_out');
    expect(d?.state.stepIndex).toBe(0);
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    expect(analysisEvents(events).at(-1)?.verdict).toBe('inconclusive');
    await world.app.cards.flush();
    expect(world.output()).toContain('Analysis inconclusive');

    expect(await world.say('/abort api staging')).toContain('Aborting deploy #1');
    const ended = await world.waitForPhase('1', [...END]);
    expect(ended.phase).toBe('aborted');
    expect((await world.app.kube.readDeployment('staging', 'api')).desired).toBe(4);
  });
});

describe('a canary whose metrics appear late (a real Prometheus discovers new pods in batches)', () => {
  let world: ProgressiveWorld | undefined;
  afterEach(async () => { await world?.stop(); world = undefined; });

  it('given no data within noDataGrace of the traffic change, when the data then appears, then the canary goes on without pausing', async () => {
    const { PROGRESSIVE_CONFIG } = await import('./progressive-world.ts');
    world = await startProgressiveWorld({ config: PROGRESSIVE_CONFIG.replace('analysis: { interval: 200ms, failureLimit: 1 }', 'analysis: { interval: 200ms, failureLimit: 1, noDataGrace: 3s }') });
    const events: DeployEvent[] = [];
    world.app.onDeployEvent((e) => events.push(e));
    await world.say('/deploy api v1.5.3 to staging canary 5%');
    await until('a round without data', async () => analysisEvents(events).some((e) => e.verdict === 'inconclusive'));
    await new Promise((r) => setTimeout(r, 600));

    // Rounds keep coming (not one and a pause), and the step does not pass on them.
    const early = await world.app.deploys.get('1');
    expect(early?.state.pausedInconclusive).not.toBe(true);
    expect(early?.state.stepIndex).toBe(0);
    expect(analysisEvents(events).filter((e) => e.verdict === 'inconclusive').length).toBeGreaterThan(1);

    world.prometheus.setProfile('registry.local/acme/api:v1.5.3', { silent: false });
    const d = await world.waitForPhase('1', [...END], 30_000);
    expect(d.phase).toBe('succeeded');
    expect(d.state.pausedInconclusive).not.toBe(true);
  });

  it('given still no data when noDataGrace is over, then it pauses and asks', async () => {
    const { PROGRESSIVE_CONFIG } = await import('./progressive-world.ts');
    world = await startProgressiveWorld({ config: PROGRESSIVE_CONFIG.replace('analysis: { interval: 200ms, failureLimit: 1 }', 'analysis: { interval: 200ms, failureLimit: 1, noDataGrace: 1s }') });
    const started = Date.now();
    await world.say('/deploy api v1.5.3 to staging canary 5%');
    await until('a paused canary', async () => (await world!.app.deploys.get('1'))?.state.pausedInconclusive === true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
