import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS, startDiscordWorld, type DiscordWorld } from '../../helpers/discord-world.ts';

/**
 * People are their platform ids, linked across platforms in `people`; a Discord account that merely carries a
 * person's name is somebody else. Signed interactions through the real adapter.
 */
describe('identities on Discord are ids, never names', () => {
  let dw: DiscordWorld;
  beforeEach(async () => { dw = await startDiscordWorld(); });
  afterEach(async () => { await dw.stop(); });

  const impostorBob = { id: '100000000000000902', username: 'bob', global_name: 'Bob' };
  const toldTo = (token: string) => dw.eventually(() => dw.discord.calls.find((c) => c.method === 'POST' && c.route.endsWith(`/${token}`)));

  it('an unlinked account named like an approver does not count; the linked approver does', async () => {
    await dw.slash(USERS.alice, 'deploy', 'api v1.5.0 to production');
    const card = await dw.eventually(() => dw.card('1'));

    const fake = await dw.click(impostorBob, 'deckhand:approve:1', card.id);
    expect(((await toldTo(fake.token)).body as { content: string }).content).toMatch(/not counted/);
    const still = await dw.world.app.deploys.get('1');
    expect(still?.phase).toBe('awaiting_approval');
    expect(still?.approvals).toEqual([]);

    const real = await dw.click(USERS.bob, 'deckhand:approve:1', card.id);
    expect(((await toldTo(real.token)).body as { content: string }).content).toContain('Approved deploy #1');
    expect((await dw.world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
  });

  it('four-eyes compares people: alice cannot approve from Discord what alice asked for on another platform', async () => {
    // alice asks from the console chat (as the sandbox would), then types /approve with her linked Discord account
    await dw.world.app.pipeline.handle(
      { kind: 'message', platform: 'console', actor: { id: 'alice', name: 'alice', platform: 'console', groups: [] }, channel: 'console', deliveryId: 'c-1', text: '/deploy api v1.5.0 to production', addressed: true },
      async () => {},
    );
    expect((await dw.world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
    const asked = await dw.slash(USERS.alice, 'approve', '1');
    const told = ((await toldTo(asked.token)).body as { content: string }).content;
    expect(told).toMatch(/four-eyes/);
    expect((await dw.world.app.deploys.get('1'))?.approvals).toEqual([]);
    const refused = (await dw.world.app.audit.latest(100)).find((e) => e.kind === 'approval');
    expect(refused).toMatchObject({ accepted: false, actor: { id: USERS.alice.id, platform: 'discord' } });
  });

  it('a Discord account named alice is not alice: it may not deploy her service', async () => {
    const impostorAlice = { id: '100000000000000901', username: 'alice', global_name: 'Alice A.' };
    const asked = await dw.slash(impostorAlice, 'deploy', 'api v1.5.0 to staging');
    const reply = ((await toldTo(asked.token)).body as { content: string }).content;
    expect(reply).toMatch(/Not allowed/);
    expect(await dw.world.app.deploys.get('1')).toBeUndefined();
  });
});
