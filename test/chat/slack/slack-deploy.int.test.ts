import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL, PEOPLE, startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';
import { WORLD_CONFIG, worldConfig } from '../../helpers/world.ts';

/** The whole mission from a Slack channel, through Bolt's real HTTP receiver with signed requests. */
describe('Slack: deploy from a channel, approve, watch, roll back', () => {
  let world: SlackWorld;
  beforeEach(async () => {
    // Pods take a little while to become ready, so the rollout lasts long enough to show progress on the card.
    world = await startSlackWorld({ config: worldConfig(WORLD_CONFIG.replace('readyDelayMs: 60', 'readyDelayMs: 400')) });
  });
  afterEach(async () => { await world.stop(); });

  it('given a production deploy by slash command, when bob clicks Approve, then the card follows the rollout to success', async () => {
    const asked = await world.command('alice', '/deploy api v1.5.0 to production');
    expect(asked.status).toBe(200);
    expect((await asked.reply()).args.text).toContain('needs 1 approval(s) from approvers');

    const post = await world.cardPost('1');
    expect(post.args.channel).toBe(CHANNEL);
    expect(post.args.text).toContain('#1 api v1.5.0 (rolling) → production: ⏳ Awaiting approval');
    const actions = (post.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => [e.action_id, e.value])).toEqual([['deckhand_approve', '1'], ['deckhand_deny', '1']]);

    const answer = await world.click('bob', 'approve', '1');

    expect(answer.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.args.text).toContain('Approved deploy #1');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    await world.adapter.flushCards();
    const updates = world.cardUpdates('1');
    const texts = updates.map((u) => String(u.args.text));
    expect(texts.some((t) => t.includes('🚀 Rolling out'))).toBe(true);
    expect(texts.at(-1)).toContain('✅ Succeeded');
    // Every edit is of the one card message; nothing else was posted as a card.
    expect(new Set(updates.map((u) => u.args.ts))).toEqual(new Set([post.result?.ts]));
    expect(world.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
    // The story is in the card's thread.
    const thread = world.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === post.result?.ts).map((c) => String(c.args.text));
    expect(thread.join('\n')).toContain('Approved by bob');
    const d = await world.app.deploys.get('1');
    expect(d?.requestedBy).toMatchObject({ id: PEOPLE.alice, name: 'alice', platform: 'slack' });
    expect(d?.approvals.map((a) => a.actor.id)).toEqual([PEOPLE.bob]);
    expect((await world.app.kube.readDeployment('production', 'api')).images.api).toBe('registry.local/acme/api:v1.5.0');
  });

  it('counts the approval reaction on the card', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');
    await world.cardPost('1');

    const sent = await world.react('bob', '1');

    expect(sent.status).toBe(200);
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
    const ephemeral = await world.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === PEOPLE.bob);
    expect(ephemeral.args.text).toContain('Approved deploy #1');
    expect((await world.app.deploys.get('1'))?.approvals.map((a) => a.actor.name)).toEqual(['bob']);
  });

  it('ignores other reactions on the card', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');
    await world.cardPost('1');

    await world.react('bob', '1', { emoji: 'tada' });
    await new Promise((r) => setTimeout(r, 300));

    expect((await world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
  });

  it('refuses self-approval by button and by reaction, ephemerally, and nothing changes', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');
    await world.cardPost('1');

    const byButton = await world.click('alice', 'approve', '1');
    await world.react('alice', '1');
    const byReaction = await world.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === PEOPLE.alice);

    expect(byButton.args).toMatchObject({ response_type: 'ephemeral' });
    expect(byButton.args.text).toContain('four-eyes');
    expect(byReaction.args.text).toContain('four-eyes');
    expect((await world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
    expect((await world.app.kube.readDeployment('production', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
  });

  it('a click by someone who may not approve gets an ephemeral explanation and changes nothing', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');

    const answer = await world.click('dave', 'approve', '1');

    expect(answer.args.response_type).toBe('ephemeral');
    expect(answer.args.text).toContain('does not count');
    expect((await world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
  });

  it('takes groups from Slack user groups: frank approves as a member of @approvers', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');

    const answer = await world.click('frank', 'approve', '1');

    expect(answer.args.text).toContain('Approved deploy #1');
    expect((await world.waitForPhase('1', ['succeeded', 'failed'])).phase).toBe('succeeded');
  });

  it('Rollback on a succeeded card rolls back, once however often it is clicked', async () => {
    await world.command('alice', '/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'succeeded');
    await world.adapter.flushCards();
    const last = world.cardUpdates('1').at(-1);
    expect(JSON.stringify(last?.args.blocks)).toContain('deckhand_rollback');
    expect(JSON.stringify(last?.args.blocks)).toContain('"confirm"');

    const first = await world.click('alice', 'rollback', '1');
    const again = await world.click('alice', 'rollback', '1');

    expect(first.args.text).toMatch(/#2/);
    expect(again.args.text).toMatch(/#2/);
    expect((await world.waitForPhase('2', ['succeeded', 'failed'])).phase).toBe('succeeded');
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    expect(await world.app.deploys.get('3')).toBeUndefined();
    await world.cardPost('2');
  });

  it('an approval request nobody answers expires: the card ends on a clear final state without buttons', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');
    await world.cardPost('1');

    await world.waitForPhase('1', 'expired', 10_000);
    await world.adapter.flushCards();

    const last = world.cardUpdates('1').at(-1);
    expect(String(last?.args.text)).toContain('⌛ Expired');
    expect((last?.args.blocks as { type: string }[]).some((b) => b.type === 'actions')).toBe(false);
    const late = await world.click('bob', 'approve', '1');
    expect(late.args.text).toMatch(/expired/i);
  });

  it('Deny on the card ends the request: the card goes final without buttons', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');

    const answer = await world.click('bob', 'deny', '1');

    expect(answer.args.response_type).toBe('ephemeral');
    expect((await world.waitForPhase('1', 'denied')).phase).toBe('denied');
    await world.adapter.flushCards();
    const last = world.cardUpdates('1').at(-1);
    expect(String(last?.args.text)).toContain('🚫 Denied');
    expect(JSON.stringify(last?.args.blocks)).not.toContain('deckhand_');
  });

  it('Abort during the rollout (a confirm-dialog button) puts the previous version back', async () => {
    // v1.5.1's pods never become ready, so the rollout is still live when the click lands (its own deadline is 3 s).
    await world.command('alice', '/deploy api v1.5.1 to staging');
    await world.waitForPhase('1', 'rolling_out');
    await world.adapter.flushCards();
    const live = world.cardUpdates('1').at(-1) ?? await world.cardPost('1');
    expect(JSON.stringify(live.args.blocks)).toContain('deckhand_abort');

    const answer = await world.click('alice', 'abort', '1');

    expect(answer.args.response_type).toBe('ephemeral');
    expect((await world.waitForPhase('1', ['aborted', 'rolled_back', 'succeeded', 'failed'])).phase).toBe('aborted');
    expect((await world.app.kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    await world.adapter.flushCards();
    expect(String(world.cardUpdates('1').at(-1)?.args.text)).toContain('🛑 Aborted');
  });

  it('a stale button answers with the current state', async () => {
    await world.command('alice', '/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'succeeded');

    const answer = await world.click('bob', 'abort', '1');

    expect(answer.args.text).toContain('Deploy #1 is succeeded now');
    expect(answer.args.response_type).toBe('ephemeral');
  });

  it('answers an input error ephemerally to the requester only, with a suggestion', async () => {
    const sent = await world.command('alice', '/deplyo api v1.5.0');
    const reply = await sent.reply();
    expect(reply.args).toMatchObject({ response_type: 'ephemeral' });
    // The parser quotes in code spans; what it quotes is escaped for code (see quotedText).
    expect(reply.args.text).toContain('Did you mean `/deploy`?');
  });

  it('reads /deckhand <sub> and decodes what Slack escaped', async () => {
    const sent = await world.command('alice', '/deckhand deploy api v1.5.0 to staging --reason "fix <login> & more"');
    expect((await sent.reply()).args.text).toContain('#1');
    expect((await world.app.deploys.get('1'))?.reason).toBe('fix <login> & more');
  });

  it('takes an @mention in a channel and answers in its thread', async () => {
    const { eventCallbackBody, sendToSlackApp } = await import('../../helpers/slack-request.ts');
    const { SIGNING_SECRET } = await import('../../helpers/slack-world.ts');
    const event = { type: 'app_mention', user: PEOPLE.alice, text: `<@${world.slack.botUserId}> status api`, ts: '1700000100.000001', channel: CHANNEL, event_ts: '1700000100.000001' };

    const sent = await sendToSlackApp(world.adapter.url ?? '', eventCallbackBody('EvMention1', event), { sign: SIGNING_SECRET });

    expect(sent.status).toBe(200);
    const reply = await world.slack.waitFor((c) => (c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') && c.args.thread_ts === '1700000100.000001');
    expect(String(reply.args.text)).toContain('api');
  });
});

describe('Slack: withdrawing an approval reaction', () => {
  let world: SlackWorld;
  beforeEach(async () => {
    // Production needs two approvers here, so one reaction leaves the deploy waiting.
    world = await startSlackWorld({
      policyData: (data) => {
        const settings = (data.deckhand as { config: { approvals: Record<string, unknown> } }).config;
        settings.approvals = { production: { approvers: 2 } };
        return data;
      },
    });
  });
  afterEach(async () => { await world.stop(); });

  it('removing the reaction before the deploy starts withdraws that approval', async () => {
    await world.command('alice', '/deploy api v1.5.0 to production');
    await world.cardPost('1');
    await world.react('bob', '1');
    await world.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === PEOPLE.bob);
    expect((await world.app.deploys.get('1'))?.approvals.map((a) => a.actor.name)).toEqual(['bob']);

    await world.react('bob', '1', { added: false });

    const answer = await world.slack.waitFor((c) => c.method === 'chat.postEphemeral' && String(c.args.text).includes('withdrawn'));
    expect(answer.args.user).toBe(PEOPLE.bob);
    expect((await world.app.deploys.get('1'))?.approvals).toEqual([]);
    expect((await world.app.deploys.get('1'))?.phase).toBe('awaiting_approval');
  });
});
