import type { Redis } from 'ioredis';

export interface StreamEntry {
  id: string;
  record: unknown;
}

/**
 * An append-only Redis stream of JSON records (the audit log). Trimming is approximate (`~`), which lets Redis
 * drop whole nodes cheaply; retention is therefore "at least maxLen".
 */
export class StreamStore {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly maxLen: number;

  constructor(redis: Redis, key: string, maxLen = 1_000_000) {
    this.redis = redis;
    this.key = key;
    this.maxLen = maxLen;
  }

  async append(record: unknown): Promise<string> {
    const id = await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLen), '*', 'json', JSON.stringify(record));
    return id ?? '';
  }

  /** Oldest first, from `sinceMs` (epoch milliseconds) on. */
  async read(options: { sinceMs?: number; count?: number } = {}): Promise<StreamEntry[]> {
    const start = options.sinceMs ? `${options.sinceMs}-0` : '-';
    const rows = options.count
      ? await this.redis.xrange(this.key, start, '+', 'COUNT', options.count)
      : await this.redis.xrange(this.key, start, '+');
    return rows.map(([id, fields]) => ({ id, record: JSON.parse(fields[1] ?? 'null') }));
  }

  /** Newest first. */
  async readLatest(count: number): Promise<StreamEntry[]> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', count);
    return rows.map(([id, fields]) => ({ id, record: JSON.parse(fields[1] ?? 'null') }));
  }
}
