import { DeckhandError } from '../errors.ts';
import { GitLabResponseError } from './single-shot-requester.ts';

/** When GitLab gives no hint, wait this long rather than retry at once. */
const DEFAULT_WAIT_MS = 60_000;

/**
 * How long GitLab asked us to wait, or undefined when the answer is not a rate limit. GitLab answers 429 with
 * `Retry-After` (seconds) and `RateLimit-Reset` (epoch seconds).
 */
export function gitLabWaitMs(status: number, headers: Readonly<Record<string, string>>, now: number): number | undefined {
  if (status !== 429) return undefined;
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && headers['retry-after'] !== undefined) return Math.max(0, retryAfter * 1000);
  const reset = Number(headers['ratelimit-reset']);
  if (Number.isFinite(reset) && headers['ratelimit-reset'] !== undefined) return Math.max(1000, reset * 1000 - now);
  return DEFAULT_WAIT_MS;
}

/** One process-wide pause per GitLab instance: once it says "wait", calls fail fast until the time is up. */
export class GitLabGate {
  #blockedUntil = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  check(what: string): void {
    const left = this.#blockedUntil - this.#now();
    if (left > 0) throw limited(what, left);
  }

  block(ms: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, this.#now() + ms);
  }

  get now(): number {
    return this.#now();
  }
}

function limited(what: string, waitMs: number): DeckhandError {
  return new DeckhandError('gitlab_rate_limited', `GitLab asked Deckhand to slow down (${what}); trying again in ${Math.ceil(waitMs / 1000)} s.`, { retryAfterMs: waitMs });
}

/**
 * Runs one gitbeaker request, turning its failures into coded errors: a 429 as `gitlab_rate_limited` (which also
 * closes the gate), 404 as `gitlab_not_found`, anything else as `gitlab_api_error`. Messages never carry the token.
 */
export async function callGitLab<T>(gate: GitLabGate, what: string, request: () => Promise<T>): Promise<T> {
  gate.check(what);
  try {
    return await request();
  } catch (err) {
    if (!(err instanceof GitLabResponseError)) {
      throw new DeckhandError('gitlab_api_error', `Deckhand could not reach GitLab (${what}).`, { cause: err });
    }
    const wait = gitLabWaitMs(err.status, err.headers, gate.now);
    if (wait !== undefined) {
      gate.block(wait);
      throw limited(what, wait);
    }
    if (err.status === 404) throw new DeckhandError('gitlab_not_found', `GitLab found nothing for ${what}.`, { cause: err });
    const hint = err.status === 401 || err.status === 403 ? ' Check GITLAB_TOKEN and its scopes (api).' : '';
    throw new DeckhandError('gitlab_api_error', `GitLab answered ${err.status} for ${what}.${hint}`, { cause: err });
  }
}
