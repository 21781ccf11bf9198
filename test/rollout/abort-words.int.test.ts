import { afterEach, describe, expect, it } from 'vitest';
import { END, PROGRESSIVE_CONFIG, startProgressiveWorld, until, type ProgressiveWorld } from './progressive-world.ts';

/** A person's abort says who asked and why; only a failed check is timed from a failing evaluation. */
describe('what an abort says', () => {
  let world: ProgressiveWorld;
  afterEach(async () => { await world.stop(); });

  it('given a canary holding its first step, when alice aborts it, then the card and summary name her and her reason', async () => {
    world = await startProgressiveWorld({ config: PROGRESSIVE_CONFIG.replace('hold: 400ms', 'hold: 60s') });
    await world.say('/deploy api v1.5.0 to staging canary 5%');
    await until('the first hold', () => world.app.deploys.get('1'), (d) => d?.step === 'hold');

    const reply = await world.say('/abort api staging --reason "numbers look off"');
    const d = await world.waitForPhase('1', [...END], 10_000);

    expect(reply).toContain('🛑 Aborting deploy #1: the previous version of api is being restored in staging.');
    expect(d.phase).toBe('aborted');
    expect(d.summary).toBe('Aborted by alice (“numbers look off”). Canary v1.5.0 aborted at step 1/4 (25% of traffic, 5% asked); api in staging is back on v1.4.0 exactly as before (4 replicas).');
    await world.app.cards.flush();
    expect(world.output()).toContain('Abort requested by alice (“numbers look off”): the previous version of api is being restored in staging');
    expect(world.output()).toContain('Traffic is back on v1.4.0 (aborted by alice); removing the canary');
    expect(world.output()).not.toContain('after the failing evaluation');
  });

  it('given a rolling deploy whose pods are not ready yet, when alice aborts it, then it is rolled back in her name', async () => {
    world = await startProgressiveWorld();
    const said: string[] = [];
    world.app.onDeployEvent((e) => { if (e.kind === 'phase') said.push(e.message); });
    await world.say('/deploy api v1.5.1 to staging');
    await until('the rollout', () => world.app.deploys.get('1'), (d) => d?.phase === 'rolling_out');

    await world.say('/abort api staging');
    const d = await world.waitForPhase('1', [...END], 15_000);

    expect(d.phase).toBe('aborted');
    expect(d.summary).toBe('Aborted by alice. api is back on v1.4.0 in staging (v1.5.1 was rolled back).');
    expect(said).toContain('Aborted by alice. Rolling back to v1.4.0.');
  });

  it('given a deploy still queued, when it is aborted, then nothing is said to be restored', async () => {
    world = await startProgressiveWorld({ deckhand: { worker: false } });
    await world.say('/deploy api v1.5.0 to staging');

    const reply = await world.say('/abort api staging');
    await world.restart({ worker: { concurrency: 1 } });
    const d = await world.waitForPhase('1', [...END], 10_000);

    expect(reply).toContain('🛑 Aborting deploy #1: it stops before anything is rolled out; api in staging stays as it is.');
    expect(reply).not.toContain('restored');
    expect(d.phase).toBe('aborted');
    expect(d.summary).toBe('Aborted by alice before the rollout started.');
  });
});
