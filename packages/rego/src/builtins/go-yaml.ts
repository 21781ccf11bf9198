/**
 * yaml.marshal as sigs.k8s.io/yaml (go-yaml v2) writes it: block style, sequences not indented under their
 * key, strings that would read back as another type (yes, 123, null, 1.5, 2001-12-14) double-quoted, strings
 * that are merely not plain-safe ("a: b", "- x") single-quoted, multi-line strings as literal blocks.
 */
import { Document, visit } from 'yaml';
import type { Scalar, Tags } from 'yaml';
import { RSet, keyOf, toJSONText } from '../value.ts';
import type { Value } from '../value.ts';

/** go-yaml v2's resolve table: plain scalars that are not strings under YAML 1.1. */
const NON_STRING = [
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(~|null|Null|NULL)?$/,
  /^[-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$/,
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(inf|Inf|INF)$/, /^\.(nan|NaN|NAN)$/,
  /^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/, /^<<$/,
];

function readsAsNonString(s: string): boolean {
  return NON_STRING.some((re) => re.test(s));
}

/**
 * A Rego value as YAML input: objects with JSON-text keys in sorted order (null-prototype, so that a key such as
 * "__proto__" survives), sets as sorted arrays, doubles beyond 2^53 as the integers value.ts keys them by.
 */
function toYAMLInput(v: Value): unknown {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) && Number.isFinite(v) ? BigInt(keyOf(v).slice(1)) : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toYAMLInput);
  if (v instanceof RSet) return v.sorted().map(toYAMLInput);
  const entries = v.sortedEntries().map(([k, x]): [string, unknown] => [typeof k === 'string' ? k : toJSONText(k), toYAMLInput(x)]);
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, x] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = x;
  return out;
}

function withoutMerge(tags: Tags): Tags {
  return tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge');
}

export function marshalYAML(value: Value): string {
  // Without the merge tag: with it, yaml writes a `<<` key plain whatever its node says, and it would read back as a
  // merge key; go-yaml quotes it, as it quotes every string that would resolve to another tag.
  const doc = new Document(toYAMLInput(value), { version: '1.1', sortMapEntries: true, customTags: withoutMerge });
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value === 'string' && !node.value.includes('\n') && readsAsNonString(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}
