import { DeckhandError } from '../errors.ts';
import { decisionPath } from './decision-path.ts';
import { Decision, type PolicyInput } from './schema.ts';
import type { PolicyBackend } from './types.ts';

/**
 * Decisions from an OPA server (or `deckhand policy serve`) over OPA's Data API. Fails closed: an unreachable,
 * slow or malformed answer refuses the request with a message saying so.
 */
export function createOpaHttpBackend(baseUrl: string, timeoutMs = 2000): PolicyBackend {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    id: 'opa-http',
    async decide(input: PolicyInput) {
      const path = decisionPath(input.action);
      let body: unknown;
      try {
        const res = await fetch(`${base}/v1/data/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        body = await res.json();
      } catch (err) {
        throw new DeckhandError('policy_backend_unavailable', `The policy server did not answer (${(err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message}); nothing was done. Try again, or ask the platform team to check the policy server.`, { cause: err });
      }
      const result = (body as { result?: unknown }).result;
      if (result === undefined) {
        throw new DeckhandError('policy_error', `The policy server has no data.${path.replaceAll('/', '.')}; refusing (fail closed).`);
      }
      const parsed = Decision.safeParse(result);
      if (!parsed.success) throw new DeckhandError('policy_error', `The policy server's decision does not follow the contract; refusing.`);
      return parsed.data;
    },
  };
}
