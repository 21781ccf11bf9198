/**
 * The one registry of Rego builtins, built explicitly here from each family's list (no import side effects).
 */
import type { Builtin } from './types.ts';

const FAMILIES: readonly (readonly Builtin[])[] = [];

export function createBuiltinRegistry(): Map<string, Builtin> {
  const registry = new Map<string, Builtin>();
  for (const family of FAMILIES) {
    for (const b of family) {
      if (registry.has(b.name)) throw new Error(`duplicate builtin ${b.name}`);
      registry.set(b.name, b);
    }
  }
  return registry;
}

export type { Builtin, BuiltinContext } from './types.ts';
export { BuiltinError } from './types.ts';
