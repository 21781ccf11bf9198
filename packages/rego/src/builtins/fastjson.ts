/**
 * The lenient JSON reader jwx's jwsbb uses for JWS headers (valyala/fastjson), so io.jwt.encode_sign_raw reads a
 * header as OPA does: the same accepted texts (a top-level number is taken by its characters alone, so `e` or `1-2`
 * "parse"; escapes are undone best-effort, never rejected), the first of duplicate keys wins, and the same error
 * texts ("cannot parse JSON: cannot parse object: missing ':' after object key; unparsed tail: …").
 */

export type FastValue =
  | { readonly t: 'object'; readonly kvs: ReadonlyArray<readonly [string, FastValue]> }
  | { readonly t: 'array'; readonly a: readonly FastValue[] }
  | { readonly t: 'string' | 'number'; readonly raw: string }
  | { readonly t: 'true' | 'false' | 'null' };

export type FastParse = { readonly value: FastValue } | { readonly error: string };

/** Parsing stops at the first error, carried with the unparsed rest of the text. */
class FastError extends Error {
  readonly tail: string;
  constructor(message: string, tail: string) {
    super(message);
    this.tail = tail;
  }
}

const MAX_DEPTH = 300;
const NUMBER_CHAR = /[0-9eE.+-]/;

function skipWS(s: string): string {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  return s.slice(i);
}

/** fastjson quotes long tails by their first and last 40 characters. */
function startEnd(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 40)}...${s.slice(-40)}`;
}

/** Go's %q of a short ASCII-ish text; JSON's quoting agrees with it for the texts errors quote. */
const quote = (s: string): string => JSON.stringify(s);

export function parseFast(text: string): FastParse {
  const s = skipWS(text);
  try {
    const [value, rest] = parseValue(s, 0);
    const tail = skipWS(rest);
    if (tail !== '') return { error: `unexpected tail: ${quote(startEnd(tail))}` };
    return { value };
  } catch (e) {
    if (e instanceof FastError) return { error: `cannot parse JSON: ${e.message}; unparsed tail: ${quote(startEnd(e.tail))}` };
    throw e;
  }
}

function parseValue(s: string, depth: number): [FastValue, string] {
  if (s === '') throw new FastError('cannot parse empty string', s);
  if (depth + 1 > MAX_DEPTH) throw new FastError(`too big depth for the nested JSON; it exceeds ${MAX_DEPTH}`, s);
  const c = s[0];
  if (c === '{') return wrap('cannot parse object', () => parseObject(s, depth + 1));
  if (c === '[') return wrap('cannot parse array', () => parseArray(s, depth + 1));
  if (c === '"') return wrap('cannot parse string', () => { const [raw, rest] = parseRawString(s); return [{ t: 'string', raw }, rest]; });
  for (const literal of ['true', 'false'] as const) {
    if (c === literal[0]) {
      if (!s.startsWith(literal)) throw new FastError(`unexpected value found: ${quote(s)}`, s);
      return [{ t: literal }, s.slice(literal.length)];
    }
  }
  if (c === 'n') {
    if (s.startsWith('null')) return [{ t: 'null' }, s.slice(4)];
    if (/^nan/i.test(s)) return [{ t: 'number', raw: s.slice(0, 3) }, s.slice(3)];
    throw new FastError(`unexpected value found: ${quote(s)}`, s);
  }
  return wrap('cannot parse number', () => { const [raw, rest] = parseRawNumber(s); return [{ t: 'number', raw }, rest]; });
}

function wrap(what: string, parse: () => [FastValue, string]): [FastValue, string] {
  try { return parse(); } catch (e) {
    if (e instanceof FastError) throw new FastError(`${what}: ${e.message}`, e.tail);
    throw e;
  }
}

function parseArray(text: string, depth: number): [FastValue, string] {
  let s = skipWS(text.slice(1));
  if (s === '') throw new FastError("missing ']'", s);
  if (s[0] === ']') return [{ t: 'array', a: [] }, s.slice(1)];
  const a: FastValue[] = [];
  for (;;) {
    let v: FastValue;
    try { [v, s] = parseValue(skipWS(s), depth); } catch (e) {
      if (e instanceof FastError) throw new FastError(`cannot parse array value: ${e.message}`, e.tail);
      throw e;
    }
    a.push(v);
    s = skipWS(s);
    if (s === '') throw new FastError('unexpected end of array', s);
    if (s[0] === ',') { s = s.slice(1); continue; }
    if (s[0] === ']') return [{ t: 'array', a }, s.slice(1)];
    throw new FastError("missing ',' after array value", s);
  }
}

function parseObject(text: string, depth: number): [FastValue, string] {
  let s = skipWS(text.slice(1));
  if (s === '') throw new FastError("missing '}'", s);
  if (s[0] === '}') return [{ t: 'object', kvs: [] }, s.slice(1)];
  const kvs: (readonly [string, FastValue])[] = [];
  for (;;) {
    s = skipWS(s);
    if (s === '' || s[0] !== '"') throw new FastError(`cannot find opening '"" for object key`, s);
    let key: string;
    try { [key, s] = parseRawKey(s); } catch (e) {
      if (e instanceof FastError) throw new FastError(`cannot parse object key: ${e.message}`, e.tail);
      throw e;
    }
    s = skipWS(s);
    if (s === '' || s[0] !== ':') throw new FastError("missing ':' after object key", s);
    let v: FastValue;
    try { [v, s] = parseValue(skipWS(s.slice(1)), depth); } catch (e) {
      if (e instanceof FastError) throw new FastError(`cannot parse object value: ${e.message}`, e.tail);
      throw e;
    }
    kvs.push([unescape(key), v]);
    s = skipWS(s);
    if (s === '') throw new FastError('unexpected end of object', s);
    if (s[0] === ',') { s = s.slice(1); continue; }
    if (s[0] === '}') return [{ t: 'object', kvs }, s.slice(1)];
    throw new FastError("missing ',' after object value", s);
  }
}

function parseRawKey(s: string): [string, string] {
  let backslashes = 0;
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '"' && backslashes % 2 === 0) return [s.slice(1, i), s.slice(i + 1)];
    backslashes = s[i] === '\\' ? backslashes + 1 : 0;
  }
  throw new FastError(`missing closing '"'`, '');
}

function parseRawString(s: string): [string, string] {
  const body = s.slice(1);
  let backslashes = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '"' && backslashes % 2 === 0) return [body.slice(0, i), body.slice(i + 1)];
    backslashes = body[i] === '\\' ? backslashes + 1 : 0;
  }
  throw new FastError(`missing closing '"'`, '');
}

function parseRawNumber(s: string): [string, string] {
  for (let i = 0; i < s.length; i++) {
    if (NUMBER_CHAR.test(s[i]!)) continue;
    if (i === 0 || (i === 1 && (s[0] === '-' || s[0] === '+'))) {
      if (/^(inf|nan)$/i.test(s.slice(i, i + 3))) return [s.slice(0, i + 3), s.slice(i + 3)];
      throw new FastError(`unexpected char: ${quote(s.slice(0, 1))}`, s);
    }
    return [s.slice(0, i), s.slice(i)];
  }
  return [s, ''];
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** fastjson's unescapeStringBestEffort: a malformed escape stays as written instead of failing. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\' || i + 1 >= s.length) { out += s[i]; continue; }
    const ch = s[++i]!;
    const simple = ESCAPES[ch];
    if (simple !== undefined) { out += simple; continue; }
    const hex = s.slice(i + 1, i + 5);
    if (ch === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)) { out += String.fromCharCode(parseInt(hex, 16)); i += 4; continue; }
    out += `\\${ch}`;
  }
  return out;
}

/** fastjson's Value.Get(key) on an object: the first field of that name. */
export function fastGet(v: FastValue, key: string): FastValue | undefined {
  if (v.t !== 'object') return undefined;
  return v.kvs.find(([k]) => k === key)?.[1];
}

/** The text of a string value, escapes undone as fastjson does. */
export function fastString(v: FastValue): string | undefined {
  return v.t === 'string' ? unescape(v.raw) : undefined;
}
