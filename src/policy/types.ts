import type { Decision, PolicyInput } from './schema.ts';

/** Where decisions come from: the embedded Rego engine, or an OPA server over its Data API. */
export interface PolicyBackend {
  readonly id: 'embedded' | 'opa-http';
  decide(input: PolicyInput): Promise<Decision>;
}
