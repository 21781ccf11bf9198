/**
 * opa.runtime: OPA returns the runtime's description (config, env, version) when a runtime is configured and
 * an empty object otherwise. The embedded engine has no OPA runtime, so it is always the empty object.
 */
import { RObject } from '../value.ts';
import type { Builtin } from './types.ts';

export const runtimeBuiltins: readonly Builtin[] = [
  { name: 'opa.runtime', arity: 0, impl: () => new RObject() },
];
