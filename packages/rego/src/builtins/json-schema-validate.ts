/**
 * Validates a document against a compiled schema the way gojsonschema (OPA's vendored copy) does: the same
 * order of checks, the same error types and English messages, and its "score" for choosing which failed
 * `anyOf` / `oneOf` / `contains` branch's errors to report. Where Go iterates a map (object keys, pattern
 * properties, dependencies) its order is random; here it is sorted, so results are stable.
 */
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { canonicalJSON, objectEntries } from './json-schema-json.ts';
import { checkFormat } from './json-schema-formats.ts';
import { cmpRat, isIntegerRat, isMultiple, ratOf } from './json-schema-rat.ts';
import type { Rat } from './json-schema-rat.ts';
import type { SubSchema } from './json-schema-compile.ts';
import { formatNumber } from './rego-text.ts';

export interface SchemaViolation {
  readonly type: string;
  /** The JSON path of the value, dotted, without the `(root).` prefix (`(root)` for the document itself). */
  readonly field: string;
  readonly description: string;
}

const ROOT = '(root)';

class Result {
  readonly errors: SchemaViolation[] = [];
  score = 0;
  get valid(): boolean { return this.errors.length === 0; }
  add(type: string, context: string[], describe: (field: string) => string): void {
    const field = context.length === 1 ? ROOT : context.slice(1).join('.');
    this.errors.push({ type, field, description: describe(field) });
    this.score -= 2;
  }
  merge(other: Result | undefined): void {
    if (!other) return;
    this.errors.push(...other.errors);
    this.score += other.score;
  }
}

function ratText(r: Rat): string {
  if (r.den === 1n) return r.num.toString();
  return formatNumber(Number(r.num) / Number(r.den));
}

function isNum(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

function typeName(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (isNum(v)) return isIntegerRat(ratOf(v)) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v) || v instanceof RSet) return 'array';
  return 'object';
}

function typesText(types: string[]): string {
  return types.length > 1 ? `[${types.join(',')}]` : types[0] ?? 'undefined';
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function typeMatches(s: SubSchema, v: Value): boolean {
  if (s.types.length === 0) return true;
  const t = typeName(v);
  return s.types.includes(t) || (t === 'integer' && s.types.includes('number'));
}

function validate(s: SubSchema, v: Value, context: string[]): Result {
  const r = new Result();
  recurse(s, v, r, context);
  return r;
}

function recurse(s: SubSchema, v: Value, r: Result, context: string[]): void {
  if (s.pass !== undefined) {
    if (!s.pass) r.add('false', context, () => 'False always fails validation');
    return;
  }
  if (s.refSchema) { recurse(s.refSchema, v, r, context); return; }
  if (!typeMatches(s, v)) {
    const given = typeName(v);
    r.add('invalid_type', context, () => `Invalid type. Expected: ${typesText(s.types)}, given: ${given}`);
    return;
  }
  combinators(s, v, r, context);
  if (isNum(v)) {
    numberChecks(s, v, r, context);
  } else if (Array.isArray(v) || v instanceof RSet) {
    arrayChecks(s, Array.isArray(v) ? v : v.sorted(), r, context);
  } else if (v instanceof RObject) {
    objectChecks(s, v, r, context);
  }
  common(s, v, r, context);
  if (typeof v === 'string') stringChecks(s, v, r, context);
  if (v instanceof RObject) {
    for (const p of s.properties) {
      const x = v.get(p.name);
      if (x !== undefined) recurse(p.schema, x, r, [...context, p.name]);
    }
  }
  r.score++;
}

function combinators(s: SubSchema, v: Value, r: Result, context: string[]): void {
  if (s.anyOf.length > 0) {
    let best: Result | undefined;
    let ok = false;
    for (const sub of s.anyOf) {
      const res = validate(sub, v, context);
      if (res.valid) { ok = true; break; }
      if (!best || res.score > best.score) best = res;
    }
    if (!ok) {
      r.add('number_any_of', context, () => 'Must validate at least one schema (anyOf)');
      r.merge(best);
    }
  }
  if (s.oneOf.length > 0) {
    let passed = 0;
    let best: Result | undefined;
    for (const sub of s.oneOf) {
      const res = validate(sub, v, context);
      if (res.valid) passed++;
      else if (passed === 0 && (!best || res.score > best.score)) best = res;
    }
    if (passed !== 1) {
      r.add('number_one_of', context, () => 'Must validate one and only one schema (oneOf)');
      if (passed === 0) r.merge(best);
    }
  }
  if (s.allOf.length > 0) {
    let passed = 0;
    for (const sub of s.allOf) {
      const res = validate(sub, v, context);
      if (res.valid) passed++;
      r.merge(res);
    }
    if (passed !== s.allOf.length) r.add('number_all_of', context, () => 'Must validate all the schemas (allOf)');
  }
  if (s.not && validate(s.not, v, context).valid) {
    r.add('number_not', context, () => 'Must not validate the schema (not)');
  }
  if (s.dependencies.length > 0 && v instanceof RObject) {
    for (const d of s.dependencies) {
      if (!v.has(d.key)) continue;
      if (Array.isArray(d.deps)) {
        for (const dep of d.deps) {
          if (!v.has(dep)) r.add('missing_dependency', context, () => `Has a dependency on ${dep}`);
        }
      } else {
        recurse(d.deps, v, r, context);
      }
    }
  }
  if (s.if) {
    const cond = validate(s.if, v, context).valid;
    const branch = cond ? s.then : s.else;
    if (branch) {
      const res = validate(branch, v, context);
      if (!res.valid) {
        if (cond) r.add('condition_then', context, () => 'Must validate "then" as "if" was valid');
        else r.add('condition_else', context, () => 'Must validate "else" as "if" was not valid');
        r.merge(res);
      }
    }
  }
  r.score++;
}

function common(s: SubSchema, v: Value, r: Result, context: string[]): void {
  if (s.constValue !== undefined) {
    const allowed = s.constValue;
    if (canonicalJSON(v) !== allowed) r.add('const', context, (field) => `${field} does not match: ${allowed}`);
  }
  if (s.enum !== undefined && !s.enum.includes(canonicalJSON(v))) {
    const allowed = s.enum.join(', ');
    r.add('enum', context, (field) => `${field} must be one of the following: ${allowed}`);
  }
  r.score++;
}

function numberChecks(s: SubSchema, v: number | bigint, r: Result, context: string[]): void {
  const x = ratOf(v);
  if (s.multipleOf && !isMultiple(x, s.multipleOf)) {
    const m = ratText(s.multipleOf);
    r.add('multiple_of', context, () => `Must be a multiple of ${m}`);
  }
  if (s.maximum && cmpRat(x, s.maximum) > 0) {
    const m = ratText(s.maximum);
    r.add('number_lte', context, () => `Must be less than or equal to ${m}`);
  }
  if (s.exclusiveMaximum && cmpRat(x, s.exclusiveMaximum) >= 0) {
    const m = ratText(s.exclusiveMaximum);
    r.add('number_lt', context, () => `Must be less than ${m}`);
  }
  if (s.minimum && cmpRat(x, s.minimum) < 0) {
    const m = ratText(s.minimum);
    r.add('number_gte', context, () => `Must be greater than or equal to ${m}`);
  }
  if (s.exclusiveMinimum && cmpRat(x, s.exclusiveMinimum) <= 0) {
    const m = ratText(s.exclusiveMinimum);
    r.add('number_gt', context, () => `Must be greater than ${m}`);
  }
  r.score++;
}

function stringChecks(s: SubSchema, v: string, r: Result, context: string[]): void {
  const n = s.minLength !== undefined || s.maxLength !== undefined ? runeCount(v) : 0;
  if (s.minLength !== undefined && n < s.minLength) {
    const min = s.minLength;
    r.add('string_gte', context, () => `String length must be greater than or equal to ${min}`);
  }
  if (s.maxLength !== undefined && n > s.maxLength) {
    const max = s.maxLength;
    r.add('string_lte', context, () => `String length must be less than or equal to ${max}`);
  }
  if (s.pattern !== undefined && !compileGoRegexp(s.pattern).test(v)) {
    const pattern = s.pattern;
    r.add('pattern', context, () => `Does not match pattern '${pattern}'`);
  }
  if (s.format !== undefined && !checkFormat(s.format, v)) {
    const format = s.format;
    r.add('format', context, () => `Does not match format '${format}'`);
  }
  r.score++;
}

function arrayChecks(s: SubSchema, items: Value[], r: Result, context: string[]): void {
  if (s.items && !Array.isArray(s.items)) {
    const each = s.items;
    items.forEach((x, i) => r.merge(validate(each, x, [...context, String(i)])));
  } else if (s.items && s.items.length > 0) {
    const positional = s.items;
    for (let i = 0; i < positional.length && i < items.length; i++) r.merge(validate(positional[i]!, items[i]!, [...context, String(i)]));
    if (positional.length < items.length) {
      if (s.additionalItems === false) {
        r.add('array_no_additional_items', context, () => 'No additional items allowed on array');
      } else if (s.additionalItems && s.additionalItems !== true) {
        const extra = s.additionalItems;
        for (let i = positional.length; i < items.length; i++) r.merge(validate(extra, items[i]!, [...context, String(i)]));
      }
    }
  }
  if (s.minItems !== undefined && items.length < s.minItems) {
    const min = s.minItems;
    r.add('array_min_items', context, () => `Array must have at least ${min} items`);
  }
  if (s.maxItems !== undefined && items.length > s.maxItems) {
    const max = s.maxItems;
    r.add('array_max_items', context, () => `Array must have at most ${max} items`);
  }
  if (s.uniqueItems) {
    const seen = new Map<string, number>();
    items.forEach((x, j) => {
      const key = canonicalJSON(x);
      const i = seen.get(key);
      if (i !== undefined) r.add('unique', context, () => `array items[${i},${j}] must be unique`);
      seen.set(key, j);
    });
  }
  if (s.contains) {
    let best: Result | undefined;
    let ok = false;
    for (const [i, x] of items.entries()) {
      const res = validate(s.contains, x, [...context, String(i)]);
      if (res.valid) { ok = true; break; }
      if (!best || res.score > best.score) best = res;
    }
    if (!ok) {
      r.add('contains', context, () => 'At least one of the items must match');
      r.merge(best);
    }
  }
  r.score++;
}

function objectChecks(s: SubSchema, o: RObject, r: Result, context: string[]): void {
  const entries = objectEntries(o);
  if (s.minProperties !== undefined && entries.length < s.minProperties) {
    const min = s.minProperties;
    r.add('array_min_properties', context, () => `Must have at least ${min} properties`);
  }
  if (s.maxProperties !== undefined && entries.length > s.maxProperties) {
    const max = s.maxProperties;
    r.add('array_max_properties', context, () => `Must have at most ${max} properties`);
  }
  for (const req of s.required) {
    if (o.has(req)) r.score++;
    else r.add('required', context, () => `${req} is required`);
  }
  for (const [k, x] of entries) {
    const described = s.properties.some((p) => p.name === k);
    let patterned = false;
    for (const pp of s.patternProperties) {
      if (compileGoRegexp(pp.pattern).test(k)) {
        patterned = true;
        r.merge(validate(pp.schema, x, [...context, k]));
      }
    }
    if (patterned) r.score++;
    if (described || patterned) continue;
    if (s.additionalProperties === false) {
      r.add('additional_property_not_allowed', context, () => `Additional property ${k} is not allowed`);
    } else if (s.additionalProperties && s.additionalProperties !== true) {
      r.merge(validate(s.additionalProperties, x, [...context, k]));
    }
  }
  if (s.propertyNames) {
    for (const [k] of entries) {
      const res = validate(s.propertyNames, k, context);
      if (!res.valid) {
        r.add('invalid_property_name', context, () => `Property name of "${k}" does not match`);
        r.merge(res);
      }
    }
  }
  r.score++;
}

/** All violations of `doc` against `schema`, in gojsonschema's order. */
export function validateDocument(schema: SubSchema, doc: Value): SchemaViolation[] {
  return validate(schema, doc, [ROOT]).errors;
}
