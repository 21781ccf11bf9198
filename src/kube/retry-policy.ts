import { ApiException } from '@kubernetes/client-node';
import { DeckhandError } from '../errors.ts';

/**
 * How a failed Kubernetes API call is treated:
 * - `transient`: the server or the network had a bad moment (500/502/503/504, 429, reset, timeout) — try again later;
 * - `conflict`: 409 — the object changed under us; only a read-modify-write may retry, by reading again;
 * - `fatal`: anything else (404, 403, 422, our own errors) — retrying cannot help.
 */
export type KubeFailure =
  | { kind: 'transient'; retryAfterMs?: number }
  | { kind: 'conflict' }
  | { kind: 'fatal' };

export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). */
  attempts: number;
  /** Backoff cap of the first retry; doubles each time (default 200 ms). */
  baseMs: number;
  /** Upper bound of one backoff (default 5 s). */
  maxMs: number;
  /** A Retry-After longer than this is cut to it (default 10 s), so one answer cannot park a step for an hour. */
  maxRetryAfterMs: number;
  /** Time limit of one request; a request past it is abandoned and counts as transient (default 10 s). */
  requestTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6, baseMs: 200, maxMs: 5000, maxRetryAfterMs: 10_000, requestTimeoutMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function codeOf(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function classifyKubeFailure(err: unknown): KubeFailure {
  if (err instanceof DeckhandError) return { kind: 'fatal' };
  if (err instanceof ApiException) {
    const status = Number(err.code);
    if (status === 429) {
      const headers = (err.headers ?? {}) as Record<string, string | undefined>;
      return { kind: 'transient', retryAfterMs: parseRetryAfter(headers['retry-after'] ?? headers['Retry-After']) };
    }
    if (status === 409) return { kind: 'conflict' };
    return TRANSIENT_STATUS.has(status) ? { kind: 'transient' } : { kind: 'fatal' };
  }
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { kind: 'transient' };
    const cause = (err as { cause?: unknown }).cause;
    const code = codeOf(err) ?? codeOf(cause);
    if (code && NETWORK_CODES.has(code)) return { kind: 'transient' };
    // undici reports every network failure as TypeError('fetch failed') with the reason in `cause`.
    if (err instanceof TypeError && err.message === 'fetch failed') return { kind: 'transient' };
  }
  return { kind: 'fatal' };
}

/** A short label of a failed call for metrics and logs: `http_503`, `timeout`, `network`, `other`. */
export function failureCode(err: unknown): string {
  if (err instanceof ApiException) return `http_${String(err.code)}`;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timeout';
  return classifyKubeFailure(err).kind === 'transient' ? 'network' : 'other';
}

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(max, base·2^retry)). */
export function backoffMs(retry: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>): number {
  return Math.floor(policy.random() * Math.min(policy.maxMs, policy.baseMs * 2 ** retry));
}

export interface RetryOptions {
  /** A 409 re-runs `op` from the start (it must re-read what it modifies); otherwise a 409 is final. */
  retryConflict?: boolean;
  /** Told about each retry (metrics, logs). */
  onRetry?: (failure: KubeFailure, attempt: number, delayMs: number, err: unknown) => void;
}

/**
 * Runs `op` until it succeeds, fails for good, or the attempts run out; the last error is thrown as it came.
 * Contract for callers: `op` is safe to run again — a read, an idempotent patch, or a read-modify-write.
 */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, policy: RetryPolicy, options: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      const failure = classifyKubeFailure(err);
      const retryable = failure.kind === 'transient' || (failure.kind === 'conflict' && options.retryConflict === true);
      if (!retryable || attempt >= policy.attempts) throw err;
      const retryAfter = failure.kind === 'transient' ? failure.retryAfterMs : undefined;
      // Conflicts re-read at once, after a short jitter so two writers do not collide again in lockstep.
      const delay = retryAfter !== undefined
        ? Math.min(retryAfter, policy.maxRetryAfterMs)
        : backoffMs(failure.kind === 'conflict' ? 0 : attempt - 1, policy);
      options.onRetry?.(failure, attempt, delay, err);
      await policy.sleep(delay);
    }
  }
}
