/**
 * gojsonschema's `marshalWithoutNumber`: JSON through float64 and back, so `1`, `1.0` and `1e0` are one value
 * for enum, const and uniqueItems, and the text is what its messages quote (keys sorted, `<>&` escaped).
 */
import { RSet } from '../value.ts';
import type { RObject, Value } from '../value.ts';
import { goQuoteJSON } from './go-json.ts';

export function canonicalJSON(v: Value): string {
  switch (typeof v) {
    case 'string': return goQuoteJSON(v);
    case 'boolean': return String(v);
    case 'number': case 'bigint': {
      const f = Number(v);
      return Object.is(f, -0) ? '-0' : JSON.stringify(f);
    }
    default: {
      if (v === null) return 'null';
      if (Array.isArray(v) || v instanceof RSet) {
        return '[' + (Array.isArray(v) ? v : v.sorted()).map(canonicalJSON).join(',') + ']';
      }
      return '{' + objectEntries(v).map(([k, x]) => goQuoteJSON(k) + ':' + canonicalJSON(x)).join(',') + '}';
    }
  }
}

/** Entries keyed by their JSON key text, sorted as Go's encoding/json sorts map keys (by bytes). */
export function objectEntries(o: RObject): [string, Value][] {
  return o.sortedEntries()
    .map(([k, x]): [string, Value] => [typeof k === 'string' ? k : canonicalJSON(k), x])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
