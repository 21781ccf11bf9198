import { afterEach, describe, expect, it } from 'vitest';
import { END, PROGRESSIVE_CONFIG, startProgressiveWorld, until, type ProgressiveWorld } from './progressive-world.ts';

/** During blue-green the service's own Deployment is the old colour: /status says which colour serves. */
describe('/status during a blue-green deploy', () => {
  let world: ProgressiveWorld;
  afterEach(async () => { await world.stop(); });

  it('before the switch, the old colour serves and the new one is being brought up', async () => {
    world = await startProgressiveWorld();
    // v1.5.1's pods never become ready: the new colour stays on its way up until its deadline.
    await world.say('/deploy api v1.5.1 to staging bluegreen');
    await until('the new colour', () => world.app.deploys.get('1'), (d) => d?.step === 'await_green');

    const status = await world.say('/status api staging');

    expect(status).toContain('• api staging: v1.4.0 serves all traffic (api: 4/4 available) · v1.5.1 is being brought up beside it (api-green: 0/4 available) · in flight: #1 v1.5.1 (bluegreen) by alice');
  });

  it('after the switch, the new colour serves and the old one is kept for an instant roll back', async () => {
    world = await startProgressiveWorld({ config: PROGRESSIVE_CONFIG.replace('keepOldFor: 1s', 'keepOldFor: 60s') });
    await world.say('/deploy api v1.5.0 to staging bluegreen');
    await until('the switch', () => world.app.deploys.get('1'), (d) => d?.step === 'keep');

    const status = await world.say('/status api staging');

    expect(status).toMatch(/• api staging: v1\.5\.0 serves all traffic \(api-green: 4\/4 available\) · v1\.4\.0 is kept up for an instant roll back until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(api: 4\/4 available\) · in flight: #1 v1\.5\.0 \(bluegreen\) by alice/);
    expect(status).not.toContain('v1.4.0 —');

    await world.say('/abort api staging');
    const d = await world.waitForPhase('1', [...END], 10_000);
    expect(d.phase).toBe('aborted');
    await world.app.cards.flush();
    expect(world.output()).toContain('Aborted by alice: switching all traffic back to v1.4.0');
    expect(await world.say('/status api staging')).toContain('• api staging: v1.4.0 — 4/4 available');
  });

  it('/pause is refused with what would help, and /promote in the keep window says the instant roll back goes', async () => {
    world = await startProgressiveWorld({ config: PROGRESSIVE_CONFIG.replace('keepOldFor: 1s', 'keepOldFor: 60s') });
    await world.say('/deploy api v1.5.0 to staging bluegreen');
    await until('the switch', () => world.app.deploys.get('1'), (d) => d?.step === 'keep');

    const paused = await world.say('/pause api staging');
    const promoted = await world.say('/promote api staging');
    const d = await world.waitForPhase('1', [...END], 15_000);

    expect(paused).toContain('/pause holds a canary at its step; blue-green deploy #1 has no steps to hold. /promote api staging moves it on now');
    expect(promoted).toContain('Deploy #1 (api in staging) is promoted: the old colour is let go now, and with it the instant roll back.');
    expect(d.phase).toBe('succeeded');
    expect(d.summary).toBe('api v1.5.0 is live in staging (blue-green): api now runs it and serves again; the temporary api-green is removed.');
  });
});
