import { isDeckhandError } from '../errors.ts';
import type { Decision, PolicyInput } from './schema.ts';
import type { PolicyBackend, PolicyRule } from './types.ts';

export interface RetryOptions {
  /** Tries in all, the first included (default 2). */
  attempts?: number;
  /** Pause between two tries (default 200 ms). */
  delayMs?: number;
}

/**
 * Asks `backend` for a decision, asking again (a bounded number of times) only when the backend was unavailable:
 * a policy error or a malformed answer will not improve by asking twice. The last error is rethrown as it is, so
 * the caller still fails closed with the backend's own message. Worst case it takes
 * `attempts × backend timeout + (attempts − 1) × delayMs`.
 */
export async function decideWithRetry(backend: PolicyBackend, input: PolicyInput, rule: PolicyRule, options: RetryOptions = {}): Promise<Decision> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 2));
  const delayMs = Math.max(0, options.delayMs ?? 200);
  for (let attempt = 1; ; attempt++) {
    try {
      return await backend.decide(input, rule);
    } catch (err) {
      if (attempt >= attempts || !isDeckhandError(err, 'policy_backend_unavailable')) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
