/** Set operators and membership: v1/topdown/sets.go and the `in` helpers of aggregates.go. */
import { RObject, RSet, equal, isNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { define, typeErr } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

function setOfSets(a: Operands): RSet[] {
  const outer = a.set(1);
  return outer.sorted().map((s) => {
    if (!(s instanceof RSet)) throw typeErr(a.name, 1, s, 'set');
    return s;
  });
}

function intersect(x: RSet, y: RSet): RSet {
  return new RSet([...x.values()].filter((v) => y.has(v)));
}

/** `k, v in coll`: OPA's Value.Get on arrays (integer index) and objects (key). */
function lookup(coll: Value, key: Value): Value | undefined {
  if (Array.isArray(coll)) {
    if (!isNumber(key)) return undefined;
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < coll.length ? coll[i] : undefined;
  }
  if (coll instanceof RObject) return coll.get(key);
  return undefined;
}

export const setBuiltins: readonly Builtin[] = [
  define('and', 2, (a) => intersect(a.set(1), a.set(2))),
  define('or', 2, (a) => {
    const out = new RSet(a.set(1).values());
    for (const v of a.set(2).values()) out.add(v);
    return out;
  }),
  define('intersection', 1, (a) => {
    const sets = setOfSets(a);
    if (sets.length === 0) return new RSet();
    return sets.slice(1).reduce(intersect, sets[0]!);
  }),
  define('union', 1, (a) => {
    const out = new RSet();
    for (const s of setOfSets(a)) for (const v of s.values()) out.add(v);
    return out;
  }),
  define('internal.member_2', 2, (a) => {
    const x = a.at(1), coll = a.at(2);
    if (coll instanceof RSet) return coll.has(x);
    if (Array.isArray(coll)) return coll.some((e) => equal(e, x));
    if (coll instanceof RObject) return [...coll.pairs()].some(([, v]) => equal(v, x));
    return false;
  }),
  define('internal.member_3', 3, (a) => {
    const key = a.at(1), val = a.at(2), coll = a.at(3);
    if (coll instanceof RSet) return coll.has(key) && equal(key, val);
    const got = lookup(coll, key);
    return got !== undefined && equal(got, val);
  }),
];
