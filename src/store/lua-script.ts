import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script of a store, sent by its SHA1 (EVALSHA) once Redis knows it: the text only travels the first time. */
export interface LuaScript {
  text: string;
  sha: string;
}

export function luaScript(text: string): LuaScript {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

/** Runs `script` on `keys` and `args`; a Redis that does not know it yet (new, restarted, flushed) is sent the text. */
export async function runScript(redis: Redis, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
    return await redis.eval(script.text, keys.length, ...keys, ...args);
  }
}
