/** Object builtins: v1/topdown/object.go and subset.go. */
import { RObject, RSet, equal, isNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { define, elementErr } from './operands.ts';
import { BuiltinError } from './types.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

/** Keys given as an array, set or object (its keys): getObjectKeysParam. */
function keyParam(a: Operands): RSet {
  const v = a.at(2);
  if (Array.isArray(v)) return new RSet(v);
  if (v instanceof RSet) return v;
  if (v instanceof RObject) return new RSet(v.keys());
  throw a.typeErr(2, 'object', 'set', 'array');
}

/** Recursive merge where the right-hand side wins unless both sides hold objects. */
export function mergeWithOverwrite(x: RObject, y: RObject): RObject {
  const out = new RObject(x.pairs());
  for (const [k, v] of y.pairs()) {
    const old = out.get(k);
    out.set(k, old instanceof RObject && v instanceof RObject ? mergeWithOverwrite(old, v) : v);
  }
  return out;
}

/** One step of object.get's path walk (OPA's Value.Find). */
function step(v: Value, key: Value): Value | undefined {
  if (v instanceof RObject) return v.get(key);
  if (Array.isArray(v)) {
    if (!isNumber(key)) return undefined;
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 ? v[i] : undefined;
  }
  if (v instanceof RSet) return v.has(key) ? key : undefined;
  return undefined;
}

function isArrayPrefixAt(sup: Value[], sub: Value[], at: number): boolean {
  return sub.every((v, i) => equal(sup[at + i]!, v));
}

function arraySubset(sup: Value[], sub: Value[]): boolean {
  if (sub.length === 0) return true;
  for (let i = 0; i + sub.length <= sup.length; i++) if (isArrayPrefixAt(sup, sub, i)) return true;
  return false;
}

/**
 * OPA's arraySetSubset, quirks included: it counts array elements found in the set (duplicates count again)
 * and answers true once the count reaches the set's size, so an empty array is never a superset.
 */
function arraySetSubset(sup: Value[], sub: RSet): boolean {
  let unmatched = sub.size;
  for (const x of sup) {
    if (sub.has(x)) unmatched--;
    if (unmatched === 0) return true;
  }
  return false;
}

function setSubset(sup: RSet, sub: RSet): boolean {
  for (const v of sub.values()) if (!sup.has(v)) return false;
  return true;
}

function objectSubset(sup: RObject, sub: RObject): boolean {
  for (const [k, subV] of sub.pairs()) {
    const supV = sup.get(k);
    if (supV === undefined) return false;
    if (supV instanceof RObject || subV instanceof RObject) {
      if (!(supV instanceof RObject && subV instanceof RObject) || !objectSubset(supV, subV)) return false;
    } else if (supV instanceof RSet && subV instanceof RSet) {
      if (!setSubset(supV, subV)) return false;
    } else if (Array.isArray(supV) && Array.isArray(subV)) {
      if (!arraySubset(supV, subV)) return false;
    } else if (!equal(supV, subV)) {
      return false;
    }
  }
  return true;
}

export const objectBuiltins: readonly Builtin[] = [
  define('object.union', 2, (a) => mergeWithOverwrite(a.object(1), a.object(2))),
  define('object.union_n', 1, (a) => {
    const arr = a.array(1);
    let out = new RObject();
    for (const o of arr) {
      if (!(o instanceof RObject)) throw elementErr(a.name, 1, arr, o, 'object');
      out = mergeWithOverwrite(out, o);
    }
    return out;
  }),
  define('object.remove', 2, (a) => {
    const obj = a.object(1), keys = keyParam(a);
    return new RObject([...obj.pairs()].filter(([k]) => !keys.has(k)));
  }),
  define('object.filter', 2, (a) => {
    const obj = a.object(1), keys = keyParam(a);
    return new RObject([...obj.pairs()].filter(([k]) => keys.has(k)));
  }),
  define('object.get', 3, (a) => {
    const obj = a.object(1), key = a.at(2), dflt = a.at(3);
    if (!Array.isArray(key)) return obj.get(key) ?? dflt;
    let cur: Value | undefined = obj;
    for (const k of key) {
      cur = step(cur, k);
      if (cur === undefined) return dflt;
    }
    return cur;
  }),
  define('object.keys', 1, (a) => new RSet(a.object(1).keys())),
  define('object.subset', 2, (a) => {
    const sup = a.at(1), sub = a.at(2);
    if (sup instanceof RObject && sub instanceof RObject) return objectSubset(sup, sub);
    if (sup instanceof RSet && sub instanceof RSet) return setSubset(sup, sub);
    if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
    if (Array.isArray(sup) && sub instanceof RSet) return arraySetSubset(sup, sub);
    throw new BuiltinError('eval_type_error', `${a.name}: both arguments object.subset must be of the same type or array and set`);
  }),
];
