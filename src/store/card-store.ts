import type { Redis } from 'ioredis';

const PENDING = 'pending';

/**
 * Where each deploy's card was posted, per platform. `claim` is a SET NX, so of several processes racing to post
 * a card exactly one wins; the others wait for its ref and update that message instead of posting another.
 */
export class CardStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private key(platform: string, deployId: string): string { return `${this.prefix}:card:${platform}:${deployId}`; }
  private reverseKey(platform: string, ref: string): string { return `${this.prefix}:cardref:${platform}:${ref}`; }

  async claim(platform: string, deployId: string): Promise<boolean> {
    // A claim whose poster died before recording a ref expires, so the card is not lost for good.
    return (await this.redis.set(this.key(platform, deployId), PENDING, 'EX', 30, 'NX')) === 'OK';
  }

  async set(platform: string, deployId: string, ref: string): Promise<void> {
    // MSET is atomic like MULTI, and one command: it fails or succeeds whole on any connection.
    await this.redis.mset(this.key(platform, deployId), ref, this.reverseKey(platform, ref), deployId);
  }

  async get(platform: string, deployId: string, waitMs = 5000): Promise<string | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const v = await this.redis.get(this.key(platform, deployId));
      if (v === null) return undefined;
      if (v !== PENDING) return v;
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async setLink(platform: string, deployId: string, url: string): Promise<void> {
    await this.redis.set(`${this.prefix}:cardlink:${platform}:${deployId}`, url);
  }

  /** The card's link; with `waitMs`, waits that long for a card still being posted (its link comes after the post). */
  async link(platform: string, deployId: string, waitMs = 0): Promise<string | undefined> {
    const until = Date.now() + waitMs;
    for (;;) {
      const url = await this.redis.get(`${this.prefix}:cardlink:${platform}:${deployId}`);
      if (url || Date.now() >= until) return url ?? undefined;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async deployOf(platform: string, ref: string): Promise<string | undefined> {
    return (await this.redis.get(this.reverseKey(platform, ref))) ?? undefined;
  }
}
