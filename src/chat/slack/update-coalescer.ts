export interface UpdateCoalescerOptions<T> {
  /** No key is sent more often than this (Slack allows about one chat.update per second per message). */
  intervalMs: number;
  send(key: string, value: T): Promise<void>;
  onError?(err: unknown, key: string): void;
}

interface KeyState<T> {
  pending?: T;
  lastSentAt: number;
  timer?: ReturnType<typeof setTimeout>;
  inFlight: boolean;
}

/**
 * Coalesces a stream of updates per key (a deploy's card) into at most one send per `intervalMs`, always ending on
 * the newest value. Contract:
 * - the first value for a key is sent at once; later ones wait until `intervalMs` after the previous send began;
 * - a value pushed while another waits replaces it (only the newest state matters for a card);
 * - sends for one key never overlap and happen in push order, so an older state never lands after a newer one;
 * - a failed send is reported and does not block the next value.
 */
export class UpdateCoalescer<T> {
  private readonly o: UpdateCoalescerOptions<T>;
  private readonly keys = new Map<string, KeyState<T>>();
  private idleWaiters: (() => void)[] = [];

  constructor(options: UpdateCoalescerOptions<T>) {
    this.o = options;
  }

  push(key: string, value: T): void {
    let s = this.keys.get(key);
    if (!s) {
      s = { lastSentAt: Number.NEGATIVE_INFINITY, inFlight: false };
      this.keys.set(key, s);
    }
    s.pending = value;
    this.schedule(key, s);
  }

  /** Resolves once every pushed value has been sent (each still no faster than the interval allows). */
  flush(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    for (const s of this.keys.values()) if (s.pending !== undefined || s.inFlight) return false;
    return true;
  }

  private schedule(key: string, s: KeyState<T>): void {
    if (s.inFlight || s.timer !== undefined || s.pending === undefined) return;
    const wait = s.lastSentAt + this.o.intervalMs - Date.now();
    if (wait <= 0) {
      this.run(key, s);
      return;
    }
    s.timer = setTimeout(() => {
      s.timer = undefined;
      this.run(key, s);
    }, wait);
  }

  private run(key: string, s: KeyState<T>): void {
    const value = s.pending;
    if (value === undefined) return;
    s.pending = undefined;
    s.inFlight = true;
    s.lastSentAt = Date.now();
    void this.o.send(key, value)
      .catch((err: unknown) => this.o.onError?.(err, key))
      .finally(() => {
        s.inFlight = false;
        if (s.pending !== undefined) {
          this.schedule(key, s);
          return;
        }
        // Forget a quiet key once its interval has passed: the next value may go out at once anyway.
        // (Checked against the last send's start: an older timer must not forget a key that sent again since.)
        const forget = setTimeout(() => {
          const quiet = s.pending === undefined && !s.inFlight && s.timer === undefined && Date.now() - s.lastSentAt >= this.o.intervalMs;
          if (this.keys.get(key) === s && quiet) this.keys.delete(key);
        }, this.o.intervalMs);
        forget.unref?.();
        if (this.isIdle()) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of waiters) w();
        }
      });
  }
}
