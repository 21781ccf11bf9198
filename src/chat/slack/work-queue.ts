export interface WorkQueueOptions {
  /** Tasks running at once. */
  concurrency: number;
  /**
   * Start no new task until pushes have paused this long, so a burst of requests is acknowledged before the work
   * it brings starts competing for the event loop.
   */
  quietMs?: number;
  /** …but never hold a task back longer than this, so a steady stream of requests cannot starve the work. */
  maxHoldMs?: number;
}

/**
 * Runs tasks in arrival order, at most `concurrency` at a time, starting them when the stream of pushes pauses.
 * The Slack adapter hands events to the pipeline through it: an ack is microseconds of work, a pipeline run
 * milliseconds of policy evaluation and Redis round trips, and both share one event loop. Holding the work back
 * for a few milliseconds during a burst keeps every ack far inside Slack's 3 seconds.
 */
export class WorkQueue {
  private readonly o: Required<WorkQueueOptions>;
  private running = 0;
  private readonly waiting: { task: () => Promise<void>; at: number }[] = [];
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private gateOpen = true;
  private idle: (() => void)[] = [];

  constructor(options: WorkQueueOptions) {
    this.o = { quietMs: 0, maxHoldMs: 250, ...options, concurrency: Math.max(1, options.concurrency) };
  }

  /** Queues a task; it must not throw (errors are the caller's to report). */
  push(task: () => Promise<void>): void {
    this.waiting.push({ task, at: Date.now() });
    if (this.o.quietMs > 0) {
      this.gateOpen = false;
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => this.open(), this.o.quietMs);
      this.holdTimer ??= setTimeout(() => this.open(), this.o.maxHoldMs);
      return;
    }
    this.next();
  }

  get size(): number {
    return this.running + this.waiting.length;
  }

  /** Resolves when every queued task has finished. */
  drain(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private open(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.holdTimer);
    this.quietTimer = undefined;
    this.holdTimer = undefined;
    this.gateOpen = true;
    this.next();
  }

  private next(): void {
    while (this.gateOpen && this.running < this.o.concurrency && this.waiting.length) {
      const item = this.waiting.shift();
      if (!item) break;
      this.running++;
      void item.task().catch(() => {}).finally(() => {
        this.running--;
        this.next();
        if (this.size === 0) {
          const waiters = this.idle;
          this.idle = [];
          for (const w of waiters) w();
        }
      });
    }
  }
}
