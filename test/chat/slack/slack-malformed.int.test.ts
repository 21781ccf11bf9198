import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../../src/http/index.ts';
import { PEOPLE, SIGNING_SECRET, startSlackWorld, type SlackWorld } from '../../helpers/slack-world.ts';
import { sendToSlackApp, slashCommandBody } from '../../helpers/slack-request.ts';

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/**
 * Signed requests whose bodies Bolt's receiver cannot read, sent through both ways Slack reaches Deckhand: the
 * adapter's own port (Bolt's server) and Deckhand's one HTTP server (the adapter's `requestListener` mounted).
 * Before the guard, `payload=null` threw inside Bolt's receiver (`reading 'ssl_check'`) and ended the process.
 */
describe('Slack: no signed body stops Deckhand', () => {
  let world: SlackWorld;
  let http: HttpServer;
  let mounted: string;

  beforeAll(async () => {
    world = await startSlackWorld();
    http = createHttpServer();
    const listener = world.adapter.requestListener;
    if (!listener) throw new Error('the Slack adapter has no request listener');
    http.mount('/slack/events', listener);
    mounted = `${(await http.listen(0, '127.0.0.1')).url}/slack/events`;
  });
  afterAll(async () => {
    await http.close({ timeoutMs: 100 });
    await world.stop();
  });

  const user = { id: 'U0ALICE', username: 'alice', team_id: 'T0001' };
  const bodies: [string, string, string][] = [
    ['payload=null', form({ payload: 'null' }), FORM],
    ['payload=1', form({ payload: '1' }), FORM],
    ['payload=[]', form({ payload: '[]' }), FORM],
    ['payload={}', form({ payload: '{}' }), FORM],
    ['payload that is not JSON', form({ payload: '{"type":"block_actions",' }), FORM],
    ['a JSON body on the form path', JSON.stringify({ type: 'block_actions', user }), FORM],
    ['a form body with no payload', form({ user_id: 'U0ALICE', text: 'deploy' }), FORM],
    ['JSON null on the events path', 'null', 'application/json'],
    ['an event that is a string', JSON.stringify({ type: 'event_callback', event: 'reaction_added', event_id: 'Ev1' }), 'application/json'],
    ['an event whose item is null', JSON.stringify({ type: 'event_callback', event: { type: 'reaction_added', user: 'U0BOB', item: null }, event_id: 'Ev2' }), 'application/json'],
    ['a click with actions: [null]', form({ payload: JSON.stringify({ type: 'block_actions', user, actions: [null], trigger_id: 't', response_url: 'http://127.0.0.1:1/' }) }), FORM],
    ['a click with no user', form({ payload: JSON.stringify({ type: 'block_actions', actions: [{ action_id: 'deckhand_approve', value: '1' }] }) }), FORM],
    ['a click with a huge value', form({ payload: JSON.stringify({ type: 'block_actions', user: null, actions: [{ action_id: 'deckhand_approve', value: 'x'.repeat(300_000) }] }) }), FORM],
  ];

  it.each(bodies)('answers a signed body with %s with 400 on both ways in', async (_name, body, contentType) => {
    for (const url of [world.adapter.url ?? '', mounted]) {
      const sent = await sendToSlackApp(url, { contentType, body }, { sign: SIGNING_SECRET });
      expect(sent.status, url).toBe(400);
    }
  });

  it.each([
    ['6 minutes ahead', 6 * 60],
    ['a day ahead', 86_400],
    ['6 minutes ago', -6 * 60],
  ])('refuses a command signed %s with 401 on both ways in', async (_name, offsetSec) => {
    const req = slashCommandBody({ command: '/deploy', text: 'api v1.5.0 to staging', userId: PEOPLE.alice ?? '', userName: 'alice', triggerId: `t-skew-${offsetSec}`, responseUrl: world.slack.responseUrl('skew') });
    for (const url of [world.adapter.url ?? '', mounted]) {
      const sent = await sendToSlackApp(url, req, { sign: SIGNING_SECRET, timestampSec: Math.floor(Date.now() / 1000) + offsetSec });
      expect(sent.status, url).toBe(401);
    }
    expect(await world.app.deploys.list()).toEqual([]);
  });

  it('answers an unsigned ssl_check itself, and keeps serving signed commands after all of the above', async () => {
    const check = await sendToSlackApp(mounted, { contentType: FORM, body: form({ ssl_check: '1', token: 'x', payload: JSON.stringify({ type: 'block_actions' }) }) });
    expect(check.status).toBe(200);
    const sent = await world.command('alice', '/help');
    expect(sent.status).toBe(200);
    expect(JSON.stringify((await sent.reply()).args)).toContain('deploy');
    expect(world.slack.callsTo('response_url')).toHaveLength(1);
  });
});
