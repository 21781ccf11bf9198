/** Rego's own text for a value (OPA's Term.String): used by sprintf for non-scalar operands and by messages. */
import { RSet } from '../value.ts';
import type { Value } from '../value.ts';

/**
 * Number text. Doubles beyond 2^53 are integers and print all their digits (as OPA prints an integral float
 * result), using the exact binary value that value.ts keys them by, so the text reads back as an equal number.
 */
export function formatNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Object.is(n, -0)) return '0';
  if (Number.isFinite(n) && !Number.isSafeInteger(n) && Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

export function regoText(v: Value): string {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': case 'bigint': return formatNumber(v);
    case 'boolean': return String(v);
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return '[' + v.map(regoText).join(', ') + ']';
      if (v instanceof RSet) return v.size === 0 ? 'set()' : '{' + v.sorted().map(regoText).join(', ') + '}';
      return '{' + v.sortedEntries().map(([k, x]) => regoText(k) + ': ' + regoText(x)).join(', ') + '}';
  }
}
