import type { Redis } from 'ioredis';
import { Freeze } from './schema.ts';

/**
 * One-off freezes written by `/freeze`, in a Redis hash (field = freeze id). Expired ones are dropped on read,
 * so the policy only ever sees freezes in force or still to come.
 */
export class FreezeStore {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.key = `${prefix}:freezes`;
  }

  async add(freeze: Freeze): Promise<string> {
    const id = `${freeze.env}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 6)}`;
    await this.redis.hset(this.key, id, JSON.stringify(Freeze.parse(freeze)));
    return id;
  }

  async list(now: Date): Promise<Freeze[]> {
    const all = await this.redis.hgetall(this.key);
    const out: Freeze[] = [];
    for (const [id, raw] of Object.entries(all)) {
      const f = Freeze.parse(JSON.parse(raw));
      if (f.until && new Date(f.until) <= now) await this.redis.hdel(this.key, id);
      else out.push(f);
    }
    return out.sort((a, b) => a.from.localeCompare(b.from));
  }

  /** Removes every one-off freeze of `env`; returns how many there were. */
  async clear(env: string): Promise<number> {
    const all = await this.redis.hgetall(this.key);
    const ids = Object.entries(all).filter(([, raw]) => Freeze.parse(JSON.parse(raw)).env === env).map(([id]) => id);
    if (ids.length) await this.redis.hdel(this.key, ...ids);
    return ids.length;
  }
}
