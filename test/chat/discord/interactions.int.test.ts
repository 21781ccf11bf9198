import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInteractionSigner, sendInteraction, slashCommandInteraction } from '@deckhand/sim/discord';
import { APP_ID, CHANNEL, RELEASES_CHANNEL, USERS, startDiscordWorld, type DiscordWorld } from '../../helpers/discord-world.ts';

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
type Row = { components: { custom_id: string; label: string }[] };

const buttonsOf = (m: { components: unknown[] } | undefined): string[] => ((m?.components ?? []) as Row[]).flatMap((r) => r.components.map((c) => c.custom_id));
const embedOf = (m: { embeds: unknown[] } | undefined): Embed => ((m?.embeds ?? []) as Embed[])[0] ?? {};

describe('Discord interactions run deploys end to end (real discord.js against the simulated Discord)', () => {
  let dw: DiscordWorld;
  beforeEach(async () => { dw = await startDiscordWorld(); });
  afterEach(async () => { await dw.stop(); });

  it('given a signed /deploy to production, when an approver clicks Approve, then it rolls out, the card follows and a release notice goes out', async () => {
    // When alice types the slash command
    const asked = await dw.slash(USERS.alice, 'deploy', 'api v1.5.0 to production');

    // Then Discord gets a deferred answer at once; the answer (pending approval is for alice only) follows
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ type: 5 });
    expect(asked.ms).toBeLessThan(3000);
    const reply = await dw.eventually(() => dw.discord.calls.find((c) => c.method === 'POST' && c.route.endsWith(`/${asked.token}`)));
    expect(reply.body).toMatchObject({ flags: 64, content: expect.stringContaining('needs 1 approval(s) from approvers') });
    expect(reply.authorization).toBeUndefined(); // interaction webhooks are not bot calls

    // And the card is posted in the channel, as the bot, with Approve and Deny
    const pending = await dw.eventually(() => dw.card('1'));
    expect(embedOf(pending).description).toContain('Awaiting approval');
    expect(buttonsOf(pending)).toEqual(['deckhand:approve:1', 'deckhand:deny:1']);
    expect(dw.discord.calls.find((c) => c.method === 'POST' && c.route === `/channels/${CHANNEL}/messages`)?.authorization).toBe('Bot sim-bot-token.abc');

    // When bob clicks Approve
    const click = await dw.click(USERS.bob, 'deckhand:approve:1', pending.id);

    // Then the click is acknowledged without a new message, and bob alone is told
    expect(click.body).toEqual({ type: 6 });
    expect(click.ms).toBeLessThan(3000);
    const told = await dw.eventually(() => dw.discord.calls.find((c) => c.method === 'POST' && c.route.endsWith(`/${click.token}`)));
    expect(told.body).toMatchObject({ flags: 64 });
    expect((told.body as { content: string }).content).toContain('Approved deploy #1');

    const done = await dw.world.waitForPhase('1', ['succeeded', 'failed']);
    expect(done.phase).toBe('succeeded');
    expect(done.approvals.map((a) => a.actor.id)).toEqual([USERS.bob.id]);
    expect((await dw.world.app.kube.readDeployment('production', 'api')).images.api).toBe('registry.local/acme/api:v1.5.0');

    // And the same card message (one per deploy) ends as Succeeded, offering a rollback that asks first
    const final = await dw.eventually(() => { const c = dw.card('1'); return c && embedOf(c).description?.includes('Succeeded') ? c : undefined; });
    expect(final.id).toBe(pending.id);
    expect(dw.discord.channelMessages(CHANNEL).filter((m) => embedOf(m).title?.startsWith('#1 '))).toHaveLength(1);
    expect(buttonsOf(final)).toEqual(['deckhand:rollback:1:ask']);

    // And the payments team's release channel gets the success embed
    const notice = await dw.eventually(() => dw.discord.channelMessages(RELEASES_CHANNEL)[0]);
    const embed = embedOf(notice);
    expect(embed.title).toBe('✅ api v1.5.0 released to production');
    expect(embed.fields).toEqual(expect.arrayContaining([{ name: 'Requested by', value: 'alice', inline: true }, { name: 'Approved by', value: 'bob', inline: true }]));
    expect(embed.description).toContain('change for 1');
  });

  it('given a succeeded deploy, when someone clicks Rollback and confirms, then the previous version is restored', async () => {
    await dw.slash(USERS.alice, 'deploy', 'api v1.5.0 to staging');
    expect((await dw.world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    const card = await dw.eventually(() => { const c = dw.card('1'); return buttonsOf(c).includes('deckhand:rollback:1:ask') ? c : undefined; });

    // When alice clicks Rollback: Discord has no confirm dialog, so she is asked, privately
    const ask = await dw.click(USERS.alice, 'deckhand:rollback:1:ask', card.id);
    expect(ask.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Roll api in staging back to v1.4.0?' } });
    expect(await dw.world.app.deploys.get('2')).toBeUndefined();
    const yes = (ask.body as { data: { components: Row[] } }).data.components[0]!.components;
    expect(yes.map((b) => b.custom_id)).toEqual(['deckhand:rollback:1:sure', 'deckhand:cancel:1']);

    // And confirms
    const sure = await dw.click(USERS.alice, 'deckhand:rollback:1:sure', 'ephemeral-question', { interactedMessageId: card.id });
    expect(sure.body).toEqual({ type: 6 });

    // Then a rollback deploy runs and v1.4.0 is back; the question becomes the answer
    const rollback = await dw.world.waitForPhase('2', ['succeeded', 'failed']);
    expect(rollback.action).toMatchObject({ kind: 'rollback', toVersion: 'v1.4.0' });
    expect(rollback.phase).toBe('succeeded');
    expect((await dw.world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    const answer = await dw.eventually(() => dw.discord.calls.find((c) => c.method === 'PATCH' && c.route.endsWith(`/${sure.token}/messages/@original`)));
    expect(answer.body).toMatchObject({ components: [] });
    const notice = await dw.eventually(() => dw.discord.channelMessages(RELEASES_CHANNEL).find((m) => embedOf(m).title?.startsWith('↩️')));
    expect(embedOf(notice).title).toBe('↩️ api rolled back to v1.4.0 in staging');
  });

  it('a /rollback slash command rolls back what runs now', async () => {
    await dw.slash(USERS.alice, 'deploy', 'api v1.5.0 to staging');
    await dw.world.waitForPhase('1', 'succeeded');

    const asked = await dw.slash(USERS.alice, 'rollback', 'api staging');

    expect(asked.body).toEqual({ type: 5 });
    expect((await dw.world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect((await dw.world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });

  it('a refusal is told only to the person who asked, in place of the deferred message', async () => {
    const asked = await dw.slash(USERS.erin, 'deploy', 'api v1.5.0 to staging');

    const followUp = await dw.eventually(() => dw.discord.calls.find((c) => c.method === 'POST' && c.route.endsWith(`/${asked.token}`)));
    expect(followUp.body).toMatchObject({ flags: 64, content: expect.stringContaining('Only the payments team or on-call') });
    expect(dw.discord.calls.some((c) => c.method === 'DELETE' && c.route.endsWith(`/${asked.token}/messages/@original`))).toBe(true);
    expect(await dw.world.app.deploys.get('1')).toBeUndefined();
  });

  it('policy applies to buttons too: an approval from outside the approvers does not count, and says so privately', async () => {
    await dw.slash(USERS.alice, 'deploy', 'api v1.5.0 to production');
    const card = await dw.eventually(() => dw.card('1'));

    const click = await dw.click(USERS.erin, 'deckhand:approve:1', card.id);

    const told = await dw.eventually(() => dw.discord.calls.find((c) => c.method === 'POST' && c.route.endsWith(`/${click.token}`)));
    expect(told.body).toMatchObject({ flags: 64, content: expect.stringContaining('does not count') });
    expect((await dw.world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
  });

  it('a badly signed interaction is rejected with 401 and nothing is queued or sent', async () => {
    const attacker = createInteractionSigner();
    const i = slashCommandInteraction({ user: USERS.alice, channelId: CHANNEL, applicationId: APP_ID, name: 'deploy', options: { args: 'api v1.5.0 to staging' } });

    const forged = await Promise.all([
      sendInteraction(dw.adapter.url!, i, attacker),
      sendInteraction(dw.adapter.url!, i, dw.signer, { tamper: (b) => b.replace('v1.5.0', 'v1.5.1') }),
      sendInteraction(dw.adapter.url!, i, dw.signer, { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }),
    ]);

    expect(forged.map((a) => a.status)).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await dw.world.app.deploys.get('1')).toBeUndefined();
    expect(Object.values(await dw.world.app.queue.counts()).every((n) => n === 0)).toBe(true);
    expect(dw.discord.calls).toEqual([]);
  });
});
