import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isDeckhandError } from '../../src/errors.ts';
import { createDeployQueue, type DeployQueue } from '../../src/queue/index.ts';
import { freePort, spawnRedis, type SpawnedRedis } from '../../src/sandbox/redis-server.ts';
import { closeRedis, connectFailFastRedis, connectRedis, DeployStore, STORE_UNAVAILABLE_MESSAGE, waitForRedis, type Redis } from '../../src/store/index.ts';

async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; err?: unknown }> {
  const started = performance.now();
  try {
    return { ms: performance.now() - started, value: await p };
  } catch (err) {
    return { ms: performance.now() - started, err };
  }
}

describe('the request path connection fails fast and never runs a command late', () => {
  const opened: Redis[] = [];
  const queues: DeployQueue[] = [];
  let redis: SpawnedRedis | undefined;
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close().catch(() => {});
    for (const r of opened.splice(0)) await closeRedis(r);
    await redis?.stop();
    redis = undefined;
  });

  it('given nothing listening, a command fails with store_unavailable within the wait budget', async () => {
    const r = connectFailFastRedis(`redis://127.0.0.1:${await freePort()}`, { readyWaitMs: 300 });
    opened.push(r);
    const res = await timed(new DeployStore(r, 'x').get('1'));
    expect(isDeckhandError(res.err, 'store_unavailable')).toBe(true);
    expect((res.err as { userMessage: string }).userMessage).toBe(STORE_UNAVAILABLE_MESSAGE);
    expect(res.ms).toBeLessThan(1000);
  });

  it('given Redis stops, a command fails fast; once Redis is back the same connection serves again', async () => {
    const port = await freePort();
    redis = await spawnRedis({ port });
    const r = connectFailFastRedis(redis.url, { readyWaitMs: 500 });
    opened.push(r);
    await waitForRedis(r, redis.url);
    const store = new DeployStore(r, `t${randomBytes(3).toString('hex')}`);
    expect(await store.get('1')).toBeUndefined();
    await redis.stop();
    const down = await timed(store.get('1'));
    expect(isDeckhandError(down.err, 'store_unavailable')).toBe(true);
    expect(down.ms).toBeLessThan(1500);
    redis = await spawnRedis({ port });
    await new Promise((res) => setTimeout(res, 800));
    expect(await store.get('1')).toBeUndefined();
  });

  it('given a paused Redis, a write times out, and the client never sends it again after reconnecting', async () => {
    redis = await spawnRedis();
    const r = connectFailFastRedis(redis.url, { commandTimeoutMs: 300, readyWaitMs: 1500 });
    const admin = connectRedis(redis.url);
    opened.push(r, admin);
    await waitForRedis(r, redis.url);
    const id = String(await r.client('ID'));
    // Writes wait in the server; the connection stays up, so only the command timeout can answer the caller.
    await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    const res = await timed(r.incr('late'));
    expect(isDeckhandError(res.err, 'store_unavailable')).toBe(true);
    expect(res.ms).toBeLessThan(1000);
    // The connection drops with the write still held by the server (which then discards it). ioredis would
    // re-send unanswered commands on the new connection, and the write would happen after the person was told
    // it did not: this connection must not.
    await admin.call('CLIENT', 'KILL', 'ID', id);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await admin.get('late')).toBeNull();
    expect(await r.ping()).toBe('PONG');
  });

  it('a fail-fast queue refuses to enqueue while Redis is down, and the job never appears later', async () => {
    const port = await freePort();
    redis = await spawnRedis({ port });
    const prefix = `t${randomBytes(3).toString('hex')}`;
    const queue = createDeployQueue({ redisUrl: redis.url, prefix, failFast: true });
    queues.push(queue);
    await queue.ready();
    await redis.stop();
    const res = await timed(queue.enqueue('run', '42'));
    expect(isDeckhandError(res.err, 'store_unavailable')).toBe(true);
    expect(res.ms).toBeLessThan(2500);
    redis = await spawnRedis({ port });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(Object.values(await queue.counts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('waitForRedis fails at once with a clear message on a refused password, and never repeats the password', async () => {
    const password = 'store-test-right-pw-77';
    redis = await spawnRedis({ password });
    const wrong = redis.url.replace(encodeURIComponent(password), 'store-test-wrong-pw-11');
    const r = connectRedis(wrong);
    opened.push(r);
    const res = await timed(waitForRedis(r, wrong, 10_000));
    expect(isDeckhandError(res.err, 'config_invalid')).toBe(true);
    const message = (res.err as { userMessage: string }).userMessage;
    expect(message).toContain('refused Deckhand\'s login (WRONGPASS)');
    expect(message).not.toContain('store-test-wrong-pw-11');
    expect(res.ms).toBeLessThan(2000);
  });

  it('waitForRedis gives up on a Redis that cannot be reached, naming where it looked', async () => {
    const url = `redis://:some-password-xyz@127.0.0.1:${await freePort()}`;
    const r = connectRedis(url);
    opened.push(r);
    const res = await timed(waitForRedis(r, url, 700));
    expect(isDeckhandError(res.err, 'store_unavailable')).toBe(true);
    expect((res.err as { userMessage: string }).userMessage).toMatch(/could not reach Redis at redis:\/\/127\.0\.0\.1:\d+ within 1 s \(ECONNREFUSED\)/);
    expect((res.err as { userMessage: string }).userMessage).not.toContain('some-password-xyz');
  });
});
