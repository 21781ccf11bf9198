/**
 * Delivery ids seen lately in this process, so a re-delivery (Slack's `X-Slack-Retry-Num` retries carry the same
 * event_id; a replayed slash command the same trigger_id) is acknowledged but not handled twice. Across processes
 * the pipeline's idempotency key (the delivery id) makes a retried deploy request find the first deploy.
 * Slack retries within minutes, so ids are kept for `ttlMs` and at most `max` of them.
 */
export class RecentDeliveries {
  private readonly seenAt = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.max = options.max ?? 10_000;
  }

  /** True the first time an id is seen (within the ttl); false for a repeat. */
  firstTime(id: string): boolean {
    const now = Date.now();
    const at = this.seenAt.get(id);
    if (at !== undefined && now - at < this.ttlMs) return false;
    this.seenAt.delete(id);
    this.seenAt.set(id, now);
    // Map keeps insertion order, so the oldest ids are first to go.
    while (this.seenAt.size > this.max) {
      const oldest = this.seenAt.keys().next().value;
      if (oldest === undefined) break;
      this.seenAt.delete(oldest);
    }
    return true;
  }
}
