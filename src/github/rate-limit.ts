/** Response headers as Octokit hands them over (lower-case names). */
export type Headers = Readonly<Record<string, string | number | undefined>>;

/** When GitHub gives no hint, wait this long rather than retry at once (GitHub's own advice: at least a minute). */
const DEFAULT_WAIT_MS = 60_000;

/**
 * How long GitHub asked us to wait, or undefined when the answer is not a rate limit. GitHub signals both the
 * primary limit (403/429 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` in epoch seconds) and secondary
 * limits (403/429 with `retry-after` in seconds, or neither header: then wait at least a minute).
 */
export function rateLimitWaitMs(status: number, headers: Headers, now: number, message = ''): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(String(retryAfter));
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(1000, reset * 1000 - now);
    return DEFAULT_WAIT_MS;
  }
  // 429 is always a limit; a 403 only when GitHub says so (otherwise it is a permissions problem).
  if (status === 429 || /rate limit/i.test(message)) return DEFAULT_WAIT_MS;
  return undefined;
}
