import type { Decision, PolicyInput } from './schema.ts';

/**
 * Which rule answers: `data.deckhand.<package>.<rule>`. Deckhand's caller names it (the command registry says, per
 * verb), so no backend guesses a package from the action's name.
 */
export interface PolicyRule {
  package: string;
  rule: string;
}

/** The Data API path of a rule, e.g. `deckhand/deploy/decision`. */
export function rulePath(rule: PolicyRule): string {
  return `deckhand/${rule.package}/${rule.rule}`;
}

/** Where decisions come from: the embedded Rego engine, or an OPA server over its Data API. */
export interface PolicyBackend {
  readonly id: 'embedded' | 'opa-http';
  decide(input: PolicyInput, rule: PolicyRule): Promise<Decision>;
}
