/** Reading and rebuilding values the way refs and `with` need: one step of a ref, iteration, path update. */
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';

/** One ref step: array index, object key, or set membership (yielding the element). */
export function deref(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (typeof key === 'number') return Number.isInteger(key) && key >= 0 ? v[key] : undefined;
    return undefined;
  }
  if (v instanceof RObject) return v.get(key);
  if (v instanceof RSet) return v.has(key) ? key : undefined;
  return undefined;
}

/**
 * Calls `f(key, value)` for each member; sets yield each element as both. Objects and sets are visited in
 * Rego's sort order, as OPA does, so results built by iteration (array comprehensions) match OPA's exactly.
 */
export function iterate(v: Value, f: (key: Value, val: Value) => void): void {
  if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) f(i, v[i]!); return; }
  if (v instanceof RObject) {
    const entries = v.size > 1 ? v.sortedEntries() : [...v.pairs()];
    for (const [k, val] of entries) f(k, val);
    return;
  }
  if (v instanceof RSet) { for (const e of v.size > 1 ? v.sorted() : [...v.values()]) f(e, e); }
}

export function isCollection(v: Value): boolean {
  return Array.isArray(v) || v instanceof RObject || v instanceof RSet;
}

export function getPath(v: Value | undefined, path: readonly Value[]): Value | undefined {
  let cur = v;
  for (const p of path) {
    if (cur === undefined) return undefined;
    cur = deref(cur, p);
  }
  return cur;
}

export function copyObject(o: RObject): RObject {
  const c = new RObject();
  for (const [k, v] of o.pairs()) c.set(k, v);
  return c;
}

/** A copy of `root` with `value` at `path`, creating objects on the way (what `with input.a.b as v` does). */
export function setPath(root: Value | undefined, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [Value, ...Value[]];
  const obj = root instanceof RObject ? copyObject(root) : new RObject();
  obj.set(head, setPath(obj.get(head), rest, value));
  return obj;
}
