import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkSlackRequest } from '../../../src/chat/slack/guard-slack-request.ts';
import { blockActionsBody, eventCallbackBody, signSlackRequest, slashCommandBody } from '../../helpers/slack-request.ts';

const SECRET = 'guard-test-signing-secret-77';
const NOW_MS = 1_760_000_000_000;
const NOW_S = NOW_MS / 1000;
const FORM = 'application/x-www-form-urlencoded';

/** A request as the HTTP server hands it over: headers and the body already read into `rawBody`. */
function request(body: string, contentType: string, headers: Record<string, string | string[]> = {}, method = 'POST'): IncomingMessage {
  return { method, headers: { 'content-type': contentType, ...headers }, rawBody: Buffer.from(body, 'utf8') } as unknown as IncomingMessage;
}

function signed(body: string, contentType: string, timestampSec = NOW_S, secret = SECRET): IncomingMessage {
  return request(body, contentType, signSlackRequest(secret, body, timestampSec));
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const command = slashCommandBody({ command: '/deploy', text: 'api v1 to staging', userId: 'U1', userName: 'a', triggerId: 't1', responseUrl: 'http://x/r' });
const click = blockActionsBody({ actionId: 'deckhand_approve', value: '1', userId: 'U1', userName: 'a', messageTs: '1.2', triggerId: 't2', responseUrl: 'http://x/r' });
const reaction = eventCallbackBody('Ev1', { type: 'reaction_added', user: 'U1', reaction: 'white_check_mark', item: { type: 'message', channel: 'C1', ts: '1.2' } });
const interaction = (payload: unknown): string => form({ payload: JSON.stringify(payload) });

describe('checkSlackRequest: what may reach Bolt', () => {
  it.each([
    ['a slash command', command.body, FORM],
    ['a button click', click.body, FORM],
    ['an Events API callback', reaction.body, 'application/json'],
    ['a URL verification', JSON.stringify({ type: 'url_verification', challenge: 'abc', token: 'x' }), 'application/json'],
  ])('lets %s through when signed now', async (_name, body, contentType) => {
    expect(await checkSlackRequest(signed(body, contentType), SECRET, NOW_MS)).toEqual({ ok: true, body: Buffer.from(body) });
  });

  it('lets an unsigned ssl_check through (it is answered without Bolt)', async () => {
    expect((await checkSlackRequest(request('ssl_check=1&token=x', FORM), SECRET, NOW_MS)).ok).toBe(true);
  });

  it.each([
    ['unsigned', request(command.body, FORM)],
    ['signed with another secret', signed(command.body, FORM, NOW_S, 'another-secret-1234')],
    ['signed 6 minutes ago', signed(command.body, FORM, NOW_S - 360)],
    ['signed 6 minutes ahead', signed(command.body, FORM, NOW_S + 360)],
    ['signed a day ahead', signed(command.body, FORM, NOW_S + 86_400)],
    ['with a timestamp that is not a number', request(command.body, FORM, { ...signSlackRequest(SECRET, command.body, NOW_S), 'x-slack-request-timestamp': `${NOW_S}.5` })],
    ['with an upper-case signature', request(command.body, FORM, { ...signSlackRequest(SECRET, command.body, NOW_S), 'x-slack-signature': signSlackRequest(SECRET, command.body, NOW_S)['x-slack-signature']?.toUpperCase() ?? '' })],
    ['with a v1 signature', request(command.body, FORM, { ...signSlackRequest(SECRET, command.body, NOW_S), 'x-slack-signature': `v1=${'0'.repeat(64)}` })],
    ['with two signature headers', request(command.body, FORM, { ...signSlackRequest(SECRET, command.body, NOW_S), 'x-slack-signature': ['a', 'b'] })],
    ['signed for another body', request(`${command.body}&x=1`, FORM, signSlackRequest(SECRET, command.body, NOW_S))],
  ])('refuses a request %s with 401', async (_name, req) => {
    expect(await checkSlackRequest(req, SECRET, NOW_MS)).toMatchObject({ ok: false, status: 401 });
  });

  it('accepts a timestamp just inside the window in either direction', async () => {
    expect((await checkSlackRequest(signed(command.body, FORM, NOW_S - 299), SECRET, NOW_MS)).ok).toBe(true);
    expect((await checkSlackRequest(signed(command.body, FORM, NOW_S + 299), SECRET, NOW_MS)).ok).toBe(true);
  });

  const user = { id: 'U1', team_id: 'T1' };
  it.each([
    ['payload=null', form({ payload: 'null' }), FORM],
    ['payload=1', form({ payload: '1' }), FORM],
    ['payload="text"', form({ payload: '"text"' }), FORM],
    ['payload=[]', form({ payload: '[]' }), FORM],
    ['payload={}', form({ payload: '{}' }), FORM],
    ['a payload that is not JSON', form({ payload: '{"type":' }), FORM],
    ['an empty payload', form({ payload: '' }), FORM],
    ['a JSON body on the form path', JSON.stringify({ type: 'block_actions', user }), FORM],
    ['a form body with no payload and no command', form({ text: 'hello', user_id: 'U1' }), FORM],
    ['a repeated payload field', `${form({ payload: JSON.stringify({ type: 'block_actions', user, actions: [{}] }) })}&payload=x`, FORM],
    ['a repeated command field', `${command.body}&command=%2Fdeploy`, FORM],
    ['an empty body', '', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['a JSON list', '[{"type":"event_callback"}]', 'application/json'],
    ['a form body sent as JSON', command.body, 'application/json'],
    ['an unknown type', JSON.stringify({ type: 'app_uninstalled_everywhere' }), 'application/json'],
    ['url_verification without a challenge', JSON.stringify({ type: 'url_verification' }), 'application/json'],
    ['event: null', JSON.stringify({ type: 'event_callback', event: null }), 'application/json'],
    ['event: "text"', JSON.stringify({ type: 'event_callback', event: 'reaction_added' }), 'application/json'],
    ['an event without a type', JSON.stringify({ type: 'event_callback', event: { user: 'U1' } }), 'application/json'],
    ['event.item: "text"', JSON.stringify({ type: 'event_callback', event: { type: 'reaction_added', item: 'x' } }), 'application/json'],
    ['event.user: null', JSON.stringify({ type: 'event_callback', event: { type: 'reaction_added', user: null } }), 'application/json'],
    ['event.channel: 5', JSON.stringify({ type: 'event_callback', event: { type: 'app_mention', channel: 5 } }), 'application/json'],
    ['authorizations: [null]', JSON.stringify({ type: 'event_callback', event: { type: 'app_mention' }, authorizations: [null] }), 'application/json'],
    ['a command that is not a string', JSON.stringify({ command: ['/deploy'] }), 'application/json'],
    ['block_actions without a user', interaction({ type: 'block_actions', actions: [{ action_id: 'a' }] }), FORM],
    ['block_actions with user: null', interaction({ type: 'block_actions', user: null, actions: [{ action_id: 'a' }] }), FORM],
    ['block_actions with actions: [null]', interaction({ type: 'block_actions', user, actions: [null] }), FORM],
    ['block_actions with actions: []', interaction({ type: 'block_actions', user, actions: [] }), FORM],
    ['block_actions with actions: "x"', interaction({ type: 'block_actions', user, actions: 'x' }), FORM],
    ['block_actions with channel: null', interaction({ type: 'block_actions', user, channel: null, actions: [{}] }), FORM],
    ['block_actions with team: "T1"', interaction({ type: 'block_actions', user, team: 'T1', actions: [{}] }), FORM],
    ['view_submission without a view', interaction({ type: 'view_submission', user }), FORM],
  ])('refuses a signed body with %s (400)', async (_name, body, contentType) => {
    expect(await checkSlackRequest(signed(body, contentType), SECRET, NOW_MS)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses anything but POST, and a body over the limit', async () => {
    expect(await checkSlackRequest(request('', FORM, {}, 'GET'), SECRET, NOW_MS)).toMatchObject({ ok: false, status: 405 });
    expect(await checkSlackRequest(signed(command.body, FORM), SECRET, NOW_MS, 100)).toMatchObject({ ok: false, status: 413 });
  });

  it('is not thrown off by a deeply nested or very large signed body', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(await checkSlackRequest(signed(form({ payload: deep }), FORM), SECRET, NOW_MS)).toMatchObject({ ok: false, status: 400 });
    const big = interaction({ type: 'block_actions', user, actions: [{ action_id: 'deckhand_approve', value: 'x'.repeat(500_000) }] });
    expect((await checkSlackRequest(signed(big, FORM), SECRET, NOW_MS)).ok).toBe(true);
  });
});
