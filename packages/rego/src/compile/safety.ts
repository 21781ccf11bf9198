/**
 * Safety: every variable must be bound before a builtin, negation or comprehension reads it. Like OPA we reorder
 * each body so that expressions run once their inputs are bound (keeping the written order where possible),
 * and report `var x is unsafe` when no order works. Nested bodies (comprehensions, `every`) are reordered with
 * the variables bound at the point their expression runs.
 */
import type { Body, CallTarget, Expr, Term } from '../ast/types.ts';
import { RegoError } from '../errors.ts';
import { addAllVars, addBodyVars, addExprVars, addShallowExprVars, isRootName } from './term-vars.ts';

/** Operand count of a call target (extra arguments are outputs); undefined when unknown. */
export type ArityOf = (target: CallTarget) => number | undefined;

interface Acc {
  readonly needs: Set<string>;
  readonly binds: Set<string>;
  /**
   * Vars bound by enumerating a ref (`input.xs[i]`). Like OPA's outputVarsForExprRefs, these satisfy the
   * expression's own needs (`i == input.xs[i]`): evaluation enumerates the ref before it reads the var.
   */
  readonly refBinds?: Set<string>;
}

export class Safety {
  private readonly arityOf: ArityOf;
  private readonly errors: RegoError[];
  constructor(arityOf: ArityOf, errors: RegoError[]) { this.arityOf = arityOf; this.errors = errors; }

  /**
   * Reorders `body` given the vars already bound and the vars visible from enclosing scopes. Returns the
   * reordered body and the set of vars bound after it.
   */
  reorder(body: Body, bound: ReadonlySet<string>, outer: ReadonlySet<string>): { body: Body; bound: Set<string> } {
    const b = new Set(bound);
    const perExpr = body.map((e) => { const s = new Set<string>(); addShallowExprVars(e, s); return s; });
    const visibleFor = (i: number): Set<string> => {
      const vis = new Set(outer);
      perExpr.forEach((s, j) => { if (j !== i) for (const v of s) vis.add(v); });
      return vis;
    };
    const allVars = new Set(outer);
    for (const s of perExpr) for (const v of s) allVars.add(v);
    const remaining = body.map((e, i) => ({ e, i }));
    const out: Body = [];
    while (remaining.length > 0) {
      let picked = -1;
      let acc: Acc | undefined;
      for (let r = 0; r < remaining.length; r++) {
        const { e, i } = remaining[r]!;
        const a = this.analyse(e, b, visibleFor(i));
        if (a) { picked = r; acc = a; break; }
      }
      if (picked < 0 || !acc) {
        const { e, i } = remaining[0]!;
        const a: Acc = { needs: new Set(), binds: new Set() };
        this.exprAcc(e, a, visibleFor(i));
        const unsafe = [...a.needs].filter((v) => !b.has(v) && !v.startsWith('$'));
        // A unification neither side of which can be bound needs nothing: its own unbound vars are the unsafe ones.
        const open = [...perExpr[i]!].filter((v) => !b.has(v) && !v.startsWith('$'));
        const names = (unsafe.length > 0 ? unsafe : a.needs.size > 0 ? [...a.needs].filter((v) => !b.has(v)) : open)
          .map((v) => v.replace(/\$\d+$/, ''));
        for (const n of names.length > 0 ? names : ['(unknown)']) {
          this.errors.push(new RegoError('rego_unsafe_var_error', `var ${n} is unsafe`, e.loc));
        }
        return { body: out.concat(remaining.map((x) => x.e)), bound: b };
      }
      const { e } = remaining.splice(picked, 1)[0]!;
      this.nested(e, b, allVars);
      for (const v of acc.binds) b.add(v);
      out.push(e);
    }
    return { body: out, bound: b };
  }

  /** Needs/binds of an expression if it can run now, else undefined. */
  private analyse(e: Expr, bound: ReadonlySet<string>, visible: ReadonlySet<string>): Acc | undefined {
    const acc: Acc = { needs: new Set(), binds: new Set(), refBinds: new Set() };
    this.exprAcc(e, acc, visible);
    for (const v of acc.needs) if (!bound.has(v) && !acc.refBinds?.has(v)) return undefined;
    const n = e.node;
    if (!e.negated && n.kind === 'term' && n.term.kind === 'call' && n.term.target?.kind === 'special') {
      const [l, r] = n.term.args as [Term, Term];
      if (!solvable(l, r, bound)) return undefined;
    }
    return acc;
  }

  private exprAcc(e: Expr, acc: Acc, visible: ReadonlySet<string>): void {
    for (const w of e.withs) if (!w.fnValue) this.ev(w.value, acc, visible);
    const n = e.node;
    if (e.negated) {
      // A negated expression binds nothing, so its own variables must be bound elsewhere (OPA: "var x is
      // unsafe"); wildcards and variables local to nested bodies are the exception.
      const inner = { ...e, negated: false, withs: [] };
      const all = new Set<string>();
      addExprVars(inner, all);
      const own = new Set<string>();
      if (n.kind !== 'body') addShallowExprVars(inner, own);
      for (const v of all) if (visible.has(v) || (own.has(v) && !v.startsWith('$'))) acc.needs.add(v);
      return;
    }
    switch (n.kind) {
      case 'some': return;
      case 'body': return;
      case 'somein':
        this.ev(n.domain, acc, visible);
        if (n.key) this.pat(n.key, acc, visible);
        this.pat(n.val, acc, visible);
        return;
      case 'every': {
        this.ev(n.domain, acc, visible);
        const inner = new Set<string>();
        addBodyVars(n.body, inner);
        const local = new Set<string>();
        if (n.key) addAllVars(n.key, local);
        addAllVars(n.val, local);
        for (const v of inner) if (visible.has(v) && !local.has(v)) acc.needs.add(v);
        return;
      }
      case 'term': {
        const t = n.term;
        if (t.kind === 'call' && t.target?.kind === 'special') {
          for (const a of t.args) this.pat(a, acc, visible);
          return;
        }
        this.ev(t, acc, visible);
      }
    }
  }

  /** A term whose value is read. */
  private ev(t: Term, acc: Acc, visible: ReadonlySet<string>): void {
    switch (t.kind) {
      case 'scalar': return;
      case 'var': if (!isRootName(t.name)) acc.needs.add(t.name); return;
      case 'ref':
        if (t.head.kind !== 'var' || !isRootName(t.head.name)) this.ev(t.head, acc, visible);
        for (const p of t.path) {
          if (!acc.refBinds) { this.pat(p, acc, visible); continue; }
          const sub: Acc = { needs: acc.needs, binds: new Set() };
          this.pat(p, sub, visible);
          for (const v of sub.binds) { acc.binds.add(v); acc.refBinds.add(v); }
        }
        return;
      case 'array': case 'set': for (const i of t.items) this.ev(i, acc, visible); return;
      case 'object': for (const [k, v] of t.pairs) { this.ev(k, acc, visible); this.ev(v, acc, visible); } return;
      case 'call': {
        const arity = t.target ? this.arityOf(t.target) : undefined;
        t.args.forEach((a, i) => (arity !== undefined && i >= arity ? this.pat(a, acc, visible) : this.ev(a, acc, visible)));
        return;
      }
      default: {
        const inner = new Set<string>();
        addAllVars(t, inner);
        for (const v of inner) if (visible.has(v)) acc.needs.add(v);
      }
    }
  }

  /** A term unified with a value: plain vars get bound. */
  private pat(t: Term, acc: Acc, visible: ReadonlySet<string>): void {
    switch (t.kind) {
      case 'var': if (!isRootName(t.name)) acc.binds.add(t.name); return;
      case 'array': for (const i of t.items) this.pat(i, acc, visible); return;
      case 'object': for (const [k, v] of t.pairs) { this.ev(k, acc, visible); this.pat(v, acc, visible); } return;
      default: this.ev(t, acc, visible);
    }
  }

  /** Reorders bodies nested in an expression, now that its position (and so its bound vars) is known. */
  private nested(e: Expr, bound: ReadonlySet<string>, outer: ReadonlySet<string>): void {
    const n = e.node;
    // Comprehensions in a comprehension's head (template strings make these) see the variables its body binds.
    const visitIn = (t: Term, bnd: ReadonlySet<string>): void => {
      const visit = (x: Term): void => visitIn(x, bnd);
      switch (t.kind) {
        case 'ref': visit(t.head); t.path.forEach(visit); return;
        case 'array': case 'set': t.items.forEach(visit); return;
        case 'object': for (const [k, v] of t.pairs) { visit(k); visit(v); } return;
        case 'call': t.args.forEach(visit); return;
        case 'arraycomp': case 'setcomp': case 'objectcomp': {
          const r = this.reorder(t.body, bnd, outer);
          t.body = r.body;
          const heads = t.kind === 'objectcomp' ? [t.key, t.val] : [t.term];
          for (const h of heads) {
            visitIn(h, r.bound);
            this.checkBound(h, r.bound);
          }
          return;
        }
        default: return;
      }
    };
    const visitTerm = (t: Term): void => visitIn(t, bound);
    for (const w of e.withs) visitTerm(w.value);
    switch (n.kind) {
      case 'term': visitTerm(n.term); break;
      case 'somein': visitTerm(n.domain); if (n.key) visitTerm(n.key); visitTerm(n.val); break;
      case 'every': {
        visitTerm(n.domain);
        const b = new Set(bound);
        if (n.key) addAllVars(n.key, b);
        addAllVars(n.val, b);
        n.body = this.reorder(n.body, b, outer).body;
        break;
      }
      case 'body': n.body = this.reorder(n.body, bound, outer).body; break;
      case 'some': break;
    }
  }

  /** Reports vars of a head term (rule head, comprehension head) that the body never binds. */
  checkBound(t: Term, bound: ReadonlySet<string>): void {
    const vars = new Set<string>();
    addAllVars(t, vars);
    for (const v of vars) {
      if (!bound.has(v) && !isCompLocal(t, v)) {
        this.errors.push(new RegoError('rego_unsafe_var_error', `var ${v.replace(/\$\d+$/, '')} is unsafe`, t.loc));
      }
    }
  }
}

/**
 * Whether unifying `l` and `r` can bind all their open vars: pairwise (arrays/objects) until every pair has a
 * side without open vars. Vars bound by one pair count for the others (fixpoint), as evaluation order allows.
 */
function solvable(l: Term, r: Term, bound: ReadonlySet<string>): boolean {
  const b = new Set(bound);
  const open = (t: Term): boolean => {
    switch (t.kind) {
      case 'var': return !isRootName(t.name) && !b.has(t.name);
      case 'array': return t.items.some(open);
      case 'object': return t.pairs.some(([, v]) => open(v));
      default: return false;
    }
  };
  const pairs: [Term, Term][] = [];
  const split = (x: Term, y: Term): boolean => {
    if (x.kind === 'array' && y.kind === 'array') {
      if (x.items.length !== y.items.length) return true;
      x.items.forEach((it, i) => split(it, y.items[i]!));
      return true;
    }
    if (x.kind === 'object' && y.kind === 'object') {
      const keyText = (k: Term): string | undefined => (k.kind === 'scalar' ? JSON.stringify(String(k.scalar)) + typeof k.scalar : undefined);
      const ym = new Map(y.pairs.map(([k, v]) => [keyText(k), v] as const));
      if (x.pairs.some(([k]) => keyText(k) === undefined) || ym.has(undefined)) { pairs.push([x, y]); return true; }
      for (const [k, v] of x.pairs) { const w = ym.get(keyText(k)); if (w) split(v, w); }
      return true;
    }
    pairs.push([x, y]);
    return true;
  };
  split(l, r);
  for (let changed = true; changed;) {
    changed = false;
    for (const [x, y] of pairs) {
      const ox = open(x), oy = open(y);
      if (ox !== oy) {
        const s = new Set<string>();
        addAllVars(ox ? x : y, s);
        for (const v of s) if (!b.has(v)) { b.add(v); changed = true; }
      }
    }
  }
  return pairs.every(([x, y]) => !open(x) || !open(y));
}

/** True when `v` only occurs inside a nested comprehension of `t` (so it is that comprehension's own var). */
function isCompLocal(t: Term, v: string): boolean {
  const outside = new Set<string>();
  const walk = (x: Term): void => {
    switch (x.kind) {
      case 'var': outside.add(x.name); return;
      case 'ref': walk(x.head); x.path.forEach(walk); return;
      case 'array': case 'set': x.items.forEach(walk); return;
      case 'object': for (const [k, val] of x.pairs) { walk(k); walk(val); } return;
      case 'call': x.args.forEach(walk); return;
      default: return;
    }
  };
  walk(t);
  return !outside.has(v);
}
