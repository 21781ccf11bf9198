import { DeckhandError } from '../errors.ts';
import { rateLimitWaitMs, type Headers } from './rate-limit.ts';

/** The fields of Octokit's RequestError we read; duck-typed so nothing outside this folder sees the class. */
interface OctokitFailure {
  status: number;
  message: string;
  response?: { headers: Headers; data?: unknown };
}

function isOctokitFailure(err: unknown): err is OctokitFailure {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/**
 * One process-wide pause per GitHub host: once GitHub says "wait", every call fails fast with
 * `github_rate_limited` until the time is up, so nothing keeps hammering it meanwhile.
 */
export class RateLimitGate {
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
  return new DeckhandError('github_rate_limited', `GitHub asked Deckhand to slow down (${what}); trying again in ${Math.ceil(waitMs / 1000)} s.`, { retryAfterMs: waitMs });
}

/** A 304 is not a failure for a conditional read; callers that sent If-None-Match ask for it this way. */
export function isNotModified(err: unknown): boolean {
  return isOctokitFailure(err) && err.status === 304;
}

/**
 * Runs one Octokit request, turning its failures into coded errors: rate limits (which also close the gate),
 * 404 as `github_not_found`, anything else as `github_api_error`. 304 is passed through for conditional reads.
 */
export async function callGitHub<T>(gate: RateLimitGate, what: string, request: () => Promise<T>): Promise<T> {
  gate.check(what);
  try {
    return await request();
  } catch (err) {
    if (isNotModified(err)) throw err;
    if (!isOctokitFailure(err)) {
      throw new DeckhandError('github_api_error', `Deckhand could not reach GitHub (${what}).`, { cause: err });
    }
    const wait = rateLimitWaitMs(err.status, err.response?.headers ?? {}, gate.now, err.message);
    if (wait !== undefined) {
      gate.block(wait);
      throw limited(what, wait);
    }
    if (err.status === 404) throw new DeckhandError('github_not_found', `GitHub found nothing for ${what}.`, { cause: err });
    const hint = err.status === 401 || err.status === 403 ? ' Check GITHUB_TOKEN and its permissions.' : '';
    throw new DeckhandError('github_api_error', `GitHub answered ${err.status} for ${what}.${hint}`, { cause: err });
  }
}
