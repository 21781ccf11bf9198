/**
 * Top-down evaluation with backtracking, in continuation-passing style: every step calls `k` once per solution,
 * and undefined simply means `k` is never called. Bindings are one mutable map per rule body, undone after each
 * continuation returns; negation and `every` evaluate on a copy so an early stop (HALT) leaves nothing behind.
 * Virtual documents are computed by `Documents` (documents.ts) and cached per query and `with` scope.
 */
import type { Body, CallTerm, Expr, ExprNode, Term } from '../ast/types.ts';
import type { BuiltinContext } from '../builtins/types.ts';
import { BuiltinError } from '../builtins/types.ts';
import type { CompiledQuery } from '../compile/compiler.ts';
import type { Program } from '../compile/program.ts';
import { addShallowVars } from '../compile/term-vars.ts';
import { conflict, RegoError } from '../errors.ts';
import { equal, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { durationMs, walkValue } from './eval-builtins.ts';
import { formatValue } from './format-value.ts';
import { Documents } from './documents.ts';
import { deref, isCollection, iterate } from './value-ops.ts';
import type { Bindings, Ctx, EvalHost } from './types.ts';
import { evalWith } from './with-scope.ts';

type K = () => void;
type KV = (v: Value) => void;

/** `not e` runs `e` as a one-expression body; built once per expression. */
const POSITIVE = new WeakMap<Expr, Body>();
function positiveBody(e: Expr): Body {
  let body = POSITIVE.get(e);
  if (!body) { body = [{ node: e.node, negated: false, withs: [], loc: e.loc }]; POSITIVE.set(e, body); }
  return body;
}

/** Variables of a term outside comprehensions, computed once per term. */
const TERM_VARS = new WeakMap<Term, string[]>();

/** Thrown to stop a search once one solution is known to exist. */
const HALT = { halt: true };

export interface EvalOptions {
  readonly input?: Value | undefined;
  readonly data?: Value | undefined;
  readonly strict: boolean;
  readonly nowNs: bigint;
  readonly print?: ((msg: string) => void) | undefined;
}

export class Evaluator implements EvalHost {
  ctx: Ctx;
  /** The first builtin failure; returned as the query's error in strict mode. */
  builtinError: RegoError | undefined;
  readonly program: Program;
  private readonly bctx: BuiltinContext;
  private readonly print: ((msg: string) => void) | undefined;
  private readonly docs: Documents;

  constructor(program: Program, opts: EvalOptions) {
    this.program = program;
    this.bctx = { nowNs: opts.nowNs, strict: opts.strict };
    this.print = opts.print;
    this.ctx = { input: opts.input, data: opts.data ?? new RObject(), overlays: [], mocks: new Map(), cache: new Map() };
    this.docs = new Documents(this);
  }

  runQuery(q: CompiledQuery): Map<string, Value>[] {
    const rows: Map<string, Value>[] = [];
    const b: Bindings = new Map();
    this.evalBody(q.body, 0, b, () => {
      const row = new Map<string, Value>();
      for (const [v, name] of q.outputs) {
        const val = b.get(v);
        if (val !== undefined) row.set(name, val);
      }
      rows.push(row);
    });
    return rows;
  }

  /** The document at a data path, or undefined. */
  valueAt(path: readonly string[]): Value | undefined {
    let out: Value | undefined;
    const segs: Term[] = path.map((p) => ({ kind: 'scalar', scalar: p, value: p, loc: { file: '', row: 0, col: 0 } }));
    this.docs.evalData(segs, new Map(), (v) => { out = v; });
    return out;
  }

  // ---- bodies and expressions --------------------------------------------------------------------------------

  evalBody(body: Body, i: number, b: Bindings, k: K): void {
    if (i === body.length) { k(); return; }
    this.evalExpr(body[i]!, b, () => this.evalBody(body, i + 1, b, k));
  }

  /** True when the body has at least one solution (evaluated on a copy of the bindings). */
  existsBody(body: Body, b: Bindings): boolean {
    const inner = new Map(b);
    try { this.evalBody(body, 0, inner, () => { throw HALT; }); } catch (x) {
      if (x === HALT) return true;
      throw x;
    }
    return false;
  }

  private evalExpr(e: Expr, b: Bindings, k: K): void {
    if (e.withs.length > 0) { evalWith(this, e, b, k); return; }
    this.evalExprInScope(e, b, k);
  }

  /** An expression without its `with` modifiers (already applied by the caller, if any). */
  evalExprInScope(e: Expr, b: Bindings, k: K): void {
    if (e.negated) {
      if (!this.existsBody(positiveBody(e), b)) k();
      return;
    }
    this.evalNode(e.node, b, k);
  }

  private evalNode(n: ExprNode, b: Bindings, k: K): void {
    switch (n.kind) {
      case 'some': k(); return;
      case 'somein':
        this.evalTerm(n.domain, b, (coll) => iterate(coll, (key, val) =>
          this.unifyValue(n.val, val, b, () => (n.key ? this.unifyValue(n.key, key, b, k) : k()))));
        return;
      case 'every': this.evalEvery(n, b, k); return;
      case 'body': this.evalBody(n.body, 0, b, k); return;
      case 'term': {
        const t = n.term;
        const onValue: KV = (v) => { if (v !== false) k(); };
        if (t.kind === 'call') this.evalCall(t, b, onValue); else this.evalTerm(t, b, onValue);
      }
    }
  }

  private evalEvery(n: Extract<ExprNode, { kind: 'every' }>, b: Bindings, k: K): void {
    this.evalTerm(n.domain, b, (coll) => {
      if (!isCollection(coll)) return;
      let all = true;
      iterate(coll, (key, val) => {
        if (!all) return;
        const inner = new Map(b);
        try {
          this.unifyValue(n.val, val, inner, () => {
            const go = (): void => this.evalBody(n.body, 0, inner, () => { throw HALT; });
            if (n.key) this.unifyValue(n.key, key, inner, go); else go();
          });
          all = false;
        } catch (x) {
          if (x !== HALT) throw x;
        }
      });
      if (all) k();
    });
  }

  // ---- terms -------------------------------------------------------------------------------------------------

  evalTerm(t: Term, b: Bindings, k: KV): void {
    if (t.value !== undefined) { k(t.value); return; }
    switch (t.kind) {
      case 'scalar': k(t.scalar as Value); return;
      case 'var': {
        if (t.name === 'input') { if (this.ctx.input !== undefined) k(this.ctx.input); return; }
        if (t.name === 'data') { this.docs.evalData([], b, k); return; }
        const v = b.get(t.name);
        if (v !== undefined) k(v);
        return;
      }
      case 'ref': this.evalRef(t, b, k); return;
      case 'array': this.evalList(t.items, b, (vs) => k(vs)); return;
      case 'set': this.evalList(t.items, b, (vs) => k(new RSet(vs))); return;
      case 'object':
        this.evalList(t.pairs.flat(), b, (vs) => {
          const o = new RObject();
          for (let i = 0; i < vs.length; i += 2) o.set(vs[i]!, vs[i + 1]!);
          k(o);
        });
        return;
      case 'arraycomp': {
        const out: Value[] = [];
        this.evalBody(t.body, 0, b, () => this.evalTerm(t.term, b, (v) => { out.push(v); }));
        k(out);
        return;
      }
      case 'setcomp': {
        const out = new RSet();
        this.evalBody(t.body, 0, b, () => this.evalTerm(t.term, b, (v) => { out.add(v); }));
        k(out);
        return;
      }
      case 'objectcomp': {
        const out = new RObject();
        this.evalBody(t.body, 0, b, () => this.evalTerm(t.key, b, (kv) => this.evalTerm(t.val, b, (vv) => {
          const prev = out.get(kv);
          if (prev !== undefined && !equal(prev, vv)) throw conflict('object keys must be unique', t.loc);
          out.set(kv, vv);
        })));
        k(out);
        return;
      }
      case 'call': this.evalCall(t, b, k); return;
    }
  }

  /**
   * Evaluates terms left to right, calling `k` with a fresh array per combination of their values. Terms whose
   * variables are all bound cannot bind anything for the terms after them, so they are evaluated in a loop rather
   * than by recursion: a literal array of thousands of computed items does not grow the stack.
   */
  evalList(items: readonly Term[], b: Bindings, k: (vs: Value[]) => void): void {
    const vals: Value[] = new Array<Value>(items.length);
    const step = (start: number): void => {
      let i = start;
      for (; i < items.length; i++) {
        const it = items[i]!;
        if (it.value !== undefined) { vals[i] = it.value; continue; }
        if (!this.isClosed(it, b)) break;
        const got: Value[] = [];
        this.evalTerm(it, b, (v) => { got.push(v); });
        if (got.length === 0) return;
        if (got.length > 1) {
          for (const v of got) { vals[i] = v; step(i + 1); }
          return;
        }
        vals[i] = got[0]!;
      }
      if (i === items.length) { k(vals.slice()); return; }
      // As OPA's compiler hoists refs and calls out of call operands, a later one enumerates first and binds the
      // vars an earlier operand reads (`i == input.xs[i]`); it is then evaluated again, closed, in its own position.
      const item = items[i]!;
      const here = (): void => this.evalTerm(item, b, (v) => { vals[i] = v; step(i + 1); });
      const j = item.kind === 'ref' || item.kind === 'call' ? -1 : items.findIndex((x, n) => n > i && x.kind !== 'var' && !this.isClosed(x, b));
      if (j > i) { this.evalTerm(items[j]!, b, () => (this.isClosed(item, b) ? step(i) : here())); return; }
      here();
    };
    step(0);
  }

  /** True when every variable of the term (outside comprehensions, whose own vars are local) is bound. */
  private isClosed(t: Term, b: Bindings): boolean {
    let vars = TERM_VARS.get(t);
    if (!vars) {
      const s = new Set<string>();
      addShallowVars(t, s);
      vars = [...s];
      TERM_VARS.set(t, vars);
    }
    for (const v of vars) if (!b.has(v)) return false;
    return true;
  }

  private evalRef(t: Extract<Term, { kind: 'ref' }>, b: Bindings, k: KV): void {
    const h = t.head;
    if (h.kind === 'var' && h.name === 'data') { this.docs.evalData(t.path, b, k); return; }
    if (h.kind === 'var' && h.name === 'input') {
      const inp = this.ctx.input;
      if (inp !== undefined) this.evalPath(inp, t.path, 0, b, k);
      return;
    }
    this.evalTerm(h, b, (hv) => this.evalPath(hv, t.path, 0, b, k));
  }

  /** Follows `path[i..]` from `v`, iterating where a segment has unbound variables. */
  evalPath(v: Value, path: readonly Term[], i: number, b: Bindings, k: KV): void {
    if (i === path.length) { k(v); return; }
    const seg = path[i]!;
    const step = (key: Value): void => {
      const c = deref(v, key);
      if (c !== undefined) this.evalPath(c, path, i + 1, b, k);
    };
    if (seg.value !== undefined) { step(seg.value); return; }
    if (seg.kind === 'var') {
      const bv = b.get(seg.name);
      if (bv !== undefined) { step(bv); return; }
      iterate(v, (key, val) => {
        b.set(seg.name, key);
        this.evalPath(val, path, i + 1, b, k);
        b.delete(seg.name);
      });
      return;
    }
    if (this.hasOpenVars(seg, b)) {
      iterate(v, (key, val) => this.unifyValue(seg, key, b, () => this.evalPath(val, path, i + 1, b, k)));
      return;
    }
    this.evalTerm(seg, b, step);
  }

  /** True when the term has variables that unification would bind (outside refs, calls and comprehensions). */
  hasOpenVars(t: Term, b: Bindings): boolean {
    if (t.value !== undefined) return false;
    switch (t.kind) {
      case 'var': return t.name !== 'input' && t.name !== 'data' && !b.has(t.name);
      case 'array': return t.items.some((x) => this.hasOpenVars(x, b));
      case 'object': return t.pairs.some(([, v]) => this.hasOpenVars(v, b));
      default: return false;
    }
  }

  // ---- unification -------------------------------------------------------------------------------------------

  unify(a: Term, c: Term, b: Bindings, k: K): void {
    if (a.value !== undefined) { this.unifyValue(c, a.value, b, k); return; }
    if (c.value !== undefined) { this.unifyValue(a, c.value, b, k); return; }
    const aOpen = this.hasOpenVars(a, b), cOpen = this.hasOpenVars(c, b);
    if (!aOpen) { this.evalTerm(a, b, (v) => this.unifyValue(c, v, b, k)); return; }
    if (!cOpen) { this.evalTerm(c, b, (v) => this.unifyValue(a, v, b, k)); return; }
    if (a.kind === 'array' && c.kind === 'array') {
      if (a.items.length === c.items.length) this.unifyPairs(a.items.map((x, i) => [x, c.items[i]!]), b, k);
      return;
    }
    if (a.kind === 'object' && c.kind === 'object') {
      if (a.pairs.length !== c.pairs.length) return;
      this.evalList(a.pairs.map(([key]) => key), b, (aks) => this.evalList(c.pairs.map(([key]) => key), b, (cks) => {
        const pairs: [Term, Term][] = [];
        for (let i = 0; i < aks.length; i++) {
          const j = cks.findIndex((ck) => equal(ck, aks[i]!));
          if (j < 0) return;
          pairs.push([a.pairs[i]![1], c.pairs[j]![1]]);
        }
        this.unifyPairs(pairs, b, k);
      }));
    }
  }

  private unifyPairs(pairs: [Term, Term][], b: Bindings, k: K): void {
    if (pairs.length === 0) { k(); return; }
    const idx = pairs.findIndex(([x, y]) => !this.hasOpenVars(x, b) || !this.hasOpenVars(y, b)
      || (x.kind === y.kind && (x.kind === 'array' || x.kind === 'object')));
    if (idx < 0) return;
    const [x, y] = pairs[idx]!;
    const rest = pairs.filter((_, i) => i !== idx);
    this.unify(x, y, b, () => this.unifyPairs(rest, b, k));
  }

  unifyValue(t: Term, v: Value, b: Bindings, k: K): void {
    if (t.value !== undefined) { if (equal(t.value, v)) k(); return; }
    switch (t.kind) {
      case 'var': {
        if (t.name === 'input' || t.name === 'data') break;
        const cur = b.get(t.name);
        if (cur !== undefined) { if (equal(cur, v)) k(); return; }
        b.set(t.name, v);
        k();
        b.delete(t.name);
        return;
      }
      case 'array':
        if (Array.isArray(v) && v.length === t.items.length) this.unifyItems(t.items, v, 0, b, k);
        return;
      case 'object':
        if (!(v instanceof RObject) || v.size !== t.pairs.length) return;
        this.evalList(t.pairs.map(([key]) => key), b, (keys) => {
          const vs: Value[] = [];
          for (const key of keys) {
            const x = v.get(key);
            if (x === undefined) return;
            vs.push(x);
          }
          this.unifyItems(t.pairs.map(([, val]) => val), vs, 0, b, k);
        });
        return;
      default: break;
    }
    this.evalTerm(t, b, (tv) => { if (equal(tv, v)) k(); });
  }

  private unifyItems(ts: readonly Term[], vs: readonly Value[], i: number, b: Bindings, k: K): void {
    if (i === ts.length) { k(); return; }
    this.unifyValue(ts[i]!, vs[i]!, b, () => this.unifyItems(ts, vs, i + 1, b, k));
  }

  // ---- calls -------------------------------------------------------------------------------------------------

  private evalCall(t: CallTerm, b: Bindings, k: KV): void {
    const target = t.target!;
    if (target.kind === 'special') { this.unify(t.args[0]!, t.args[1]!, b, () => k(true)); return; }
    if (target.kind === 'builtin' && target.name === 'print') { this.evalPrint(t, b); k(true); return; }
    const arity = target.kind === 'builtin'
      ? this.program.builtins.get(target.name)?.arity ?? t.args.length
      : this.program.funcArity.get(JSON.stringify(target.path)) ?? t.args.length;
    const out = t.args.length > arity ? t.args[arity] : undefined;
    const operands = out ? t.args.slice(0, arity) : t.args;
    this.evalList(operands, b, (vals) => {
      const emit: KV = out ? (res) => this.unifyValue(out, res, b, () => k(true)) : k;
      this.invoke(target, vals, t, emit, true);
    });
  }

  /** Calls a builtin or function (or its `with` replacement) with evaluated operands. */
  invoke(target: Exclude<CallTerm['target'], undefined>, vals: Value[], t: CallTerm, emit: KV, allowMock: boolean): void {
    if (target.kind === 'special') return;
    if (allowMock && this.ctx.mocks.size > 0) {
      const key = target.kind === 'builtin' ? 'b:' + target.name : 'f:' + JSON.stringify(target.path);
      const m = this.ctx.mocks.get(key);
      if (m) {
        if (m.kind === 'value') { emit(m.value); return; }
        if (m.target.kind === 'special') return;
        // Inside a replacement no mock applies: it calls originals, never other mocks (as OPA).
        const outer = this.ctx;
        const inner: Ctx = { ...outer, mocks: new Map(), cache: new Map() };
        this.ctx = inner;
        try {
          this.invoke(m.target, vals, t, (v) => {
            this.ctx = outer;
            try { emit(v); } finally { this.ctx = inner; }
          }, true);
        } finally {
          this.ctx = outer;
        }
        return;
      }
    }
    if (target.kind === 'func') { this.docs.callFunction(target.path, vals, emit); return; }
    switch (target.name) {
      case 'walk': walkValue(vals[0]!, [], emit); return;
      case 'trace': emit(true); return;
      case 'test.sleep': {
        const until = Date.now() + durationMs(String(vals[0]));
        while (Date.now() < until) { /* busy wait: the harness builtin is synchronous */ }
        emit(null);
        return;
      }
      default: break;
    }
    const builtin = this.program.builtins.get(target.name);
    if (!builtin) return;
    let res: Value | undefined;
    try {
      res = builtin.impl(vals, this.bctx);
    } catch (e) {
      if (e instanceof RegoError) throw e;
      const code = e instanceof BuiltinError ? e.code : 'eval_builtin_error';
      const msg = e instanceof Error ? e.message : String(e);
      this.builtinError ??= new RegoError(code, msg.startsWith(target.name + ':') ? msg : `${target.name}: ${msg}`, t.loc);
      return;
    }
    if (res !== undefined) emit(res);
  }

  private evalPrint(t: CallTerm, b: Bindings): void {
    const parts = t.args.map((a) => {
      let out: string | undefined;
      this.evalTerm(a, b, (v) => { out ??= typeof v === 'string' ? v : formatValue(v); });
      return out ?? '<undefined>';
    });
    this.print?.(parts.join(' '));
  }
}
