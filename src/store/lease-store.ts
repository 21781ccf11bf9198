import type { Redis } from 'ioredis';
import { luaScript, runScript } from './lua-script.ts';

/** Renews the lease if `holder` has it, else takes it if nobody does. */
const HOLD_SCRIPT = luaScript(`
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if current then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

const RELEASE_SCRIPT = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Named leases: work that one process of an installation should do at a time (the Deployment watch), taken by
 * whoever asks first and kept by renewing it; a holder that dies loses it when it expires.
 */
export class LeaseStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private key(name: string): string { return `${this.prefix}:lease:${name}`; }

  /** Takes or renews `name` for `holder` for `ttlMs`; true when `holder` has it now. */
  async hold(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return await runScript(this.redis, HOLD_SCRIPT, [this.key(name)], [holder, String(ttlMs)]) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await runScript(this.redis, RELEASE_SCRIPT, [this.key(name)], [holder]);
  }
}
