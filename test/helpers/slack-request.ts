import { createHmac } from 'node:crypto';
import { request, type Agent } from 'node:http';

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function signSlackRequest(signingSecret: string, body: string, timestampSec = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': signature };
}

export interface SlashCommandFields {
  command: string;
  text: string;
  userId: string;
  userName: string;
  channelId?: string;
  triggerId: string;
  responseUrl: string;
}

/** A slash command as Slack posts it: a form body (text with `&`, `<`, `>` escaped as Slack does). */
export function slashCommandBody(f: SlashCommandFields): { contentType: string; body: string } {
  const escaped = f.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = new URLSearchParams({
    token: 'deprecated-verification-token', team_id: 'T0001', team_domain: 'acme',
    channel_id: f.channelId ?? 'C0DEPLOY', channel_name: 'deploys', user_id: f.userId, user_name: f.userName,
    command: f.command, text: escaped, api_app_id: 'A0001', is_enterprise_install: 'false',
    response_url: f.responseUrl, trigger_id: f.triggerId,
  }).toString();
  return { contentType: 'application/x-www-form-urlencoded', body };
}

/** A `block_actions` interaction (a card button click): `payload=<json>` in a form body. */
export function blockActionsBody(f: { actionId: string; value: string; userId: string; userName: string; channelId?: string; messageTs: string; triggerId: string; responseUrl: string }): { contentType: string; body: string } {
  const channel = f.channelId ?? 'C0DEPLOY';
  const payload = {
    type: 'block_actions',
    user: { id: f.userId, username: f.userName, name: f.userName, team_id: 'T0001' },
    api_app_id: 'A0001', token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: f.messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: f.triggerId,
    team: { id: 'T0001', domain: 'acme' },
    channel: { id: channel, name: 'deploys' },
    message: { type: 'message', ts: f.messageTs, text: 'card', user: 'UDECKHAND', bot_id: 'B0001' },
    response_url: f.responseUrl,
    actions: [{ type: 'button', block_id: 'actions', action_id: f.actionId, value: f.value, text: { type: 'plain_text', text: f.actionId }, action_ts: `${Date.now() / 1000}` }],
  };
  return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}

/** An Events API `event_callback` envelope (JSON). */
export function eventCallbackBody(eventId: string, event: Record<string, unknown>): { contentType: string; body: string } {
  return {
    contentType: 'application/json',
    body: JSON.stringify({
      token: 'deprecated-verification-token', team_id: 'T0001', api_app_id: 'A0001', type: 'event_callback',
      event_id: eventId, event_time: Math.floor(Date.now() / 1000), event, authorizations: [{ team_id: 'T0001', user_id: 'UDECKHAND', is_bot: true }],
    }),
  };
}

export interface SendOptions {
  /** Sign with this secret (omit `sign` to send unsigned). */
  sign?: string;
  timestampSec?: number;
  /** Overrides the computed signature (a forged one). */
  signature?: string;
  headers?: Record<string, string>;
}

/** Posts to Deckhand's Slack endpoint like Slack does, timing the acknowledgement. */
export async function sendToSlackApp(url: string, req: { contentType: string; body: string }, o: SendOptions = {}): Promise<{ status: number; text: string; ms: number }> {
  const headers: Record<string, string> = { 'content-type': req.contentType, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', ...o.headers };
  if (o.sign !== undefined) Object.assign(headers, signSlackRequest(o.sign, req.body, o.timestampSec));
  if (o.signature !== undefined) headers['x-slack-signature'] = o.signature;
  if (o.timestampSec !== undefined && headers['x-slack-request-timestamp'] === undefined) headers['x-slack-request-timestamp'] = String(o.timestampSec);
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: req.body });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/**
 * Posts with node:http and times from the moment the request is fully written to the socket to the response head:
 * the acknowledgement as Slack's clock sees it, without this client's own queueing when it starts hundreds of
 * requests in one tick (fetch() in a busy process adds hundreds of ms of its own).
 */
export function postTimed(agent: Agent, url: string, req: { contentType: string; body: string }, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let sentAt = 0;
    const r = request({
      agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { 'content-type': req.contentType, 'content-length': Buffer.byteLength(req.body), ...headers },
    }, (res) => {
      const ms = performance.now() - sentAt;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms }));
    });
    r.on('finish', () => { sentAt = performance.now(); });
    r.on('error', reject);
    r.end(req.body);
  });
}
