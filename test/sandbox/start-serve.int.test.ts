import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freePort } from '../../src/sandbox/redis-server.ts';
import { spawnServing, type ServingProcess } from '../helpers/serving-process.ts';
import { startSlackApiServer, type SlackApiServer } from '../helpers/slack-api-server.ts';
import { signSlackRequest, slashCommandBody } from '../helpers/slack-request.ts';

const SIGNING_SECRET = 'serve-test-signing-secret-1234';
const BOT_TOKEN = 'xoxb-serve-test-token-5678';
const API_TOKEN = 'serve-test-api-token-abcdef';

/**
 * `deckhand start` as a person runs it with Slack credentials and nothing else: a real child process serving
 * Slack on one HTTP server against the simulated cluster, stopped with SIGTERM.
 */
describe('deckhand start with Slack credentials (a separate process)', () => {
  let slack: SlackApiServer;
  let child: ChildProcess;
  let base: string;
  let serving: ServingProcess;

  beforeAll(async () => {
    slack = await startSlackApiServer({ users: [{ id: 'U0YOU', name: 'you' }] });
    const port = await freePort();
    // The example config, with its console user linked to the Slack account that speaks here (people are ids).
    const configPath = join(await mkdtemp(join(tmpdir(), 'deckhand-serve-')), 'deckhand.yaml');
    await writeFile(configPath, (await readFile('deckhand.yaml', 'utf8')).replace(/^ {2}you: \{\}.*$/m, '  you: { slack: U0YOU }'));
    serving = await spawnServing('node', ['bin/deckhand.js', 'start'], {
      port,
      env: {
        ...process.env, DECKHAND_CONFIG: configPath, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}`, PORT: String(port), REDIS_URL: inject('redisUrl'),
        SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, DECKHAND_API_TOKEN: API_TOKEN, LOG_LEVEL: 'info',
      },
    });
    ({ child, base } = serving);
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await slack.close();
  });

  it('serves /healthz, /readyz, /metrics and the API behind its token', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('deckhand_');
    expect((await fetch(`${base}/api/deploys`)).status).toBe(401);
    expect((await fetch(`${base}/api/deploys`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it('takes a signed slash command and posts the deploy card, and refuses an unsigned one', async () => {
    const req = slashCommandBody({ command: '/deploy', text: 'api v1.5.0 to staging', userId: 'U0YOU', userName: 'you', triggerId: 't-serve-1', responseUrl: slack.responseUrl('r1') });
    const unsigned = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': req.contentType }, body: req.body });
    expect(unsigned.status).toBe(401);
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': req.contentType, ...signSlackRequest(SIGNING_SECRET, req.body) }, body: req.body });
    expect(res.status).toBe(200);
    const card = await slack.waitFor((c) => c.method === 'chat.update' && JSON.stringify(c.args).includes('Succeeded'), 30_000);
    expect(JSON.stringify(card.args)).toContain('api');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/deckhand_deploys_total\{outcome="succeeded",strategy="rolling"\} 1/);
    expect(metrics).toMatch(/deckhand_chat_ack_seconds_count\{platform="slack"\} [1-9]/);
    expect(metrics).toMatch(/deckhand_step_duration_seconds_count\{step="apply",result="ok"\} 1/);
    expect(metrics).toMatch(/deckhand_queue_wait_seconds_count [1-9]/);
    expect(metrics).toMatch(/deckhand_policy_decisions_total\{result="allow",package="deploy"\} [1-9]/);
  });

  it('stops on SIGTERM with exit code 0, and never logs a secret', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit') as [number | null];
    expect(code).toBe(0);
    for (const secret of [SIGNING_SECRET, BOT_TOKEN, API_TOKEN]) expect(serving.output()).not.toContain(secret);
  }, 40_000);
});
