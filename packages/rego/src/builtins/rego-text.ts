/** Rego's own text for a value (OPA's Term.String): used by sprintf for non-scalar operands and by messages. */
import { RSet, keyOf } from '../value.ts';
import type { Value } from '../value.ts';

/**
 * Number text. Doubles beyond 2^53 are integers and print all their digits (as OPA prints an integral float
 * result), the integer value.ts keys them by, so the text reads back as an equal number.
 */
export function formatNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Object.is(n, -0)) return '0';
  if (Number.isFinite(n) && !Number.isSafeInteger(n) && Number.isInteger(n)) return keyOf(n).slice(1);
  return String(n);
}

const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
  '\\': '\\\\', '"': '\\"',
};

/** Go's strconv.Quote: printable runes as they are, the rest as \a…\v, \xNN, \uNNNN or \UNNNNNNNN. */
export function goQuote(s: string): string {
  return '"' + s.replace(/[^\p{L}\p{M}\p{N}\p{P}\p{S} ]|[\\"]/gu, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short) return short;
    const cp = c.codePointAt(0)!;
    if (cp < 0x80) return '\\x' + cp.toString(16).padStart(2, '0');
    if (cp <= 0xffff) return '\\u' + cp.toString(16).padStart(4, '0');
    return '\\U' + cp.toString(16).padStart(8, '0');
  }) + '"';
}

export function regoText(v: Value): string {
  switch (typeof v) {
    case 'string': return goQuote(v);
    case 'number': case 'bigint': return formatNumber(v);
    case 'boolean': return String(v);
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return '[' + v.map(regoText).join(', ') + ']';
      if (v instanceof RSet) return v.size === 0 ? 'set()' : '{' + v.sorted().map(regoText).join(', ') + '}';
      return '{' + v.sortedEntries().map(([k, x]) => regoText(k) + ': ' + regoText(x)).join(', ') + '}';
  }
}
