/** JSON and YAML builtins: v1/topdown/encoding.go and json.go. Big integers survive both ways. */
import { parseAllDocuments } from 'yaml';
import type { Tags } from 'yaml';
import { RObject, fromJSON } from '../value.ts';
import type { Value } from '../value.ts';
import { base64Builtins } from './base64.ts';
import { parseNumberText } from './casts.ts';
import { marshal } from './go-json.ts';
import { goJSONError } from './json-errors.ts';
import { marshalYAML } from './go-yaml.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

/** JSON.parse keeping integers beyond 2^53 exact, via the reviver's access to the number's source text. */
export function parseJSON(text: string): Value {
  const parsed: unknown = JSON.parse(text, function (this: unknown, _key: string, value: unknown, ctx?: { source?: string }) {
    if (typeof value === 'number' && ctx?.source !== undefined) return parseNumberText(ctx.source) ?? value;
    return value;
  } as (key: string, value: unknown) => unknown);
  return fromJSON(parsed);
}

function marshalOptions(a: Operands): { indent: string | undefined; prefix: string } {
  const opts = a.object(2);
  let indent = '\t', prefix = '', implicit = false, explicit: boolean | undefined;
  for (const [k, v] of opts.pairs()) {
    if (typeof k !== 'string') throw a.operandErr(2, `failed to stringify key ${String(k)}`);
    switch (k) {
      case 'prefix':
        if (typeof v !== 'string') throw a.operandErr(2, `key ${k} failed cast to string`);
        prefix = v; implicit = true; break;
      case 'indent':
        if (typeof v !== 'string') throw a.operandErr(2, `key ${k} failed cast to string`);
        indent = v; implicit = true; break;
      case 'pretty':
        if (typeof v !== 'boolean') throw a.operandErr(2, `key ${k} failed cast to bool`);
        explicit = v; break;
      default:
        throw a.operandErr(2, `object contained unknown key ${JSON.stringify(k)}`);
    }
  }
  return (explicit ?? implicit) ? { indent, prefix } : { indent: undefined, prefix: '' };
}

/** Go yaml's wording for the commonest syntax error; other messages come from the yaml package. */
function yamlError(e: { message: string; code?: string; linePos?: { line: number }[] }): string {
  const line = e.linePos?.[0]?.line ?? 1;
  if (/flow (sequence|collection)/i.test(e.message) || e.code === 'MISSING_CHAR') {
    const close = /map|\{/.test(e.message) ? '}' : ']';
    return `yaml: line ${line}: did not find expected ',' or '${close}'`;
  }
  return `yaml: line ${line}: ${e.message.split('\n')[0]!}`;
}

/**
 * go-yaml v2 (behind sigs.k8s.io/yaml) speaks YAML 1.1 — `yes`/`on` are booleans, 0777 is octal — but leaves
 * timestamps and base-60 numbers as strings when decoding into interface{}.
 */
function goYAMLTags(tags: Tags): Tags {
  return tags.filter((t) => typeof t === 'string' || !(t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME'));
}

type YAMLResult = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly error: string };

/** The first document, as go-yaml's Unmarshal reads it; an empty text is null. */
function parseYAML(text: string): YAMLResult {
  const docs = parseAllDocuments(text, { intAsBigInt: true, uniqueKeys: false, version: '1.1', customTags: goYAMLTags });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return { ok: true, value: null };
  const err = doc.errors[0];
  if (err) return { ok: false, error: yamlError(err) };
  try {
    return { ok: true, value: fromYAML(doc.toJS({ mapAsMap: true })) };
  } catch (e) {
    // Resolving merge keys happens here, not in the parse: `<<: 0` is valid YAML but no mapping (go-yaml's words).
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: /merge/i.test(message) ? 'yaml: map merge requires map or sequence of maps as the value' : `yaml: ${message}` };
  }
}

/** YAML values to Rego: map keys become strings (as YAMLToJSON does), bigints become canonical numbers. */
function fromYAML(v: unknown): Value {
  if (v instanceof Map) {
    const o = new RObject();
    for (const [k, x] of v) o.set(k === null ? 'null' : typeof k === 'object' ? JSON.stringify(k) : String(k), fromYAML(x));
    return o;
  }
  if (Array.isArray(v)) return v.map(fromYAML);
  if (v instanceof Date) return v.toISOString();
  if (v === undefined) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return v;
  return fromJSON(v);
}

export const encodingBuiltins: readonly Builtin[] = [
  define('json.marshal', 1, (a) => marshal(a.at(1), undefined, '', 0)),
  define('json.marshal_with_options', 2, (a) => {
    const v = a.at(1);
    const { indent, prefix } = marshalOptions(a);
    return indent === undefined ? marshal(v, undefined, '', 0) : prefix + marshal(v, indent, prefix, 0);
  }),
  define('json.unmarshal', 1, (a) => {
    const text = a.string(1);
    try {
      return parseJSON(text);
    } catch (e) {
      if (e instanceof SyntaxError) throw a.fail(goJSONError(text, e.message));
      throw e;
    }
  }),
  define('json.is_valid', 1, (a) => {
    const s = a.at(1);
    if (typeof s !== 'string') return false;
    try { JSON.parse(s); return true; } catch { return false; }
  }),
  define('yaml.marshal', 1, (a) => marshalYAML(a.at(1))),
  define('yaml.unmarshal', 1, (a) => {
    const r = parseYAML(a.string(1));
    if (!r.ok) throw a.fail(r.error);
    return r.value;
  }),
  define('yaml.is_valid', 1, (a) => {
    const s = a.at(1);
    if (typeof s !== 'string') return false;
    return parseYAML(s).ok;
  }),
  ...base64Builtins,
];
