import type { SendResult } from './send-result.ts';

export interface DeliveryQueueOptions {
  /** Deliveries waiting at most; past it a new one is dropped (and reported), so a dead Grafana cannot eat memory. */
  capacity?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** Tries per delivery, the first included. */
  attempts?: number;
  /** Wait before try n+1 (n from 1): doubling from `retryBaseMs`. */
  retryBaseMs?: number;
  /** A delivery that failed for good (refused, or out of tries). */
  onFailure(name: string, result: Extract<SendResult, { ok: false }>, attempts: number): void;
  /** A delivery dropped because the queue was full. */
  onDrop(name: string): void;
}

interface Job {
  name: string;
  send: () => Promise<SendResult>;
  tries: number;
}

/**
 * Fire-and-forget deliveries with a cap: `push` returns at once (the deploy event that caused it never waits on
 * Grafana or PagerDuty), a few run at a time, each is retried with backoff while its failure is retryable, and the
 * queue never holds more than `capacity`. In memory: markers not yet sent when the process stops are lost, which
 * costs a dashboard line, not a deploy.
 */
export class DeliveryQueue {
  private readonly o: Required<Omit<DeliveryQueueOptions, 'onFailure' | 'onDrop'>> & Pick<DeliveryQueueOptions, 'onFailure' | 'onDrop'>;
  private readonly waiting: Job[] = [];
  private running = 0;
  /** Retries sleeping on a timer: counted as pending, so `idle()` waits for them. */
  private sleeping = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(o: DeliveryQueueOptions) {
    this.o = { capacity: 1000, concurrency: 4, attempts: 3, retryBaseMs: 500, ...o };
  }

  /** Queues a delivery; false if the queue is full or closed (the drop is reported). */
  push(name: string, send: () => Promise<SendResult>): boolean {
    if (this.closed || this.pending() >= this.o.capacity) {
      this.o.onDrop(name);
      return false;
    }
    this.waiting.push({ name, send, tries: 0 });
    this.pump();
    return true;
  }

  /** Deliveries not yet finished: waiting, in flight, or sleeping before a retry. */
  pending(): number {
    return this.waiting.length + this.running + this.sleeping;
  }

  /** Resolves once nothing is pending (tests; a stopping process waits for it, within its grace). */
  idle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Takes no more deliveries and gives up the retries still sleeping (the process is stopping; they are lost). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.sleeping = 0;
    this.settle();
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running += 1;
      void this.run(job);
    }
  }

  private async run(job: Job): Promise<void> {
    job.tries += 1;
    let result: SendResult;
    try {
      result = await job.send();
    } catch (err) {
      // A sender turns every failure into a value; this is only a last line.
      result = { ok: false, retryable: false, reason: err instanceof Error ? err.message : String(err) };
    }
    this.running -= 1;
    if (!result.ok) {
      if (result.retryable && job.tries < this.o.attempts && !this.closed) {
        this.retryLater(job);
      } else {
        this.o.onFailure(job.name, result, job.tries);
      }
    }
    this.pump();
    this.settle();
  }

  private retryLater(job: Job): void {
    this.sleeping += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.sleeping -= 1;
      this.waiting.push(job);
      this.pump();
    }, this.o.retryBaseMs * 2 ** (job.tries - 1));
    timer.unref();
    this.timers.add(timer);
  }

  private settle(): void {
    if (this.pending() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
