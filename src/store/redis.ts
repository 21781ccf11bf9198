import { Redis } from 'ioredis';

export type { Redis };

/**
 * One connection per process for records; BullMQ opens its own. `maxRetriesPerRequest: null` keeps commands
 * queued while Redis restarts instead of failing them: a restart must not lose what a user asked for.
 */
export function connectRedis(url: string, onError: (err: Error) => void = () => {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
  // Without a listener ioredis reports every failed reconnect as an unhandled error; it reconnects by itself.
  redis.on('error', onError);
  return redis;
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
