import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteractionSigner, sendInteraction, slashCommandInteraction } from '@deckhand/sim/discord';
import { freePort, spawnRedis, type SpawnedRedis } from '../../src/sandbox/redis-server.ts';
import { startSlackApiServer, type SlackApiServer } from '../helpers/slack-api-server.ts';
import { signSlackRequest, slashCommandBody } from '../helpers/slack-request.ts';

/** A distinctive value in every secret setting: none of them may show up anywhere Deckhand writes. */
const REDIS_PASSWORD = 'leakcheck-redis-pw-5e9b1c';
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-leakcheck-bot-3c8a2f91',
  SLACK_SIGNING_SECRET: 'leakcheck-signing-2b7e4d6a',
  SLACK_APP_TOKEN: 'xapp-leakcheck-app-9f1d3e57',
  GITHUB_TOKEN: 'ghp_leakcheckGithubToken4a6c8e0b2d',
  GITHUB_WEBHOOK_SECRET: 'leakcheck-webhook-7a3f9c1e',
  DISCORD_BOT_TOKEN: 'leakcheck-discord-bot.8d2b6f4a',
  DECKHAND_API_TOKEN: 'leakcheck-api-token-1f5b9d3c',
  REGISTRY_PASSWORD: 'leakcheck-registry-pw-6e0a4c8b',
  REGISTRY_TOKEN: 'leakcheck-registry-token-3b7d1f5a',
};
const WEBHOOK_TOKEN = 'leakcheckDiscordWebhookToken0c4e8a2f';
const WRONG_REDIS_PASSWORD = 'leakcheck-wrong-redis-pw-2d6f0b';
const ALL = [REDIS_PASSWORD, WRONG_REDIS_PASSWORD, WEBHOOK_TOKEN, ...Object.values(SECRETS)];
const DISCORD_APP = '900000000000000001';

interface Run { code: number | null; output: string; ms: number }

/**
 * A stand-in for every outside service that refuses or fails: GitHub answers 401, the policy server 500, the
 * Discord API 401, and a Slack API that refuses the bot token. It records what it was sent (credentials included:
 * that is where they belong).
 */
async function startRefusingServices(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      const json = (status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (path.startsWith('/github')) return json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      if (path.startsWith('/policy')) { res.writeHead(500, { 'content-type': 'text/plain' }); res.end(`policy engine failed for ${req.headers['user-agent'] ?? 'you'}`); return; }
      if (path.startsWith('/discord')) return json(401, { message: '401: Unauthorized', code: 0 });
      if (path.startsWith('/slack-refusing')) return json(200, { ok: false, error: 'invalid_auth' });
      json(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

function startDeckhand(env: Record<string, string>, configPath: string): { done: Promise<Run>; output: () => string; stop(): void } {
  const started = Date.now();
  let output = '';
  const child = spawn('node', ['bin/deckhand.js', 'start', '--config', configPath], {
    env: { PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  const done = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ code, output, ms: Date.now() - started })));
  return { done, output: () => output, stop: () => { if (child.exitCode === null) child.kill('SIGTERM'); } };
}

function leaksIn(where: string, text: string): string[] {
  return ALL.filter((s) => text.includes(s) || text.includes(encodeURIComponent(s))).map((s) => `${where} contains ${s}`);
}

/** Every key and value in the Redis Deckhand used, as text. */
async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value = type === 'string' ? await redis.get(key)
          : type === 'hash' ? await redis.hgetall(key)
          : type === 'list' ? await redis.lrange(key, 0, -1)
          : type === 'set' ? await redis.smembers(key)
          : type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES')
          : type === 'stream' ? await redis.xrange(key, '-', '+')
          : `(${type})`;
        out.push(`${key} ${JSON.stringify(value)}`);
      }
    } while (cursor !== '0');
    return out.join('\n');
  } finally {
    redis.disconnect();
  }
}

describe('deckhand start never prints a secret, even when everything around it fails', () => {
  let redis: SpawnedRedis;
  let slack: SlackApiServer;
  let refusing: { url: string; close(): Promise<void> };
  let dir: string;
  let configPath: string;
  const signer = createInteractionSigner();

  beforeAll(async () => {
    redis = await spawnRedis({ password: REDIS_PASSWORD });
    slack = await startSlackApiServer({ users: [{ id: 'U0YOU', name: 'you' }] });
    refusing = await startRefusingServices();
    dir = await mkdtemp(join(tmpdir(), 'deckhand-leak-'));
    configPath = join(dir, 'deckhand.yaml');
    const text = (await readFile('deckhand.yaml', 'utf8'))
      .replace(/^ {2}you: \{\}.*$/m, "  you: { slack: U0YOU, discord: '100000000000000009' }")
      .concat(`\ndiscord:\n  releases:\n    - { teams: [payments], webhook: '${refusing.url}/discord/api/webhooks/1234/${WEBHOOK_TOKEN}' }\n`);
    await writeFile(configPath, text);
  });

  afterAll(async () => {
    await redis?.stop();
    await slack?.close();
    await refusing?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('given a REDIS_URL whose password Redis refuses, the start stops within seconds, says why, and prints no password', async () => {
    const port = await freePort();
    const run = await startDeckhand({ PORT: String(port), REDIS_URL: `redis://:${WRONG_REDIS_PASSWORD}@127.0.0.1:${redis.port}` }, configPath).done;
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    expect(run.output).toContain("refused Deckhand's login (WRONGPASS)");
    expect(leaksIn('output', run.output)).toEqual([]);
  }, 30_000);

  it('given a Slack API that refuses the bot token, the start stops, says why, and prints no token', async () => {
    const port = await freePort();
    const run = await startDeckhand({
      PORT: String(port), REDIS_URL: redis.url, SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: SECRETS.SLACK_APP_TOKEN,
      SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET, SLACK_API_URL: `${refusing.url}/slack-refusing/api/`,
    }, configPath).done;
    expect(run.code).toBe(1);
    expect(run.output).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth)');
    expect(leaksIn('output', run.output)).toEqual([]);
  }, 30_000);

  it('given every secret set, when GitHub, the policy server and Discord refuse and forged requests come in, then no secret is in the output, the chat, the API, the audit log or Redis', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const deckhand = startDeckhand({
      PORT: String(port), REDIS_URL: redis.url,
      SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
      GITHUB_TOKEN: SECRETS.GITHUB_TOKEN, GITHUB_API_URL: `${refusing.url}/github`, GITHUB_WEBHOOK_SECRET: SECRETS.GITHUB_WEBHOOK_SECRET,
      DISCORD_BOT_TOKEN: SECRETS.DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID: DISCORD_APP, DISCORD_PUBLIC_KEY: signer.publicKeyHex, DISCORD_API_URL: `${refusing.url}/discord`,
      DECKHAND_API_TOKEN: SECRETS.DECKHAND_API_TOKEN, REGISTRY_USERNAME: 'deckhand-bot', REGISTRY_PASSWORD: SECRETS.REGISTRY_PASSWORD, REGISTRY_TOKEN: SECRETS.REGISTRY_TOKEN,
      POLICY_URL: `${refusing.url}/policy`,
    }, configPath);
    try {
      for (let i = 0; ; i++) {
        if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
        if (i > 300) throw new Error(`never ready:\n${deckhand.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const answers: string[] = [];
      const command = async (line: string, id: string): Promise<void> => {
        const [cmd = '', ...rest] = line.split(' ');
        const req = slashCommandBody({ command: cmd, text: rest.join(' '), userId: 'U0YOU', userName: 'you', triggerId: `t-${id}`, responseUrl: slack.responseUrl(id) });
        const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': req.contentType, ...signSlackRequest(SECRETS.SLACK_SIGNING_SECRET, req.body) }, body: req.body });
        answers.push(await res.text());
        expect(res.status).toBe(200);
        await slack.waitFor((c) => c.method === 'response_url' && c.args.url === `/respond/${id}`, 15_000);
      };
      // GitHub refuses the token (the version check), the policy server fails (a lock asks the policy).
      await command('/deploy api v1.5.0 to staging', 'deploy');
      await command('/lock api staging maintenance window', 'lock');
      await command('/status api', 'status');
      // Discord: a signed command whose answers the Discord API refuses.
      const interaction = slashCommandInteraction({ user: { id: '100000000000000009', username: 'you' }, channelId: '900000000000000010', guildId: '900000000000000002', applicationId: DISCORD_APP, name: 'status', options: { args: 'api' } });
      answers.push(JSON.stringify(await sendInteraction(`${base}/discord/interactions`, interaction, signer)));
      // Forged and refused requests: a Slack request signed with a wrong secret, a webhook with a bad signature,
      // the API with a wrong token; then the audit log through the API.
      const forged = slashCommandBody({ command: '/deploy', text: 'api v1.5.0 to staging', userId: 'U0YOU', userName: 'you', triggerId: 't-forged', responseUrl: slack.responseUrl('forged') });
      answers.push(await (await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': forged.contentType, ...signSlackRequest('wrong-secret-123456', forged.body) }, body: forged.body })).text());
      answers.push(await (await fetch(`${base}/github/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'workflow_run', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, body: '{}' })).text());
      answers.push(await (await fetch(`${base}/api/deploys`, { headers: { authorization: 'Bearer not-the-api-token-000' } })).text());
      const audit = await fetch(`${base}/api/audit?limit=500`, { headers: { authorization: `Bearer ${SECRETS.DECKHAND_API_TOKEN}` } });
      expect(audit.status).toBe(200);
      const auditText = await audit.text();
      expect(auditText).toContain('/lock api staging');
      answers.push(auditText, await (await fetch(`${base}/api/deploys`, { headers: { authorization: `Bearer ${SECRETS.DECKHAND_API_TOKEN}` } })).text());
      await new Promise((r) => setTimeout(r, 500));
      deckhand.stop();
      const run = await deckhand.done;

      // What Deckhand sent to Slack, without the credential it hands to Slack's own API.
      const chat = slack.calls.map((c) => JSON.stringify({ ...c.args, token: undefined }));
      expect(slack.callsTo('response_url').length).toBeGreaterThanOrEqual(3);
      // Each failure did happen (and was logged), so the checks below look at real error paths.
      for (const happened of ['GitHub answered 401', 'policy_backend_unavailable', 'discord_api_error', 'slack request refused']) {
        expect(run.output).toContain(happened);
      }
      expect([
        ...leaksIn('output', run.output),
        ...chat.flatMap((c) => leaksIn('chat', c)),
        ...answers.flatMap((a) => leaksIn('HTTP answer', a)),
        ...leaksIn('Redis', await dumpRedis(redis.url)),
      ]).toEqual([]);
    } finally {
      deckhand.stop();
    }
  }, 90_000);
});
