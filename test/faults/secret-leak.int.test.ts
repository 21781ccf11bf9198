import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/config/index.ts';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { simGitHubOptionsFromConfig } from '../../src/sandbox/sim-github-options-from-config.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { sequence, startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.ts';
import { SIGNING_SECRET, startSlackWorld, type SlackWorld } from '../helpers/slack-world.ts';
import { sendToSlackApp, slashCommandBody } from '../helpers/slack-request.ts';
import { WORLD_CONFIG, worldConfig } from '../helpers/world.ts';

/**
 * The secrets a Slack deployment is given, with values no fixture contains by chance. (GITHUB_WEBHOOK_SECRET is
 * left out: with it Deckhand waits for workflow_run webhooks instead of polling, and this test sends none.)
 */
const ENV = {
  SLACK_BOT_TOKEN: 'xoxb-leakcheck-bot-7d1f9a3c2e',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  GITHUB_TOKEN: 'ghp_leakcheckToken0123456789abcdef',
  DECKHAND_API_TOKEN: 'leakcheck-api-token-91ab07',
  REGISTRY_USERNAME: 'deckhand-bot',
  REGISTRY_PASSWORD: 'leakcheck-registry-pw-7731',
};

describe('no configured secret in any log line or chat message', () => {
  let world: SlackWorld | undefined;
  let github: SimGitHub | undefined;
  let proxy: FlakyProxy | undefined;

  afterEach(async () => {
    await world?.stop();
    await github?.close();
    await proxy?.close();
    world = undefined;
    github = undefined;
    proxy = undefined;
  });

  it('given every secret configured, when deploys succeed through API faults, fail to build and are refused, then no log line, ack or chat message contains one', async () => {
    const config = worldConfig(WORLD_CONFIG, { ...ENV, LOG_LEVEL: 'debug' });
    const secrets = secretsOf(config);
    expect(secrets).toEqual(expect.arrayContaining(Object.entries(ENV).filter(([k]) => k !== 'REGISTRY_USERNAME').map(([, v]) => v)));
    const lines: string[] = [];
    const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString('utf8')); done(); } });
    // The logger as `deckhand start` builds it: pino redaction of token fields plus the configured values masked.
    const log = createLogger({ level: 'debug', secrets, destination });
    github = await startSimGitHub(simGitHubOptionsFromConfig(config));
    const gh = github;
    // The cluster answers the first image patches with 500s and a 429, so retries and their errors happen too.
    proxy = await startFlakyProxy(() => world?.sim.url ?? '', sequence((r) => r.method === 'PATCH', [{ kind: 'status', code: 500 }, { kind: 'status', code: 429, retryAfterSeconds: 0 }]));
    world = await startSlackWorld({
      config,
      adapter: { botToken: ENV.SLACK_BOT_TOKEN, log },
      deckhand: { log, github: { apiUrl: gh.url, registryEndpoint: () => gh.url }, kube: { kubeconfigYaml: proxy.kubeconfig(), retry: { baseMs: 20, maxMs: 50 } } },
    });
    const acks: string[] = [];

    acks.push((await world.command('alice', '/deploy api v1.5.0 to staging')).text);
    expect((await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 30_000)).phase).toBe('succeeded');
    acks.push((await world.command('alice', '/deploy api v1.6.0 to staging')).text);
    expect((await world.waitForPhase('2', ['succeeded', 'failed', 'rolled_back'], 30_000)).phase).toBe('failed');
    const first = await world.command('alice', '/deploy nosuch v1.0.0 to staging');
    acks.push(first.text, (await world.command('alice', '/deploy nosuch v1.0.0 to staging', { triggerId: first.triggerId })).text);
    acks.push((await world.command('erin', '/deploy api v1.5.0 to production')).text);
    const forged = slashCommandBody({ command: '/deploy', text: 'api v1.5.0 to staging', userId: 'U0ALICE', userName: 'alice', triggerId: 't-forged', responseUrl: world.slack.responseUrl('forged') });
    const refused = await sendToSlackApp(world.adapter.url ?? '', forged, { sign: 'not-the-signing-secret' });
    expect(refused.status).toBe(401);
    acks.push(refused.text);
    await world.app.cards.flush();

    // What Deckhand said to Slack, without the `token` argument: that one is the credential handed to Slack's own API.
    const chat = world.slack.calls.map((c) => JSON.stringify({ ...c.args, token: undefined }));
    expect(lines.length).toBeGreaterThan(10);
    expect(chat.length).toBeGreaterThan(3);
    for (const secret of secrets) {
      for (const [where, texts] of [['log', lines], ['chat', chat], ['ack', acks]] as const) {
        const leaked = texts.filter((t) => t.includes(secret));
        expect(leaked, `${where} contains a configured secret`).toEqual([]);
      }
    }
  });
});
