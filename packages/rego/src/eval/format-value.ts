/** Rego's text form of a value, as `print` shows it: `{1, 2}` for sets, `set()` when empty, `{"a": 1}`. */
import { RObject, RSet, toJSONText } from '../value.ts';
import type { Value } from '../value.ts';

export function formatValue(v: Value): string {
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v instanceof RSet) return v.size === 0 ? 'set()' : `{${v.sorted().map(formatValue).join(', ')}}`;
  if (v instanceof RObject) return `{${v.sortedEntries().map(([k, x]) => `${formatValue(k)}: ${formatValue(x)}`).join(', ')}}`;
  // An integral float beyond 2^53 is printed exactly, so the text parses back to an equal number.
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v).toString();
  return toJSONText(v);
}
