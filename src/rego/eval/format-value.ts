/** Rego's text form of a value, as `print` shows it: `{1, 2}` for sets, `set()` when empty, `{"a": 1}`. */
import { RObject, RSet, toJSONText } from '../value.ts';
import type { Value } from '../value.ts';

export function formatValue(v: Value): string {
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v instanceof RSet) return v.size === 0 ? 'set()' : `{${v.sorted().map(formatValue).join(', ')}}`;
  if (v instanceof RObject) return `{${v.sortedEntries().map(([k, x]) => `${formatValue(k)}: ${formatValue(x)}`).join(', ')}}`;
  return toJSONText(v);
}
