import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedBackend, readPolicyDir } from '../../src/policy/index.ts';
import { startWorld, type World } from '../helpers/world.ts';

/** The approvers of a hotfix during a freeze see why it asks to go through: the freeze, and the reason given. */
describe('a hotfix during a freeze, through the console chat', () => {
  let world: World;
  afterEach(async () => { await world.stop(); });

  it('given production frozen with /freeze, the reply and the approval card show the freeze and the reason', async () => {
    world = await startWorld();
    await world.say('@carol /freeze production until 2099-01-01T18:00Z "black friday"');

    const reply = await world.say('/deploy api v1.5.0 to production --reason "checkout is down"');

    const context = '❄️ Hotfix during a freeze: production is frozen by carol until 2099-01-01 18:00 UTC (“black friday”). Reason given: “checkout is down”.';
    expect(reply).toContain('needs 2 approval(s) from approvers');
    expect(reply).toContain(context);
    await world.app.cards.flush();
    expect(world.output()).toContain(`${context}\n    Needs 2 approval(s) from approvers: /approve 1`);

    // The console prints only a card's new lines; test/notify/card-publisher-context.test.ts shows the card keeps them.
    await world.say('@bob /approve 1');
    await world.app.cards.flush();
    const card = world.output().slice(world.output().lastIndexOf('[#1 '));
    expect(card).toContain('⏳ Awaiting approval\n    Approved by bob (1/2)');
  });

  it('given a freeze window in the policy data, the card names it', async () => {
    const bundle = await readPolicyDir('policies');
    const data = structuredClone(bundle.data) as { deckhand: { config: { freezes: { windows: unknown[] } } } };
    data.deckhand.config.freezes.windows = [{ envs: ['production'], from: '2000-01-01T00:00:00Z', until: '2099-01-01T00:00:00Z', reason: 'year-end' }];
    world = await startWorld({ deckhand: { policy: createEmbeddedBackend({ ...bundle, data }) } });

    const refused = await world.say('/deploy api v1.5.0 to production');
    const reply = await world.say('/deploy api v1.5.0 to production --reason "checkout is down"');

    expect(refused).toContain('production is frozen (year-end)');
    expect(reply).toContain('❄️ Hotfix during a freeze: production is in a freeze window of the policy. Reason given: “checkout is down”.');
  });

  it('a deploy that needs approval outside a freeze says nothing about one', async () => {
    world = await startWorld();

    const reply = await world.say('/deploy api v1.5.0 to production --reason "routine"');

    expect(reply).toContain('needs 1 approval(s) from approvers');
    expect(reply).not.toContain('freeze');
  });
});
