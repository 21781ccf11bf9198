import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DeckhandError } from '../errors.ts';
import { compileModules, fromJSON, toJSON, type CompiledPolicy, type Value } from '@deckhand/rego';
import { Decision, type PolicyInput } from './schema.ts';
import { rulePath, type PolicyBackend, type PolicyRule } from './types.ts';

export interface PolicyBundle {
  modules: { path: string; source: string }[];
  data: unknown;
}

/** Reads every `*.rego` (tests excluded) and `data.json` of a policy directory. */
export async function readPolicyDir(dir: string, options: { includeTests?: boolean } = {}): Promise<PolicyBundle> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.rego') && (options.includeTests || !n.endsWith('_test.rego'))).sort();
  const modules = await Promise.all(names.map(async (n) => ({ path: join(dir, n), source: await readFile(join(dir, n), 'utf8') })));
  let data: unknown = {};
  try {
    data = JSON.parse(await readFile(join(dir, 'data.json'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DeckhandError('policy_error', `${join(dir, 'data.json')} is not valid JSON.`, { cause: err });
    }
  }
  return { modules, data };
}

/** Decisions from Deckhand's own Rego engine: the policy files are compiled once, evaluated per request. */
export function createEmbeddedBackend(bundle: PolicyBundle): PolicyBackend & { policy: CompiledPolicy } {
  const policy = compileModules(bundle.modules);
  const data: Value = fromJSON(bundle.data);
  return {
    id: 'embedded',
    policy,
    async decide(input: PolicyInput, rule: PolicyRule) {
      const path = rulePath(rule);
      let result: Value | undefined;
      try {
        result = policy.evalPath(path, { input: fromJSON(input), data });
      } catch (err) {
        // A policy that conflicts with itself (eval_conflict_error) refuses rather than guesses.
        throw new DeckhandError('policy_error', `The policy failed to evaluate data.${path.replaceAll('/', '.')}: ${(err as { detail?: string }).detail ?? 'evaluation error'}; refusing (fail closed).`, { cause: err });
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
