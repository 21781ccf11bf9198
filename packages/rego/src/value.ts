/**
 * Rego values. JSON's six types plus sets, and objects whose keys may be any value.
 *
 * Numbers: a JS `number` for every non-integer and every integer within ±2^53; a `bigint` for integers beyond,
 * so that OPA's exact big-integer arithmetic and nanosecond timestamps survive. Always build numbers with
 * `makeNumber` so the two never overlap (a bigint inside the safe range is never stored).
 */
export type RNumber = number | bigint;
export type Value = null | boolean | RNumber | string | Value[] | RObject | RSet;

/**
 * Canonical text of a value: equal values (by Rego equality, so 1 and 1.0) have equal keys. A string on its own —
 * nearly every object key a policy looks up — keys as its text behind a quote, with no escaping: no other kind's key
 * starts with one. Inside arrays, sets and objects strings are JSON-quoted, so element boundaries stay unambiguous.
 */
export function keyOf(v: Value): string {
  return typeof v === 'string' ? '"' + v : innerKey(v);
}

function innerKey(v: Value): string {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return 'n' + numberText(v);
    case 'bigint': return 'n' + v.toString();
    case 'boolean': return v ? 't' : 'f';
    default:
      if (v === null) return 'z';
      if (Array.isArray(v)) return '[' + v.map(innerKey).join(',') + ']';
      if (v instanceof RSet) return '<' + v.sorted().map(innerKey).join(',') + '>';
      return '{' + v.sortedEntries().map(([k, val]) => innerKey(k) + ':' + innerKey(val)).join(',') + '}';
  }
}

export class RSet {
  readonly items = new Map<string, Value>();
  constructor(values?: Iterable<Value>) {
    if (values) for (const v of values) this.add(v);
  }
  add(v: Value): this { this.items.set(keyOf(v), v); return this; }
  has(v: Value): boolean { return this.items.has(keyOf(v)); }
  get size(): number { return this.items.size; }
  values(): IterableIterator<Value> { return this.items.values(); }
  /** Elements in Rego's sort order. */
  sorted(): Value[] { return [...this.items.values()].sort(compare); }
}

export class RObject {
  readonly entries = new Map<string, [Value, Value]>();
  constructor(pairs?: Iterable<readonly [Value, Value]>) {
    if (pairs) for (const [k, v] of pairs) this.set(k, v);
  }
  set(k: Value, v: Value): this { this.entries.set(keyOf(k), [k, v]); return this; }
  get(k: Value): Value | undefined { return this.entries.get(keyOf(k))?.[1]; }
  has(k: Value): boolean { return this.entries.has(keyOf(k)); }
  delete(k: Value): boolean { return this.entries.delete(keyOf(k)); }
  get size(): number { return this.entries.size; }
  keys(): Value[] { return [...this.entries.values()].map(([k]) => k); }
  pairs(): IterableIterator<[Value, Value]> { return this.entries.values(); }
  /** Entries ordered by key in Rego's sort order. */
  sortedEntries(): [Value, Value][] { return [...this.entries.values()].sort((a, b) => compare(a[0], b[0])); }
}

export function makeNumber(n: number | bigint): RNumber {
  if (typeof n === 'bigint') {
    return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
  }
  return n;
}

export function isNumber(v: Value | undefined): v is RNumber {
  return typeof v === 'number' || typeof v === 'bigint';
}

function numberText(n: number): string {
  if (Object.is(n, -0)) return '0';
  // An integral float beyond 2^53 must key like the equal bigint (1e21 equals 10n ** 21n in Rego).
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return BigInt(n).toString();
  return String(n);
}

const TYPE_RANK = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 } as const;
export type TypeName = keyof typeof TYPE_RANK;

/** Rego's `type_name`. */
export function typeName(v: Value): TypeName {
  switch (typeof v) {
    case 'string': return 'string';
    case 'number': case 'bigint': return 'number';
    case 'boolean': return 'boolean';
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'array';
      if (v instanceof RSet) return 'set';
      return 'object';
  }
}

function compareNumbers(a: RNumber, b: RNumber): number {
  // Mixed bigint/number comparison is exact in JS.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rego's total order: null < boolean < number < string < array < object < set, then by value. */
export function compare(a: Value, b: Value): number {
  const ta = typeName(a), tb = typeName(b);
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  switch (ta) {
    case 'null': return 0;
    case 'boolean': return a === b ? 0 : a ? 1 : -1;
    case 'number': return compareNumbers(a as RNumber, b as RNumber);
    case 'string': return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 'array': {
      const x = a as Value[], y = b as Value[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case 'object': {
      const x = (a as RObject).sortedEntries(), y = (b as RObject).sortedEntries();
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const ck = compare(x[i]![0], y[i]![0]);
        if (ck !== 0) return ck;
        const cv = compare(x[i]![1], y[i]![1]);
        if (cv !== 0) return cv;
      }
      return x.length - y.length;
    }
    case 'set': {
      const x = (a as RSet).sorted(), y = (b as RSet).sorted();
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return a == b; // eslint-disable-line eqeqeq -- 1n == 1 is the point
  return typeName(a) === typeName(b) && typeof a === 'object' && keyOf(a) === keyOf(b);
}

/** From parsed JSON (numbers may already be bigint when the parser kept them exact). */
export function fromJSON(j: unknown): Value {
  if (j === null || typeof j === 'string' || typeof j === 'boolean') return j;
  if (typeof j === 'number' || typeof j === 'bigint') return makeNumber(j);
  if (Array.isArray(j)) return j.map(fromJSON);
  if (typeof j === 'object') {
    const o = new RObject();
    // Like JSON.stringify: a property whose value is undefined is absent.
    for (const [k, v] of Object.entries(j as Record<string, unknown>)) if (v !== undefined) o.set(k, fromJSON(v));
    return o;
  }
  throw new TypeError(`not a JSON value: ${typeof j}`);
}

/**
 * To JSON as OPA does: sets become sorted arrays; non-string object keys become their JSON text.
 * bigints are returned as bigints; use `toJSONText` for a string.
 */
export function toJSON(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof RSet) return v.sorted().map(toJSON);
  const out: Record<string, unknown> = {};
  for (const [k, val] of v.sortedEntries()) {
    // defineProperty, not assignment: a key named "__proto__" is data, not the object's prototype.
    Object.defineProperty(out, typeof k === 'string' ? k : toJSONText(k), { value: toJSON(val), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Compact JSON text, bigints written exactly, keys sorted. */
export function toJSONText(v: Value): string {
  switch (typeof v) {
    case 'bigint': return v.toString();
    case 'number': return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'string': case 'boolean': return JSON.stringify(v);
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return '[' + v.map(toJSONText).join(',') + ']';
      if (v instanceof RSet) return '[' + v.sorted().map(toJSONText).join(',') + ']';
      return '{' + v.sortedEntries().map(([k, val]) => JSON.stringify(typeof k === 'string' ? k : toJSONText(k)) + ':' + toJSONText(val)).join(',') + '}';
  }
}
