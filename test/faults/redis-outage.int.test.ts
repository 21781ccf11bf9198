import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../src/http/index.ts';
import { freePort, spawnRedis, type SpawnedRedis } from '../../src/sandbox/redis-server.ts';
import { startSlackWorld, type SlackWorld } from '../helpers/slack-world.ts';

const API_TOKEN = 'outage-test-api-token-1234';
const STORE_DOWN = "Deckhand can't reach its store right now; nothing was done.";

/**
 * Redis unreachable while people use Deckhand: a slash command is answered within Slack's 3 s with an ephemeral
 * "can't reach its store", the API answers 503 at once, and nothing from those requests runs once Redis is back.
 */
describe('Redis unreachable: the request path answers at once and leaves nothing behind', () => {
  let world: SlackWorld | undefined;
  let redis: SpawnedRedis | undefined;
  let http: HttpServer | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await http?.close({ timeoutMs: 100 });
    await world?.stop();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    world = undefined;
    redis = undefined;
    http = undefined;
    dir = undefined;
  });

  async function start(): Promise<{ w: SlackWorld; api: string; port: number }> {
    dir = await mkdtemp(join(tmpdir(), 'deckhand-redis-outage-'));
    const port = await freePort();
    redis = await spawnRedis({ port, dir });
    world = await startSlackWorld({ deckhand: { redisUrl: redis.url } });
    http = createHttpServer({ api: { token: API_TOKEN, deploys: world.app.deploys, audit: world.app.audit } });
    const { url } = await http.listen(0, '127.0.0.1');
    return { w: world, api: url, port };
  }

  async function apiDeploys(api: string): Promise<{ status: number; ms: number; body: unknown }> {
    const started = performance.now();
    const res = await fetch(`${api}/api/deploys`, { headers: { authorization: `Bearer ${API_TOKEN}` }, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.json(), ms: performance.now() - started };
  }

  /** The command, and the ephemeral answer on its response_url with the time it took from sending. */
  async function deployDuringOutage(w: SlackWorld, triggerId: string): Promise<{ text: string; ms: number; ephemeral: boolean }> {
    const started = performance.now();
    const sent = await w.command('alice', '/deploy api v1.5.0 to staging', { triggerId });
    expect(sent.status).toBe(200);
    const reply = await sent.reply();
    return { text: String(reply.args.text), ms: reply.at - started, ephemeral: reply.args.response_type === 'ephemeral' };
  }

  /** Nothing from the refused request exists or runs: no deploy, no job, no card. */
  async function nothingLeft(w: SlackWorld): Promise<void> {
    await new Promise((r) => setTimeout(r, 1500));
    expect(await w.app.deploys.list()).toEqual([]);
    expect(Object.values(await w.app.queue.counts()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(w.slack.callsTo('chat.postMessage')).toEqual([]);
  }

  it('given Redis stopped, when a command and an API call come in, then both are answered at once, and after Redis is back nothing from them runs', async () => {
    const { w, api, port } = await start();
    await redis?.stop();
    redis = undefined;

    const answer = await deployDuringOutage(w, 'outage-stopped');
    expect(answer.text).toContain(STORE_DOWN);
    expect(answer.ephemeral).toBe(true);
    expect(answer.ms).toBeLessThan(3000);
    const res = await apiDeploys(api);
    expect(res.status).toBe(503);
    expect(res.ms).toBeLessThan(2500);
    expect(JSON.stringify(res.body)).toContain('store_unavailable');

    redis = await spawnRedis({ port, dir });
    await nothingLeft(w);
    // And the same Deckhand serves again once Redis is back.
    const after = await w.command('alice', '/deploy api v1.5.0 to staging');
    expect(String((await after.reply()).args.text)).toContain('#1');
    expect((await apiDeploys(api)).status).toBe(200);
  });

  it('given Redis paused (it holds every command), when a command comes in, then it is answered at once, and when Redis resumes no deploy appears', async () => {
    const { w, api } = await start();
    const admin = new Redis(redis?.url ?? '', { maxRetriesPerRequest: 1 });
    try {
      // Every client's commands wait, in the server, until the pause ends: whatever was sent then runs. (Even
      // CLIENT UNPAUSE waits, so the pause simply runs out.)
      const pauseMs = 4500;
      await admin.call('CLIENT', 'PAUSE', String(pauseMs), 'ALL');
      const pausedAt = performance.now();
      const answer = await deployDuringOutage(w, 'outage-paused');
      expect(answer.text).toContain(STORE_DOWN);
      expect(answer.ms).toBeLessThan(3000);
      const res = await apiDeploys(api);
      expect(res.status).toBe(503);
      expect(res.ms).toBeLessThan(2500);
      await new Promise((r) => setTimeout(r, Math.max(0, pausedAt + pauseMs + 200 - performance.now())));
      await nothingLeft(w);
    } finally {
      admin.disconnect();
    }
  });
});
