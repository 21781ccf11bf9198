import type { Redis } from 'ioredis';
import { LockHolder } from './schema.ts';
import { luaScript, runScript } from './lua-script.ts';

export type AcquireResult = { ok: true } | { ok: false; holder: LockHolder };

/** Set only if the key still holds exactly what the caller last saw: reclaiming never steals a fresh lock. */
const SWAP_SCRIPT = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`);

export class LockStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private key(service: string, env: string): string { return `${this.prefix}:lock:${service}:${env}`; }

  async acquire(service: string, env: string, holder: LockHolder): Promise<AcquireResult> {
    const set = await this.redis.set(this.key(service, env), JSON.stringify(holder), 'NX');
    if (set === 'OK') return { ok: true };
    const current = await this.get(service, env);
    // The lock vanished between SET and GET: take it again rather than report a holder that no longer exists.
    if (!current) return this.acquire(service, env, holder);
    return { ok: false, holder: current };
  }

  async get(service: string, env: string): Promise<LockHolder | undefined> {
    const raw = await this.redis.get(this.key(service, env));
    return raw ? LockHolder.parse(JSON.parse(raw)) : undefined;
  }

  /** Replaces `expected` with `next` (or deletes it when `next` is undefined) only if it is still the holder. */
  async swap(service: string, env: string, expected: LockHolder, next: LockHolder | undefined): Promise<boolean> {
    const ok = await runScript(this.redis, SWAP_SCRIPT, [this.key(service, env)], [JSON.stringify(expected), next ? JSON.stringify(next) : '']);
    return ok === 1;
  }

  /** Releases the lock if `deployId` holds it; a no-op otherwise, so every end state may call it safely. */
  async releaseDeploy(service: string, env: string, deployId: string): Promise<boolean> {
    const current = await this.get(service, env);
    if (current?.kind !== 'deploy' || current.deployId !== deployId) return false;
    return this.swap(service, env, current, undefined);
  }

  async list(): Promise<{ service: string; env: string; holder: LockHolder }[]> {
    const out: { service: string; env: string; holder: LockHolder }[] = [];
    // A plain SCAN loop rather than scanStream: every call goes through the connection's own error handling.
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:lock:*`, 'COUNT', 200);
      cursor = next;
      for (const key of keys) {
        const [service, env] = key.slice(`${this.prefix}:lock:`.length).split(':');
        const raw = await this.redis.get(key);
        if (service && env && raw) out.push({ service, env, holder: LockHolder.parse(JSON.parse(raw)) });
      }
    } while (cursor !== '0');
    return out;
  }
}
