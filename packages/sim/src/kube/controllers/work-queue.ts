/**
 * A de-duplicating queue of object keys, drained on the next turn of the event loop (like client-go's
 * workqueue: a key added many times before it is processed is processed once). Store listeners only enqueue,
 * so controllers never write to the store from inside another write.
 */
export class WorkQueue {
  readonly #process: (key: string) => void;
  readonly #pending = new Set<string>();
  readonly #delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  #scheduled: NodeJS.Immediate | undefined;
  #closed = false;

  constructor(process: (key: string) => void) {
    this.#process = process;
  }

  add(key: string): void {
    if (this.#closed) return;
    this.#pending.add(key);
    this.#scheduled ??= setImmediate(() => this.#drain());
  }

  /** Processes `key` after `delayMs` unless an earlier retry for it is already scheduled. */
  addAfter(key: string, delayMs: number): void {
    if (this.#closed) return;
    const at = Date.now() + Math.max(0, delayMs);
    const existing = this.#delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, Math.max(0, delayMs));
    this.#delayed.set(key, { at, timer });
  }

  close(): void {
    this.#closed = true;
    if (this.#scheduled) clearImmediate(this.#scheduled);
    for (const { timer } of this.#delayed.values()) clearTimeout(timer);
    this.#delayed.clear();
    this.#pending.clear();
  }

  #drain(): void {
    this.#scheduled = undefined;
    const keys = [...this.#pending];
    this.#pending.clear();
    for (const key of keys) {
      if (this.#closed) return;
      try {
        this.#process(key);
      } catch (err) {
        // A failed sync is retried shortly, as a real controller requeues with backoff.
        console.error(`[sim/kube] sync of ${key} failed:`, err);
        this.addAfter(key, 200);
      }
    }
  }
}
