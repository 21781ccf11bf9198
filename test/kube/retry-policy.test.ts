import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { DeckhandError } from '../../src/errors.ts';
import {
  DEFAULT_RETRY_POLICY, backoffMs, classifyKubeFailure, failureCode, parseRetryAfter, withRetry, type RetryPolicy,
} from '../../src/kube/retry-policy.ts';

function api(code: number, headers: Record<string, string> = {}): ApiException<unknown> {
  return new ApiException(code, 'x', {}, headers);
}

/** A policy whose sleeps are recorded instead of waited, and whose jitter is fixed. */
function fakePolicy(over: Partial<RetryPolicy> = {}): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return { ...DEFAULT_RETRY_POLICY, random: () => 0.5, sleep: async (ms) => { slept.push(ms); }, ...over, slept };
}

function failing(errors: unknown[], value = 'ok'): { op: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    op: async () => { const e = errors[n++]; if (e !== undefined) throw e; return value; },
    calls: () => n,
  };
}

describe('classifyKubeFailure', () => {
  it.each([
    [api(500), 'transient'], [api(502), 'transient'], [api(503), 'transient'], [api(504), 'transient'],
    [api(429), 'transient'], [api(409), 'conflict'],
    [api(404), 'fatal'], [api(403), 'fatal'], [api(422), 'fatal'], [api(400), 'fatal'],
    [new DOMException('timed out', 'TimeoutError'), 'transient'],
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), 'transient'],
    [Object.assign(new Error('socket'), { code: 'ECONNREFUSED' }), 'transient'],
    [new DeckhandError('kube_not_found', 'gone'), 'fatal'],
    [new RangeError('a bug'), 'fatal'],
  ])('%s is %s', (err, kind) => {
    expect(classifyKubeFailure(err).kind).toBe(kind);
  });

  it('reads Retry-After of a 429 as delay-seconds or an HTTP date', () => {
    expect(classifyKubeFailure(api(429, { 'retry-after': '3' }))).toEqual({ kind: 'transient', retryAfterMs: 3000 });
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('is full jitter under an exponential cap bounded by maxMs', () => {
    const p = { baseMs: 100, maxMs: 1000 };
    expect(backoffMs(0, { ...p, random: () => 0.999 })).toBe(99);
    expect(backoffMs(3, { ...p, random: () => 0.999 })).toBe(799);
    expect(backoffMs(10, { ...p, random: () => 0.999 })).toBe(999);
    expect(backoffMs(10, { ...p, random: () => 0 })).toBe(0);
  });
});

describe('withRetry', () => {
  it('retries transient failures with growing jittered backoff until the call succeeds', async () => {
    const policy = fakePolicy({ baseMs: 100 });
    const f = failing([api(503), api(500), new DOMException('t', 'TimeoutError')]);

    await expect(withRetry(f.op, policy)).resolves.toBe('ok');

    expect(f.calls()).toBe(4);
    expect(policy.slept).toEqual([50, 100, 200]);
  });

  it('waits what Retry-After says, cut to maxRetryAfterMs', async () => {
    const policy = fakePolicy({ maxRetryAfterMs: 5000 });
    const f = failing([api(429, { 'retry-after': '2' }), api(429, { 'retry-after': '3600' })]);

    await withRetry(f.op, policy);

    expect(policy.slept).toEqual([2000, 5000]);
  });

  it('gives up after the bounded number of attempts and throws the last error as it came', async () => {
    const policy = fakePolicy({ attempts: 3 });
    const last = api(502);
    const f = failing([api(500), api(503), last, api(500)]);

    await expect(withRetry(f.op, policy)).rejects.toBe(last);
    expect(f.calls()).toBe(3);
  });

  it('does not retry a fatal failure', async () => {
    const policy = fakePolicy();
    const f = failing([api(404)]);

    await expect(withRetry(f.op, policy)).rejects.toMatchObject({ code: 404 });
    expect(f.calls()).toBe(1);
    expect(policy.slept).toEqual([]);
  });

  it('retries a 409 only for a read-modify-write that asks for it (the op re-reads)', async () => {
    const plain = failing([api(409)]);
    await expect(withRetry(plain.op, fakePolicy())).rejects.toMatchObject({ code: 409 });
    expect(plain.calls()).toBe(1);

    const rmw = failing([api(409), api(409)]);
    await expect(withRetry(rmw.op, fakePolicy(), { retryConflict: true })).resolves.toBe('ok');
    expect(rmw.calls()).toBe(3);
  });

  it('tells onRetry about each retry', async () => {
    const seen: string[] = [];
    const f = failing([api(500), api(429, { 'retry-after': '1' })]);

    await withRetry(f.op, fakePolicy(), { onRetry: (failure, attempt, delay) => seen.push(`${attempt}:${failure.kind}:${delay}`) });

    expect(seen).toEqual(['1:transient:100', '2:transient:1000']);
  });
});

describe('failureCode', () => {
  it.each([
    [api(503), 'http_503'], [api(429), 'http_429'], [new DOMException('t', 'TimeoutError'), 'timeout'],
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), 'network'], [new RangeError('bug'), 'other'],
  ])('%s → %s', (err, code) => {
    expect(failureCode(err)).toBe(code);
  });
});
