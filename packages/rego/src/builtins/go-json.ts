/**
 * JSON text as Go's encoding/json writes it for OPA: keys sorted, sets as sorted arrays, non-string keys as
 * their JSON text, `<`, `>`, `&`, U+2028 and U+2029 escaped, and MarshalIndent's layout.
 */
import { RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { formatNumber } from './rego-text.ts';

export function goQuoteJSON(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function keyText(k: Value): string {
  return typeof k === 'string' ? k : marshal(k, undefined, '', 0);
}

function numberText(n: number | bigint): string {
  if (typeof n === 'number' && !Number.isFinite(n)) return 'null';
  return formatNumber(n);
}

/** Compact when indent is undefined; else MarshalIndent(prefix, indent) without the first line's prefix. */
export function marshal(v: Value, indent: string | undefined, prefix: string, depth: number): string {
  const nl = (d: number): string => (indent === undefined ? '' : '\n' + prefix + indent.repeat(d));
  const colon = indent === undefined ? ':' : ': ';
  switch (typeof v) {
    case 'string': return goQuoteJSON(v);
    case 'number': case 'bigint': return numberText(v);
    case 'boolean': return String(v);
    default: {
      if (v === null) return 'null';
      if (Array.isArray(v) || v instanceof RSet) {
        const items = Array.isArray(v) ? v : v.sorted();
        if (items.length === 0) return '[]';
        return '[' + items.map((x) => nl(depth + 1) + marshal(x, indent, prefix, depth + 1)).join(',') + nl(depth) + ']';
      }
      const entries = v.sortedEntries().map(([k, x]) => [keyText(k), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) return '{}';
      return '{' + entries.map(([k, x]) => nl(depth + 1) + goQuoteJSON(k) + colon + marshal(x, indent, prefix, depth + 1)).join(',') + nl(depth) + '}';
    }
  }
}
