/**
 * A deep copy of JSON data (what every stored object is). The store copies on every read and write so callers
 * may change what they get; structuredClone's general algorithm made that copying the sim's largest cost when
 * hundreds of rollouts run at once (about 9× slower on a pod). Stored objects are plain (parsed JSON or built from
 * literals), so `for…in` needs no own-property check, the larger part of a copy's time.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    const copy = typeof v === 'object' && v !== null ? cloneJson(v) : v;
    // A "__proto__" key parsed from JSON is data; assigned, it would replace the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out as T;
}
