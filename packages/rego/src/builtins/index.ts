/**
 * The one registry of Rego builtins, built explicitly here from each family's list (no import side effects).
 */
import type { Builtin } from './types.ts';
import { aggregateBuiltins } from './aggregates.ts';
import { arithmeticBuiltins } from './arithmetic.ts';
import { arrayBuiltins } from './arrays.ts';
import { bitsBuiltins } from './bits.ts';
import { castBuiltins } from './casts.ts';
import { comparisonBuiltins } from './comparison.ts';
import { cryptoBuiltins } from './crypto.ts';
import { encodingBuiltins } from './encoding.ts';
import { globBuiltins } from './glob.ts';
import { graphBuiltins } from './graph.ts';
import { jsonPathBuiltins } from './json-paths.ts';
import { jsonSchemaBuiltins } from './json-schema.ts';
import { netBuiltins } from './net.ts';
import { numberBuiltins } from './numbers.ts';
import { objectBuiltins } from './objects.ts';
import { randomBuiltins } from './random.ts';
import { regexBuiltins } from './regex.ts';
import { runtimeBuiltins } from './runtime.ts';
import { semverBuiltins } from './semver.ts';
import { setBuiltins } from './sets.ts';
import { stringBuiltins } from './strings.ts';
import { timeBuiltins } from './time.ts';
import { typeCheckBuiltins } from './type-checks.ts';
import { unitBuiltins } from './units.ts';
import { urlHexBuiltins } from './url-hex.ts';
import { uuidBuiltins } from './uuid.ts';

const FAMILIES: readonly (readonly Builtin[])[] = [
  aggregateBuiltins, arithmeticBuiltins, arrayBuiltins, bitsBuiltins, castBuiltins, comparisonBuiltins,
  cryptoBuiltins, encodingBuiltins, globBuiltins, graphBuiltins, jsonPathBuiltins, netBuiltins, numberBuiltins,
  objectBuiltins, randomBuiltins, regexBuiltins, runtimeBuiltins, semverBuiltins, setBuiltins, stringBuiltins,
  timeBuiltins, typeCheckBuiltins, unitBuiltins, urlHexBuiltins,
  uuidBuiltins, jsonSchemaBuiltins,
];

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
