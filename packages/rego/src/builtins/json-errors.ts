/**
 * encoding/json's syntax error texts for what V8's JSON.parse reports, so json.unmarshal fails as OPA does:
 * "unexpected end of JSON input", "invalid character 'x' looking for beginning of value", and so on.
 */

/** Go's quoteChar: the offending character in single quotes, escaped as strconv.Quote would. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  return "'" + JSON.stringify(c).slice(1, -1) + "'";
}

const CONTEXTS: readonly [RegExp, string][] = [
  [/^Expected property name or '}'/, 'looking for beginning of object key string'],
  [/^Expected double-quoted property name/, 'looking for beginning of object key string'],
  [/^Expected ':' after property name/, 'after object key'],
  [/^Expected ',' or '}' after property value/, 'after object key:value pair'],
  [/^Expected ',' or ']' after array element/, 'after array element'],
  [/^Unexpected non-whitespace character after JSON/, 'after top-level value'],
  [/^Bad control character in string literal/, 'in string literal'],
  [/^Bad escaped character/, 'in string escape code'],
  [/^(No number after minus sign|Exponent part is missing a number|Unterminated fractional number)/, 'in numeric literal'],
];

export function goJSONError(text: string, message: string): string {
  if (/^(Unexpected end of JSON input|Unterminated string)/.test(message)) return 'unexpected end of JSON input';
  const pos = /at position (\d+)/.exec(message);
  const token = /^Unexpected token '(.+?)'/.exec(message);
  const at = pos ? Number(pos[1]) : token ? text.indexOf(token[1]!) : -1;
  if (at < 0 || at >= text.length) return at >= text.length ? 'unexpected end of JSON input' : message;
  const c = String.fromCodePoint(text.codePointAt(at)!);
  const context = CONTEXTS.find(([re]) => re.test(message))?.[1] ?? 'looking for beginning of value';
  return `invalid character ${quoteChar(c)} ${context}`;
}
