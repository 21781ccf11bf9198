import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UpdateCoalescer } from '../../../src/chat/slack/index.ts';

describe('UpdateCoalescer', () => {
  let sent: { key: string; value: number; at: number }[];
  let start: number;
  const make = (sendMs = 0): UpdateCoalescer<number> => new UpdateCoalescer<number>({
    intervalMs: 1000,
    send: async (key, value) => {
      sent.push({ key, value, at: Date.now() - start });
      if (sendMs) await new Promise((r) => setTimeout(r, sendMs));
    },
  });

  beforeEach(() => {
    vi.useFakeTimers();
    start = Date.now();
    sent = [];
  });
  afterEach(() => { vi.useRealTimers(); });

  it('sends the first value at once', () => {
    make().push('1', 1);
    expect(sent).toEqual([{ key: '1', value: 1, at: 0 }]);
  });

  it('given 100 updates over 5 s, sends at most one per second and ends on the last', async () => {
    const c = make();
    for (let i = 1; i <= 100; i++) {
      c.push('1', i);
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(1000);
    await c.flush();

    const times = sent.map((s) => s.at);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent.at(-1)?.value).toBe(100);
  });

  it('a last value pushed right after a send lands within the interval', async () => {
    const c = make();
    c.push('1', 1);
    await vi.advanceTimersByTimeAsync(100);
    c.push('1', 2);
    await vi.advanceTimersByTimeAsync(899);
    expect(sent.map((s) => s.value)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.value)).toEqual([1, 2]);
    expect(sent[1]?.at).toBe(1000);
  });

  it('keys are independent: two cards each get their own second', async () => {
    const c = make();
    c.push('1', 1);
    c.push('2', 1);
    expect(sent.map((s) => s.key)).toEqual(['1', '2']);
  });

  it('never overlaps sends for one key, even when Slack is slower than the interval', async () => {
    const c = make(2500);
    c.push('1', 1);
    await vi.advanceTimersByTimeAsync(1200);
    c.push('1', 2);
    c.push('1', 3);
    await vi.advanceTimersByTimeAsync(1200);
    expect(sent.map((s) => s.value)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent.map((s) => s.value)).toEqual([1, 3]);
    expect(sent[1]?.at).toBe(2500);
  });

  it('a failed send is reported and the next value still goes out', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const c = new UpdateCoalescer<number>({
      intervalMs: 1000,
      send: async (_k, v) => {
        if (fail) { fail = false; throw new Error('ratelimited'); }
        sent.push({ key: '1', value: v, at: Date.now() - start });
      },
      onError: (err) => errors.push(err),
    });
    c.push('1', 1);
    await vi.advanceTimersByTimeAsync(10);
    c.push('1', 2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    expect(sent.map((s) => s.value)).toEqual([2]);
  });

  it('flush resolves once the newest value has been sent', async () => {
    const c = make();
    c.push('1', 1);
    c.push('1', 2);
    let done = false;
    void c.flush().then(() => { done = true; });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect(sent.map((s) => s.value)).toEqual([1, 2]);
  });

  it('an older forget timer does not reset the spacing of a key that sent again since (regression)', async () => {
    // The first send takes 5 ms, so its "forget this quiet key" timer fires at 1005 ms — just after the second
    // send (1000 ms, 1 ms long) finished. The key must still wait until 2000 ms for its next send.
    const durations = [5, 1, 1];
    const c = new UpdateCoalescer<number>({
      intervalMs: 1000,
      send: async (_key, value) => {
        sent.push({ key: '1', value, at: Date.now() - start });
        await new Promise((r) => setTimeout(r, durations.shift() ?? 1));
      },
    });
    c.push('1', 1);
    await vi.advanceTimersByTimeAsync(500);
    c.push('1', 2);
    await vi.advanceTimersByTimeAsync(530);
    expect(sent.map((s) => s.at)).toEqual([0, 1000]);
    c.push('1', 3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.at)).toEqual([0, 1000, 2000]);
  });
});
