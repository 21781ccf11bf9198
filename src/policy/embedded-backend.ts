import { DeckhandError } from '../errors.ts';
import { compileModules, fromJSON, RegoError, toJSON, type CompiledPolicy, type Value } from '@deckhand/rego';
import { Decision, type PolicyInput } from './schema.ts';
import type { PolicyBundle } from './read-policy-dir.ts';
import { rulePath, type PolicyBackend, type PolicyRule } from './types.ts';

/**
 * Decisions from Deckhand's own Rego engine: the policy files are compiled once, evaluated per request. `data` is the
 * bundle's data the policy was compiled against, for callers that evaluate other paths (the Data API server).
 */
export function createEmbeddedBackend(bundle: PolicyBundle): PolicyBackend & { policy: CompiledPolicy; data: Value } {
  const data: Value = fromJSON(bundle.data);
  // As OPA: a rule defined where the bundle's data already holds a value is a compile error, not a silent shadow.
  const policy = compileModules(bundle.modules, { baseData: data });
  return {
    id: 'embedded',
    policy,
    data,
    async decide(input: PolicyInput, rule: PolicyRule) {
      const path = rulePath(rule);
      let result: Value | undefined;
      try {
        result = policy.evalPath(path, { input: fromJSON(input), data });
      } catch (err) {
        // A policy that conflicts with itself (eval_conflict_error) refuses rather than guesses.
        throw new DeckhandError('policy_error', `The policy failed to evaluate data.${path.replaceAll('/', '.')}: ${err instanceof RegoError ? err.detail : 'evaluation error'}; refusing (fail closed).`, { cause: err });
      }
      if (result === undefined) {
        throw new DeckhandError('policy_error', `The policy has no data.${path.replaceAll('/', '.')} for "${input.action}"; refusing (fail closed).`);
      }
      const parsed = Decision.safeParse(toJSON(result));
      if (!parsed.success) {
        throw new DeckhandError('policy_error', `data.${path.replaceAll('/', '.')} does not follow the decision contract: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
      }
      return parsed.data;
    },
  };
}
