import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeRedis, connectFailFastRedis, connectRedis, type Redis } from '../../src/store/index.ts';
import { luaScript, runScript } from '../../src/store/lua-script.ts';

describe('store scripts', () => {
  let redis: Redis;
  let failFast: Redis;
  beforeAll(() => { redis = connectRedis(inject('redisUrl')); failFast = connectFailFastRedis(inject('redisUrl')); });
  afterAll(async () => { await closeRedis(redis); await closeRedis(failFast); });

  it('are sent by their SHA1 once Redis knows them, and as text to a Redis that does not (new, restarted, flushed)', async () => {
    // A script text no other test uses, so this Redis cannot know it yet.
    const tag = randomBytes(4).toString('hex');
    const script = luaScript(`-- ${tag}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    const key = `ls${tag}`;
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    expect(await runScript(redis, script, [key], [2])).toBe(2);
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await runScript(failFast, script, [key], [3])).toBe(5);
  });

  it("report a script's own error as it is, not as a missing script", async () => {
    const script = luaScript(`-- ${randomBytes(4).toString('hex')}\nreturn redis.error_reply('BADSTATE no such thing')`);
    await expect(runScript(redis, script, [], [])).rejects.toThrow(/BADSTATE/);
  });
});
