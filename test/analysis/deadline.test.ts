import { describe, expect, it } from 'vitest';
import { deadline } from '../../src/analysis/deadline.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadline', () => {
  it('aborts with a TimeoutError once its time is up', async () => {
    const limit = deadline(new AbortController().signal, 20);
    await sleep(60);
    expect(limit.signal.aborted).toBe(true);
    expect((limit.signal.reason as Error).name).toBe('TimeoutError');
  });

  it('never fires once the answer is in', async () => {
    const outer = new AbortController();
    const limit = deadline(outer.signal, 20);
    limit.done();
    await sleep(60);
    outer.abort(new Error('shutting down'));
    expect(limit.signal.aborted).toBe(false);
  });

  it('follows the caller’s signal, already aborted or aborted later, with its reason', () => {
    const later = new AbortController();
    const limit = deadline(later.signal, 10_000);
    later.abort(new Error('shutting down'));
    expect((limit.signal.reason as Error).message).toBe('shutting down');
    limit.done();
    const before = new AbortController();
    before.abort(new Error('gone'));
    const at = deadline(before.signal, 10_000);
    expect((at.signal.reason as Error).message).toBe('gone');
    at.done();
  });
});
