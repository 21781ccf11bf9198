import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, spawnRedis, type SpawnedRedis } from '../../src/sandbox/index.ts';
import { spawnServing, type ServingProcess } from '../helpers/serving-process.ts';
import { startSlackApiServer, type SlackApiServer } from '../helpers/slack-api-server.ts';
import { signSlackRequest, slashCommandBody } from '../helpers/slack-request.ts';

const SIGNING_SECRET = 'sigterm-test-signing-secret-2718';
/** `deckhand start`'s whole shutdown budget (create-graceful-shutdown.ts): under the chart's 30 s grace period. */
const DRAIN_TIMEOUT_MS = 25_000;

/** `deckhand start` serving Slack as a pod would run it: a separate process, its own Redis, the given cluster. */
async function serve(slack: SlackApiServer, env: Record<string, string>): Promise<ServingProcess> {
  const port = await freePort();
  // The example config, with its console user linked to the Slack account that speaks here (people are ids).
  const configPath = join(await mkdtemp(join(tmpdir(), 'deckhand-sigterm-')), 'deckhand.yaml');
  await writeFile(configPath, (await readFile('deckhand.yaml', 'utf8')).replace(/^ {2}you: \{\}.*$/m, '  you: { slack: U0YOU }'));
  // /healthz, not /readyz: with the cluster unreachable the process serves but is never ready.
  return spawnServing(process.execPath, ['bin/deckhand.js', 'start'], {
    port,
    path: '/healthz',
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, DECKHAND_CONFIG: configPath, PORT: String(port), LOG_LEVEL: 'info',
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-sigterm-test', SLACK_API_URL: slack.apiUrl, ...env,
    },
  });
}

/** Sends SIGTERM and resolves with the exit code and how long it took. */
async function terminate(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const sent = Date.now();
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const [code] = await exited;
  return { code, ms: Date.now() - sent };
}

describe('deckhand start stops on SIGTERM within its drain timeout, whatever is unreachable', () => {
  let slack: SlackApiServer | undefined;
  let redis: SpawnedRedis | undefined;
  let serving: ServingProcess | undefined;
  afterEach(async () => {
    if (serving && serving.child.exitCode === null) serving.child.kill('SIGKILL');
    await redis?.stop();
    await slack?.close();
    serving = undefined;
    redis = undefined;
  });

  it('given its Redis gone, exits within the drain timeout with code 0', async () => {
    slack = await startSlackApiServer({ users: [{ id: 'U0YOU', name: 'you' }] });
    redis = await spawnRedis();
    serving = await serve(slack, { REDIS_URL: redis.url });

    await redis.stop();
    const { code, ms } = await terminate(serving.child);

    expect(ms, serving.output()).toBeLessThan(DRAIN_TIMEOUT_MS);
    expect(code, serving.output()).toBe(0);
    expect(serving.output()).toContain('shut down');
  }, 60_000);

  it('given the cluster unreachable while a deploy waits on it, exits within the drain timeout', async () => {
    slack = await startSlackApiServer({ users: [{ id: 'U0YOU', name: 'you' }] });
    redis = await spawnRedis();
    // A kubeconfig whose API server port has nothing listening.
    const dir = await mkdtemp(join(tmpdir(), 'deckhand-sigterm-kube-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: gone',
      `clusters: [{ name: gone, cluster: { server: 'http://127.0.0.1:${await freePort()}' } }]`,
      'users: [{ name: gone, user: { token: t } }]', 'contexts: [{ name: gone, context: { cluster: gone, user: gone } }]', '',
    ].join('\n'));
    serving = await serve(slack, { REDIS_URL: redis.url, KUBECONFIG: kubeconfig });
    const req = slashCommandBody({ command: '/deploy', text: 'api v1.5.0 to staging', userId: 'U0YOU', userName: 'you', triggerId: 't-sigterm-1', responseUrl: slack.responseUrl('r1') });
    const res = await fetch(`${serving.base}/slack/events`, { method: 'POST', headers: { 'content-type': req.contentType, ...signSlackRequest(SIGNING_SECRET, req.body) }, body: req.body });
    expect(res.status).toBe(200);
    await slack.waitFor((c) => c.method === 'response_url' && c.args.url === '/respond/r1', 15_000);

    const { code, ms } = await terminate(serving.child);

    expect(ms, serving.output()).toBeLessThan(DRAIN_TIMEOUT_MS);
    expect(code, serving.output()).toBe(0);
  }, 60_000);
});
