import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from '../../../src/chat/slack/work-queue.ts';

describe('WorkQueue', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  const task = (log: number[], n: number, ms = 10) => async (): Promise<void> => {
    log.push(n);
    await new Promise((r) => setTimeout(r, ms));
  };

  it('holds work back while pushes keep coming, then runs it in order', async () => {
    const q = new WorkQueue({ concurrency: 2, quietMs: 30, maxHoldMs: 1000 });
    const started: number[] = [];
    for (let i = 0; i < 5; i++) {
      q.push(task(started, i));
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(started).toEqual([]);
    // The last push was at 40 ms: quiet from 70 ms.
    await vi.advanceTimersByTimeAsync(25);
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([0, 1, 2, 3]);
    const drained = q.drain();
    await vi.advanceTimersByTimeAsync(20);
    await drained;
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('never holds a task longer than maxHoldMs under a steady stream', async () => {
    const q = new WorkQueue({ concurrency: 1, quietMs: 30, maxHoldMs: 100 });
    const started: number[] = [];
    const t0 = Date.now();
    let firstAt: number | undefined;
    for (let i = 0; i < 20 && firstAt === undefined; i++) {
      q.push(async () => { started.push(i); firstAt ??= Date.now() - t0; });
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(firstAt).toBe(100);
    expect(started[0]).toBe(0);
  });

  it('runs at once without a quiet period, at most `concurrency` at a time', async () => {
    const q = new WorkQueue({ concurrency: 2 });
    const started: number[] = [];
    for (let i = 0; i < 3; i++) q.push(task(started, i));
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(10);
    await q.drain();
    expect(q.size).toBe(0);
  });
});
