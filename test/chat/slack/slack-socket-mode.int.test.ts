import { afterEach, describe, expect, inject, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSlackAdapter } from '../../../src/chat/slack/index.ts';
import { startDeckhand, type Deckhand } from '../../../src/main.ts';
import { createEmbeddedBackend, readPolicyDir } from '../../../src/policy/index.ts';
import { seedFromConfig } from '../../../src/sandbox/index.ts';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { startSlackApiServer, type SlackApiServer } from '../../helpers/slack-api-server.ts';
import { worldConfig } from '../../helpers/world.ts';

/**
 * Socket Mode: Deckhand asks apps.connections.open (through SLACK_API_URL) where to connect, Slack says hello over
 * the WebSocket and then sends envelopes, each acknowledged by echoing its envelope_id.
 */
describe('Slack Socket Mode', () => {
  let wss: WebSocketServer | undefined;
  let slack: SlackApiServer | undefined;
  let sim: SimCluster | undefined;
  let app: Deckhand | undefined;
  afterEach(async () => {
    await app?.stop();
    for (const c of wss?.clients ?? []) c.terminate();
    await new Promise((r) => wss?.close(r));
    await slack?.close();
    await sim?.close();
  });

  it('connects with the app-level token and handles a slash command sent as an envelope', async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss?.once('listening', r));
    const acks: unknown[] = [];
    const connected = new Promise<WebSocket>((resolve) => {
      wss?.on('connection', (ws) => {
        ws.on('message', (m) => acks.push(JSON.parse(String(m))));
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' }, debug_info: { host: 'test', approximate_connection_time: 3600 } }));
        resolve(ws);
      });
    });
    const port = (wss.address() as { port: number }).port;
    slack = await startSlackApiServer({ users: [{ id: 'U0ALICE', name: 'alice' }], socketModeUrl: `ws://127.0.0.1:${port}/link` });
    const config = worldConfig();
    sim = await startSimCluster({ seed: seedFromConfig(config).seed, readyDelayMs: 20 });
    const adapter = createSlackAdapter({ botToken: 'xoxb-socket-test', appToken: 'xapp-1-socket-test', apiUrl: slack.apiUrl });
    expect(adapter.mode).toBe('socket');
    expect(adapter.requestListener).toBeUndefined();

    app = await startDeckhand({
      config, redisUrl: inject('redisUrl'), kube: { kubeconfigYaml: sim.kubeconfig() }, adapters: [adapter], prefix: `t${Date.now().toString(36)}`,
      policy: createEmbeddedBackend(await readPolicyDir('policies')), worker: false,
    });
    const ws = await connected;
    expect(slack.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-socket-test');

    ws.send(JSON.stringify({
      envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true,
      payload: {
        token: 'x', team_id: 'T0001', team_domain: 'acme', channel_id: 'C0DEPLOY', channel_name: 'deploys', user_id: 'U0ALICE', user_name: 'alice',
        command: '/status', text: 'api', api_app_id: 'A0001', response_url: slack.responseUrl('socket-1'), trigger_id: 'socket.1',
      },
    }));

    const reply = await slack.waitFor((c) => c.method === 'response_url' && c.args.url === '/respond/socket-1');
    expect(String(reply.args.text)).toContain('api');
    expect(acks).toContainEqual(expect.objectContaining({ envelope_id: 'env-1' }));
  });
});
