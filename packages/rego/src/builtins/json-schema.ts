/**
 * json.verify_schema and json.match_schema: v1/topdown/jsonschema.go over OPA's vendored gojsonschema.
 * A schema or document is an object (or array) or a string of JSON text. Compiled schemas are kept in a small
 * cache keyed by the schema value, as OPA keeps them in its inter-query cache.
 */
import { RObject, keyOf } from '../value.ts';
import type { Value } from '../value.ts';
import { parseJSON } from './encoding.ts';
import { SchemaError, compileSchema } from './json-schema-compile.ts';
import type { SubSchema } from './json-schema-compile.ts';
import { validateDocument } from './json-schema-validate.ts';
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

class LoadError extends Error {}

function load(v: Value): Value {
  if (typeof v === 'string') {
    try {
      return parseJSON(v);
    } catch {
      throw new LoadError('invalid JSON string');
    }
  }
  if (v instanceof RObject || Array.isArray(v)) return v;
  throw new LoadError('wrong type, expected string or object');
}

const CACHE_LIMIT = 64;
const compiled = new Map<string, SubSchema>();

function schemaFor(v: Value): SubSchema {
  const key = keyOf(v);
  const hit = compiled.get(key);
  if (hit) return hit;
  const schema = compileSchema(load(v));
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, schema);
  return schema;
}

function messageOf(e: unknown): string {
  if (e instanceof SchemaError || e instanceof LoadError) return e.message;
  throw e;
}

export const jsonSchemaBuiltins: readonly Builtin[] = [
  define('json.verify_schema', 1, (a) => {
    try {
      schemaFor(a.at(1));
      return [true, null];
    } catch (e) {
      return [false, `jsonschema: ${messageOf(e)}`];
    }
  }),
  define('json.match_schema', 2, (a) => {
    let doc: Value, schema: SubSchema;
    try {
      doc = load(a.at(1));
      schema = schemaFor(a.at(2));
    } catch (e) {
      throw a.fail(messageOf(e));
    }
    const violations = validateDocument(schema, doc);
    return [violations.length === 0, violations.map((x) => new RObject([
      ['error', `${x.field}: ${x.description}`], ['type', x.type], ['field', x.field], ['desc', x.description],
    ]))];
  }),
];
