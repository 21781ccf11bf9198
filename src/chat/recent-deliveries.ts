/**
 * Delivery ids seen lately in this process, so a re-delivery or a replay is acknowledged but not handled twice:
 * Slack's `X-Slack-Retry-Num` retries carry the same event_id (a replayed slash command the same trigger_id), a
 * replayed Discord interaction its id, a replayed Sentry delivery the same signed body. Across processes the
 * senders' own rules take over (the pipeline's idempotency key, signed timestamps, the signals' freshness rules).
 * Ids are kept for `ttlMs` — longer than the senders' replay windows — and at most `max` of them.
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

  /** Un-sees an id whose handling failed, so the sender's retry of it is handled rather than dropped. */
  forget(id: string): void {
    this.seenAt.delete(id);
  }
}
