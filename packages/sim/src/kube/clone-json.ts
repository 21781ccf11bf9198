/**
 * A deep copy of JSON data (what every stored object is). The store copies on every read and write so callers
 * may change what they get; structuredClone's general algorithm made that copying the sim's largest cost when
 * hundreds of rollouts run at once (about 9× slower on a pod).
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = cloneJson((value as Record<string, unknown>)[key]);
  }
  return out as T;
}
