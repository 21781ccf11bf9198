/**
 * Compiles a JSON Schema (drafts 4, 6, 7, or gojsonschema's "hybrid" when `$schema` names none of them) into the
 * tree json-schema-validate.ts walks, rejecting malformed schemas with gojsonschema's messages (the ones OPA's
 * json.verify_schema and json.match_schema report).
 *
 * `$ref` resolves within the schema (`#`, `#/json/pointer`, `#anchor` ids). A reference to any other document
 * is refused: OPA only fetches what `allow_net` permits and never reads files, and the embedded engine never
 * reaches out at all.
 */
import { RObject } from '../value.ts';
import type { Value } from '../value.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { isIntegerRat, ratOf } from './json-schema-rat.ts';
import type { Rat } from './json-schema-rat.ts';
import { canonicalJSON } from './json-schema-json.ts';

export type Draft = 4 | 6 | 7 | 'hybrid';

export interface SubSchema {
  /** `true` / `false` schemas (draft 6+): nothing else is set. */
  pass?: boolean;
  ref?: string;
  refSchema?: SubSchema;
  types: string[];
  properties: { name: string; schema: SubSchema }[];
  patternProperties: { pattern: string; schema: SubSchema }[];
  additionalProperties?: boolean | SubSchema;
  propertyNames?: SubSchema;
  required: string[];
  minProperties?: number;
  maxProperties?: number;
  dependencies: { key: string; deps: string[] | SubSchema }[];
  items?: SubSchema | SubSchema[];
  additionalItems?: boolean | SubSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains?: SubSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  multipleOf?: Rat;
  minimum?: Rat;
  maximum?: Rat;
  exclusiveMinimum?: Rat;
  exclusiveMaximum?: Rat;
  /** Canonical JSON of each allowed value; `[]` (an empty enum) rejects everything, as OPA's fork does. */
  enum?: string[];
  constValue?: string;
  allOf: SubSchema[];
  anyOf: SubSchema[];
  oneOf: SubSchema[];
  not?: SubSchema;
  if?: SubSchema;
  then?: SubSchema;
  else?: SubSchema;
}

export class SchemaError extends Error {}

const VALID_TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];

const DRAFTS: [RegExp, Draft][] = [
  [/^https?:\/\/json-schema\.org\/draft-04\/schema#?$/, 4],
  [/^https?:\/\/json-schema\.org\/draft-06\/schema#?$/, 6],
  [/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/, 7],
];

function kind(v: Value | undefined): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function invalidType(expected: string, given: string): SchemaError {
  return new SchemaError(`Invalid type. Expected: ${expected}, given: ${given}`);
}

function emptySchema(): SubSchema {
  return {
    types: [], properties: [], patternProperties: [], required: [], dependencies: [], uniqueItems: false,
    allOf: [], anyOf: [], oneOf: [],
  };
}

class Compiler {
  private readonly root: RObject | boolean;
  private readonly draft: Draft;
  private readonly pending: SubSchema[] = [];
  /** Subschemas by JSON pointer from the root, and by `#anchor` id, for `$ref`. */
  private readonly byPointer = new Map<string, SubSchema>();
  private readonly anchors = new Map<string, Value>();

  constructor(root: RObject | boolean) {
    this.root = root;
    let draft: Draft = 'hybrid';
    if (root instanceof RObject) {
      const s = root.get('$schema');
      if (s !== undefined) {
        if (typeof s !== 'string') throw invalidType('string', '$schema');
        draft = DRAFTS.find(([re]) => re.test(s))?.[1] ?? 'hybrid';
      }
    }
    this.draft = draft;
  }

  compile(): SubSchema {
    if (this.root instanceof RObject) this.collectAnchors(this.root);
    const top = this.schema(this.root, '#');
    for (const s of this.pending) s.refSchema = this.resolve(s.ref!);
    return top;
  }

  private collectAnchors(v: Value): void {
    if (v instanceof RObject) {
      const id = v.get(this.draft === 4 ? 'id' : '$id') ?? v.get('$id') ?? v.get('id');
      if (typeof id === 'string' && id.startsWith('#') && id.length > 1) this.anchors.set(id, v);
      for (const [, x] of v.pairs()) this.collectAnchors(x);
    } else if (Array.isArray(v)) {
      for (const x of v) this.collectAnchors(x);
    }
  }

  private resolve(ref: string): SubSchema {
    if (ref === '#' || ref === '') return this.schemaAt('#', this.root);
    if (ref.startsWith('#/')) {
      let cur: Value | undefined = this.root;
      for (const raw of ref.slice(2).split('/')) {
        const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        if (cur instanceof RObject) cur = cur.get(seg);
        else if (Array.isArray(cur) && /^\d+$/.test(seg)) cur = cur[Number(seg)];
        else cur = undefined;
        if (cur === undefined) break;
      }
      if (cur === undefined) throw new SchemaError(`Object has no key '${ref.slice(2).split('/').pop()}'`);
      return this.schemaAt(ref, cur);
    }
    const anchored = this.anchors.get(ref);
    if (anchored !== undefined) return this.schemaAt(ref, anchored);
    throw new SchemaError(`References to other documents are not allowed: ${ref}`);
  }

  private schemaAt(pointer: string, v: Value): SubSchema {
    const hit = this.byPointer.get(pointer);
    if (hit) return hit;
    if (!(v instanceof RObject) && typeof v !== 'boolean') throw invalidType('object', pointer);
    return this.schema(v, pointer);
  }

  private child(v: Value | undefined, pointer: string, key: string): SubSchema {
    if (v instanceof RObject || (typeof v === 'boolean' && this.draft !== 4)) return this.schema(v, pointer);
    throw invalidType(this.draft === 4 ? 'object' : 'object/boolean', key);
  }

  private schema(v: RObject | boolean, pointer: string): SubSchema {
    const s = emptySchema();
    this.byPointer.set(pointer, s);
    if (typeof v === 'boolean') {
      if (this.draft === 4) throw invalidType('object', 'schema');
      s.pass = v;
      return s;
    }
    const get = (k: string): Value | undefined => v.get(k);
    const ref = get('$ref');
    if (typeof ref === 'string') {
      // Keywords beside $ref are ignored (drafts 4-7), and gojsonschema does not even parse them.
      s.ref = ref;
      this.pending.push(s);
      return s;
    }
    this.types(s, get('type'));
    this.objectKeywords(s, get, pointer);
    this.arrayKeywords(s, get, pointer);
    this.stringKeywords(s, get);
    this.numberKeywords(s, get);
    this.commonKeywords(s, get, pointer);
    return s;
  }

  private types(s: SubSchema, t: Value | undefined): void {
    if (t === undefined) return;
    const names = typeof t === 'string' ? [t] : Array.isArray(t) ? t : undefined;
    if (!names) throw invalidType('string/array of strings', 'type');
    for (const n of names) {
      if (typeof n !== 'string') throw invalidType('string', 'type');
      if (!VALID_TYPES.includes(n)) {
        throw new SchemaError(`has a primitive type that is NOT VALID -- given: /${n}/ Expected valid values are:[${VALID_TYPES.join(' ')}]`);
      }
      if (s.types.includes(n)) throw new SchemaError(`${n} type is duplicated`);
      s.types.push(n);
    }
  }

  private nonNegativeInt(v: Value | undefined, key: string): number | undefined {
    if (v === undefined) return undefined;
    if ((typeof v !== 'number' && typeof v !== 'bigint') || !isIntegerRat(ratOf(v))) throw invalidType('integer', key);
    const n = Number(v);
    if (n < 0) throw new SchemaError(`${key} must be greater than or equal to 0`);
    return n;
  }

  private objectKeywords(s: SubSchema, get: (k: string) => Value | undefined, pointer: string): void {
    const props = get('properties');
    if (props !== undefined) {
      if (!(props instanceof RObject)) throw invalidType('object', 'properties');
      for (const [k, x] of props.sortedEntries()) {
        if (typeof k !== 'string') continue;
        s.properties.push({ name: k, schema: this.child(x, `${pointer}/properties/${k}`, k) });
      }
    }
    const pp = get('patternProperties');
    if (pp !== undefined) {
      if (!(pp instanceof RObject)) throw invalidType('object', 'patternProperties');
      for (const [k, x] of pp.sortedEntries()) {
        if (typeof k !== 'string') continue;
        try { compileGoRegexp(k); } catch { throw new SchemaError(`Invalid regex pattern '${k}'`); }
        s.patternProperties.push({ pattern: k, schema: this.child(x, `${pointer}/patternProperties/${k}`, k) });
      }
    }
    const ap = get('additionalProperties');
    if (ap !== undefined) {
      if (typeof ap === 'boolean') s.additionalProperties = ap;
      else if (ap instanceof RObject) s.additionalProperties = this.schema(ap, `${pointer}/additionalProperties`);
      else throw invalidType('boolean/object', 'additionalProperties');
    }
    const pn = get('propertyNames');
    if (pn !== undefined && this.draft !== 4) s.propertyNames = this.child(pn, `${pointer}/propertyNames`, 'propertyNames');
    const req = get('required');
    if (req !== undefined) {
      if (!Array.isArray(req)) throw invalidType('array', 'required');
      for (const r of req) {
        if (typeof r !== 'string') throw new SchemaError('required items must be string');
        if (s.required.includes(r) && this.draft === 4) throw new SchemaError('required items must be unique');
        s.required.push(r);
      }
    }
    s.minProperties = this.nonNegativeInt(get('minProperties'), 'minProperties');
    s.maxProperties = this.nonNegativeInt(get('maxProperties'), 'maxProperties');
    if (s.minProperties !== undefined && s.maxProperties !== undefined && s.minProperties > s.maxProperties) {
      throw new SchemaError('minProperties cannot be greater than maxProperties');
    }
    const deps = get('dependencies');
    if (deps !== undefined) {
      if (!(deps instanceof RObject)) throw invalidType('object', 'dependencies');
      for (const [k, x] of deps.sortedEntries()) {
        if (typeof k !== 'string') continue;
        if (Array.isArray(x)) {
          const names = x.map((d) => { if (typeof d !== 'string') throw new SchemaError('dependency items must be string'); return d; });
          s.dependencies.push({ key: k, deps: names });
        } else {
          s.dependencies.push({ key: k, deps: this.child(x, `${pointer}/dependencies/${k}`, 'dependency') });
        }
      }
    }
  }

  private arrayKeywords(s: SubSchema, get: (k: string) => Value | undefined, pointer: string): void {
    const items = get('items');
    if (items !== undefined) {
      if (Array.isArray(items)) s.items = items.map((x, i) => this.child(x, `${pointer}/items/${i}`, 'items'));
      else s.items = this.child(items, `${pointer}/items`, 'items');
    }
    const ai = get('additionalItems');
    if (ai !== undefined) {
      if (typeof ai === 'boolean') s.additionalItems = ai;
      else if (ai instanceof RObject) s.additionalItems = this.schema(ai, `${pointer}/additionalItems`);
      else throw invalidType('boolean/object', 'additionalItems');
    }
    s.minItems = this.nonNegativeInt(get('minItems'), 'minItems');
    s.maxItems = this.nonNegativeInt(get('maxItems'), 'maxItems');
    if (s.minItems !== undefined && s.maxItems !== undefined && s.minItems > s.maxItems) {
      throw new SchemaError('minItems cannot be greater than maxItems');
    }
    const unique = get('uniqueItems');
    if (unique !== undefined) {
      if (typeof unique !== 'boolean') throw invalidType('boolean', 'uniqueItems');
      s.uniqueItems = unique;
    }
    const contains = get('contains');
    if (contains !== undefined && this.draft !== 4) s.contains = this.child(contains, `${pointer}/contains`, 'contains');
  }

  private stringKeywords(s: SubSchema, get: (k: string) => Value | undefined): void {
    s.minLength = this.nonNegativeInt(get('minLength'), 'minLength');
    s.maxLength = this.nonNegativeInt(get('maxLength'), 'maxLength');
    if (s.minLength !== undefined && s.maxLength !== undefined && s.minLength > s.maxLength) {
      throw new SchemaError('minLength cannot be greater than maxLength');
    }
    const pattern = get('pattern');
    if (pattern !== undefined) {
      if (typeof pattern !== 'string') throw invalidType('string', 'pattern');
      try { compileGoRegexp(pattern); } catch { throw new SchemaError(`Invalid regex pattern '${pattern}'`); }
      s.pattern = pattern;
    }
    const format = get('format');
    if (format !== undefined) {
      if (typeof format !== 'string') throw invalidType('string', 'format');
      s.format = format;
    }
  }

  private number(v: Value | undefined, key: string): Rat | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' && typeof v !== 'bigint') throw invalidType('number', key);
    return ratOf(v);
  }

  private numberKeywords(s: SubSchema, get: (k: string) => Value | undefined): void {
    const multipleOf = this.number(get('multipleOf'), 'multipleOf');
    if (multipleOf && multipleOf.num <= 0n) throw new SchemaError('multipleOf must be strictly greater than 0');
    s.multipleOf = multipleOf;
    s.minimum = this.number(get('minimum'), 'minimum');
    s.maximum = this.number(get('maximum'), 'maximum');
    for (const [key, base] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      const x = get(key);
      if (x === undefined) continue;
      const field = key === 'exclusiveMinimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
      if (typeof x === 'boolean' && this.draft !== 6 && this.draft !== 7) {
        // draft 4's boolean form moves the bound to its exclusive twin
        if (s[base] === undefined) throw new SchemaError(`${key} cannot be used without ${base}`);
        if (x) { s[field] = s[base]; s[base] = undefined; }
      } else if (typeof x === 'number' || typeof x === 'bigint') {
        if (this.draft === 4) throw new SchemaError(`${key} must be of a boolean`);
        s[field] = ratOf(x);
      } else {
        throw new SchemaError(`${key} must be of a ${this.draft === 4 ? 'boolean' : 'number'}`);
      }
    }
  }

  private commonKeywords(s: SubSchema, get: (k: string) => Value | undefined, pointer: string): void {
    const en = get('enum');
    if (en !== undefined) {
      if (!Array.isArray(en)) throw invalidType('array', 'enum');
      s.enum = [];
      for (const x of en) {
        const text = canonicalJSON(x);
        if (s.enum.includes(text)) throw new SchemaError('enum items must be unique');
        s.enum.push(text);
      }
    }
    const c = get('const');
    if (c !== undefined && this.draft !== 4) s.constValue = canonicalJSON(c);
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = get(key);
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw invalidType('array', key);
      s[key] = list.map((x, i) => this.child(x, `${pointer}/${key}/${i}`, key));
    }
    const not = get('not');
    if (not !== undefined) s.not = this.child(not, `${pointer}/not`, 'not');
    if (this.draft === 7 || this.draft === 'hybrid') {
      for (const key of ['if', 'then', 'else'] as const) {
        const x = get(key);
        if (x !== undefined) s[key] = this.child(x, `${pointer}/${key}`, key);
      }
    }
    // Definitions are compiled up front, as gojsonschema does, so a broken one fails the schema even unused.
    const defs = get('definitions');
    if (defs !== undefined) {
      if (!(defs instanceof RObject)) throw invalidType('array of schemas', 'definitions');
      for (const [k, x] of defs.sortedEntries()) {
        if (!(x instanceof RObject) && typeof x !== 'boolean') throw invalidType('array of schemas', 'definitions');
        if (typeof k === 'string') this.schema(x, `${pointer}/definitions/${k}`);
      }
    }
  }
}

/** Compiles a schema document (an object, or a boolean from draft 6 on); throws SchemaError. */
export function compileSchema(doc: Value): SubSchema {
  if (!(doc instanceof RObject) && typeof doc !== 'boolean') throw invalidType('object', kind(doc));
  return new Compiler(doc).compile();
}
