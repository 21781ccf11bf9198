import { describe, expect, it } from 'vitest';
import { DeliveryQueue } from '../../src/markers/index.ts';

type Failure = { name: string; status?: number; attempts: number };

function queue(o: { capacity?: number; concurrency?: number; attempts?: number } = {}) {
  const failures: Failure[] = [];
  const dropped: string[] = [];
  const q = new DeliveryQueue({
    retryBaseMs: 5, ...o,
    onFailure: (name, r, attempts) => failures.push({ name, status: r.status, attempts }),
    onDrop: (name) => dropped.push(name),
  });
  return { q, failures, dropped };
}

describe('DeliveryQueue: fire-and-forget deliveries with a cap and bounded retries', () => {
  it('returns at once, and runs deliveries in the background, a few at a time', async () => {
    const { q } = queue({ concurrency: 2 });
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    for (let i = 0; i < 5; i += 1) {
      expect(q.push(`m${i}`, async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((r) => release.push(r));
        running -= 1;
        return { ok: true };
      })).toBe(true);
    }
    expect(q.pending()).toBe(5);
    while (q.pending() > 0) {
      await new Promise((r) => setTimeout(r, 1));
      release.shift()?.();
    }
    await q.idle();
    expect(most).toBe(2);
  });

  it('retries a retryable failure with backoff, up to its attempts, then reports it once', async () => {
    const { q, failures } = queue({ attempts: 3 });
    let tries = 0;
    q.push('flaky', async () => { tries += 1; return { ok: false, retryable: true, status: 503, reason: 'Grafana answered 503' }; });
    await q.idle();
    expect(tries).toBe(3);
    expect(failures).toEqual([{ name: 'flaky', status: 503, attempts: 3 }]);
  });

  it('stops at the first success', async () => {
    const { q, failures } = queue({ attempts: 5 });
    let tries = 0;
    q.push('recovers', async () => (++tries < 2 ? { ok: false, retryable: true, reason: 'timed out' } : { ok: true }));
    await q.idle();
    expect([tries, failures]).toEqual([2, []]);
  });

  it('does not retry a refusal (a bad token stays bad)', async () => {
    const { q, failures } = queue({ attempts: 3 });
    let tries = 0;
    q.push('refused', async () => { tries += 1; return { ok: false, retryable: false, status: 401, reason: 'Grafana answered 401' }; });
    await q.idle();
    expect(tries).toBe(1);
    expect(failures).toEqual([{ name: 'refused', status: 401, attempts: 1 }]);
  });

  it('holds at most `capacity` deliveries: past it new ones are dropped and reported, never queued', async () => {
    const { q, dropped } = queue({ capacity: 3, concurrency: 1 });
    let release!: () => void;
    const blocked = new Promise<void>((r) => { release = r; });
    const accepted = [0, 1, 2, 3, 4].map((i) => q.push(`m${i}`, async () => { await blocked; return { ok: true }; }));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(dropped).toEqual(['m3', 'm4']);
    release();
    await q.idle();
    expect(q.pending()).toBe(0);
  });

  it('after close, takes nothing and gives up sleeping retries', async () => {
    const { q, failures, dropped } = queue({ attempts: 3 });
    q.push('sleeper', async () => ({ ok: false, retryable: true, reason: 'down' }));
    await new Promise((r) => setTimeout(r, 1));
    q.close();
    await q.idle();
    expect(q.push('late', async () => ({ ok: true }))).toBe(false);
    expect(dropped).toEqual(['late']);
    expect(failures).toHaveLength(0);
  });
});
