import type { Redis } from 'ioredis';

/**
 * Marks that live a short while: set with a time to live, taken (deleted) once. The queue keeps its wake marks
 * here, on the store's connection, so they ride along with the record's reads and writes.
 */
export class MarkStore {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async set(key: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, '1', 'EX', ttlSeconds);
  }

  /** True when the mark was there. */
  async take(key: string): Promise<boolean> {
    return await this.redis.del(key) > 0;
  }
}
