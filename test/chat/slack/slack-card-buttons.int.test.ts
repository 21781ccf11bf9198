import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackCall } from '../../helpers/slack-api-server.ts';
import { blockActionsBody, sendToSlackApp } from '../../helpers/slack-request.ts';
import { CHANNEL, PEOPLE, SIGNING_SECRET, startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';
import { WORLD_CONFIG, worldConfig } from '../../helpers/world.ts';

type Payload = Record<string, unknown> & { channel?: { id: string }; container?: Record<string, unknown>; message?: Record<string, unknown> };

/**
 * Buttons act only on the deploy their card shows, in the channel it was posted in. A `block_actions` payload names
 * the deploy in the button's value, and the clicked message in `container` (and `channel`, `message`); every click
 * here is signed with the real signing secret and goes through Bolt's HTTP receiver, so only the payload lies.
 */
describe('Slack: a button acts only on the deploy its card shows', () => {
  let world: SlackWorld;
  let warnings: { o: object; msg: string }[];
  let seq = 0;
  beforeEach(async () => {
    warnings = [];
    const log = { debug() {}, info() {}, warn: (o: object, msg: string) => { warnings.push({ o, msg }); }, error() {} };
    world = await startSlackWorld({ config: worldConfig(WORLD_CONFIG.replace('expireAfter: 2s', 'expireAfter: 60s')), adapter: { log } });
  });
  afterEach(async () => { await world.stop(); });

  const cardTs = async (deployId: string): Promise<string> => String((await world.cardPost(deployId)).result?.ts);

  /** A signed click as `who` on the message `messageTs` in `channelId`, its button naming `value`; `edit` changes the payload further. */
  async function click(who: string, action: string, value: string, messageTs: string, o: { channelId?: string; edit?: (p: Payload) => void } = {}): Promise<SlackCall> {
    const responseId = `forged-${++seq}`;
    const req = blockActionsBody({
      actionId: `deckhand_${action}`, value, userId: PEOPLE[who] ?? who, userName: who, messageTs, triggerId: `t-${seq}-${randomBytes(3).toString('hex')}`,
      responseUrl: world.slack.responseUrl(responseId), ...(o.channelId !== undefined && { channelId: o.channelId }),
    });
    if (o.edit) {
      const payload = JSON.parse(new URLSearchParams(req.body).get('payload') ?? '{}') as Payload;
      o.edit(payload);
      req.body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    }
    const sent = await sendToSlackApp(world.adapter.url ?? '', req, { sign: SIGNING_SECRET });
    expect(sent.status).toBe(200);
    return world.slack.waitFor((c) => c.method === 'response_url' && c.args.url === `/respond/${responseId}`);
  }

  /** #1 waits for approval in production; #2 is a finished staging deploy, its card offering Rollback. */
  async function twoCards(): Promise<{ card1: string; card2: string }> {
    // One after the other, each answered first: the deploy numbers must not depend on which is handled sooner.
    await (await world.command('alice', '/deploy api v1.5.0 to production')).reply();
    await (await world.command('alice', '/deploy api v1.5.0 to staging')).reply();
    await world.waitForPhase('2', 'succeeded');
    await world.adapter.flushCards();
    return { card1: await cardTs('1'), card2: await cardTs('2') };
  }

  function expectRefused(answer: SlackCall): void {
    expect(answer.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.args.text)).toContain('does not belong to this card');
    expect(String(answer.args.text)).toContain('nothing was done');
  }

  async function expectUntouched(): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    const d1 = await world.app.deploys.get('1');
    expect(d1?.phase).toBe('awaiting_approval');
    expect(d1?.approvals).toEqual([]);
    expect(await world.app.deploys.get('3')).toBeUndefined();
  }

  it('given a click naming another deploy than its card\'s, then it is refused privately, logged, and changes nothing', async () => {
    const { card1, card2 } = await twoCards();

    const approve = await click('bob', 'approve', '1', card2);
    const deny = await click('bob', 'deny', '1', card2);
    const rollback = await click('alice', 'rollback', '2', card1);
    const unknown = await click('bob', 'approve', '999', card1);

    for (const answer of [approve, deny, rollback, unknown]) expectRefused(answer);
    await expectUntouched();
    expect(warnings.filter((w) => w.msg.includes('slack button refused'))).toHaveLength(4);
    expect(warnings[0]?.o).toMatchObject({ reason: 'not_this_card', user: PEOPLE.bob, channel: CHANNEL, messageTs: card2, cardOf: '2' });
    // The deploy a forged button names is the forger's text: it is not echoed back.
    expect(String(unknown.args.text)).not.toContain('999');
  });

  it('given a click on a card as if in another channel, or with location fields that disagree, then it is refused and changes nothing', async () => {
    const { card1, card2 } = await twoCards();

    const answers = [
      await click('bob', 'approve', '1', card1, { channelId: 'C0ELSEWHERE' }),
      await click('bob', 'approve', '1', card1, { edit: (p) => { p.channel = { id: 'C0ELSEWHERE' }; } }),
      await click('bob', 'approve', '1', card1, { edit: (p) => { p.container = { ...p.container, channel_id: 'C0ELSEWHERE' }; } }),
      await click('bob', 'approve', '1', card1, { edit: (p) => { p.message = { ...p.message, ts: card2 }; } }),
      await click('bob', 'approve', '1', card2, { edit: (p) => { p.message = { ...p.message, ts: card1 }; } }),
      await click('bob', 'approve', '1', card1, { edit: (p) => { delete p.container; } }),
      await click('bob', 'approve', '1', card1, { edit: (p) => { p.container = { ...p.container, is_ephemeral: true }; } }),
    ];

    for (const answer of answers) expectRefused(answer);
    await expectUntouched();
  });

  it('given a genuine click on the deploy\'s own card, then it still works', async () => {
    const { card1 } = await twoCards();

    const answer = await click('bob', 'approve', '1', card1);

    expect(String(answer.args.text)).toContain('Approved deploy #1');

    const d = await world.waitForPhase('1', ['succeeded', 'failed']);
    expect(d.phase).toBe('succeeded');
    expect(d.approvals.map((a) => a.actor.id)).toEqual([PEOPLE.bob]);
    expect(warnings.filter((w) => w.msg.includes('slack button refused'))).toEqual([]);
  });
});
