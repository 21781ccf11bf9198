/**
 * Variable bookkeeping over terms, used by the safety check (which vars an expression needs and binds) and by
 * constant folding. Roots `data` and `input` are never variables.
 */
import type { Body, Expr, Term } from '../ast/types.ts';
import { makeNumber, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';

export function isRootName(name: string): boolean {
  return name === 'data' || name === 'input';
}

/** Every variable in a term, including inside comprehension bodies. */
export function addAllVars(t: Term, out: Set<string>): void {
  switch (t.kind) {
    case 'scalar': return;
    case 'var': if (!isRootName(t.name)) out.add(t.name); return;
    case 'ref': addAllVars(t.head, out); for (const p of t.path) addAllVars(p, out); return;
    case 'array': case 'set': for (const i of t.items) addAllVars(i, out); return;
    case 'object': for (const [k, v] of t.pairs) { addAllVars(k, out); addAllVars(v, out); } return;
    case 'arraycomp': case 'setcomp': addAllVars(t.term, out); addBodyVars(t.body, out); return;
    case 'objectcomp': addAllVars(t.key, out); addAllVars(t.val, out); addBodyVars(t.body, out); return;
    case 'call': for (const a of t.args) addAllVars(a, out); return;
  }
}

/** Variables of an expression outside nested comprehension and `every`/`not {}` bodies. */
export function addShallowExprVars(e: Expr, out: Set<string>): void {
  const n = e.node;
  switch (n.kind) {
    case 'term': addShallowVars(n.term, out); break;
    case 'some': for (const v of n.vars) addShallowVars(v, out); break;
    case 'somein': if (n.key) addShallowVars(n.key, out); addShallowVars(n.val, out); addShallowVars(n.domain, out); break;
    case 'every': addShallowVars(n.domain, out); break;
    case 'body': break;
  }
  for (const w of e.withs) addShallowVars(w.value, out);
}

export function addShallowVars(t: Term, out: Set<string>): void {
  switch (t.kind) {
    case 'var': if (!isRootName(t.name)) out.add(t.name); return;
    case 'ref': addShallowVars(t.head, out); for (const p of t.path) addShallowVars(p, out); return;
    case 'array': case 'set': for (const i of t.items) addShallowVars(i, out); return;
    case 'object': for (const [k, v] of t.pairs) { addShallowVars(k, out); addShallowVars(v, out); } return;
    case 'call': for (const a of t.args) addShallowVars(a, out); return;
    default: return;
  }
}

export function addBodyVars(body: Body, out: Set<string>): void {
  for (const e of body) addExprVars(e, out);
}

export function addExprVars(e: Expr, out: Set<string>): void {
  const n = e.node;
  switch (n.kind) {
    case 'term': addAllVars(n.term, out); break;
    case 'some': for (const v of n.vars) addAllVars(v, out); break;
    case 'somein': if (n.key) addAllVars(n.key, out); addAllVars(n.val, out); addAllVars(n.domain, out); break;
    case 'every': if (n.key) addAllVars(n.key, out); addAllVars(n.val, out); addAllVars(n.domain, out); addBodyVars(n.body, out); break;
    case 'body': addBodyVars(n.body, out); break;
  }
  for (const w of e.withs) { addAllVars(w.value, out); }
}

/** Annotates ground terms with their value so evaluation reads it instead of rebuilding it. */
export function foldConstants(t: Term): Value | undefined {
  switch (t.kind) {
    case 'scalar': {
      const s = t.scalar;
      t.value = typeof s === 'number' || typeof s === 'bigint' ? makeNumber(s) : s;
      return t.value;
    }
    case 'var': return undefined;
    case 'ref': foldConstants(t.head); t.path.forEach(foldConstants); return undefined;
    case 'array': {
      const vs = t.items.map(foldConstants);
      if (vs.every((v) => v !== undefined)) t.value = vs as Value[];
      return t.value;
    }
    case 'set': {
      const vs = t.items.map(foldConstants);
      if (vs.every((v) => v !== undefined)) t.value = new RSet(vs as Value[]);
      return t.value;
    }
    case 'object': {
      let ground = true;
      const o = new RObject();
      for (const [k, v] of t.pairs) {
        const kv = foldConstants(k), vv = foldConstants(v);
        if (kv === undefined || vv === undefined) ground = false;
        else o.set(kv, vv);
      }
      if (ground && o.size === t.pairs.length) t.value = o;
      return t.value;
    }
    case 'arraycomp': case 'setcomp': foldConstants(t.term); foldBody(t.body); return undefined;
    case 'objectcomp': foldConstants(t.key); foldConstants(t.val); foldBody(t.body); return undefined;
    case 'call': t.args.forEach(foldConstants); return undefined;
  }
}

export function foldBody(body: Body): void {
  for (const e of body) {
    const n = e.node;
    switch (n.kind) {
      case 'term': foldConstants(n.term); break;
      case 'some': break;
      case 'somein': if (n.key) foldConstants(n.key); foldConstants(n.val); foldConstants(n.domain); break;
      case 'every': if (n.key) foldConstants(n.key); foldConstants(n.val); foldConstants(n.domain); foldBody(n.body); break;
      case 'body': foldBody(n.body); break;
    }
    for (const w of e.withs) foldConstants(w.value);
  }
}
