/**
 * yaml.marshal as sigs.k8s.io/yaml (go-yaml v2) writes it: block style, sequences not indented under their
 * key, strings that would read back as another type (yes, 123, null, 1.5, 2001-12-14) double-quoted, strings
 * that are merely not plain-safe ("a: b", "- x") single-quoted, multi-line strings as literal blocks.
 */
import { Document, visit } from 'yaml';
import type { Scalar } from 'yaml';

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

export function marshalYAML(json: unknown): string {
  const doc = new Document(json, { version: '1.1' });
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value === 'string' && !node.value.includes('\n') && readsAsNonString(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}
