import { Redis } from 'ioredis';

export type { Redis };

/**
 * One connection per process for records; BullMQ opens its own. `maxRetriesPerRequest: null` keeps commands
 * queued while Redis restarts instead of failing them: a restart must not lose what a user asked for.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
