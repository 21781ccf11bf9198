/**
 * Virtual documents: the value of `data.<path>` merges base data, rule results below that path, and `with data…`
 * overrides. A node's document is computed once per query (and per `with` scope) and cached; re-entering a node
 * still being computed is a recursion error. Objects built from rule head refs are "structural" and may be merged
 * with each other; a value produced by a rule may not be extended by another rule (OPA's conflict).
 */
import type { Term } from '../ast/types.ts';
import type { CompiledRule, RuleNode } from '../compile/program.ts';
import { conflict, RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { equal, isNumber, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { PENDING } from './types.ts';
import type { Bindings, EvalHost } from './types.ts';
import { copyObject, deref, getPath, setPath } from './value-ops.ts';

/** Per ref path (a compile-time array): the rule node its constant prefix leads to, and where that prefix ends. */
const START = new WeakMap<readonly Term[], { node: RuleNode; i: number }>();

function staticStart(root: RuleNode, path: readonly Term[]): { node: RuleNode; i: number } {
  let node = root, i = 0;
  while (i < path.length && node.rules.length === 0) {
    const v = path[i]!.value;
    const key = typeof v === 'string' ? v : isNumber(v) ? String(v) : undefined;
    const child = key === undefined ? undefined : node.children.get(key);
    if (!child) break;
    node = child;
    i++;
  }
  return { node, i };
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

export class Documents {
  private readonly ev: EvalHost;
  private readonly structural = new WeakSet<object>();
  constructor(ev: EvalHost) { this.ev = ev; }

  evalData(path: readonly Term[], b: Bindings, k: (v: Value) => void): void {
    if (this.ev.ctx.overlays.length > 0) { this.walk(this.ev.program.root, [], path, 0, b, k); return; }
    // Without `with data` overrides, the constant leading segments always reach the same node: look it up once.
    let start = START.get(path);
    if (!start) { start = staticStart(this.ev.program.root, path); START.set(path, start); }
    this.walk(start.node, start.node.path, path, start.i, b, k);
  }

  private walk(node: RuleNode | undefined, at: readonly string[], path: readonly Term[], i: number, b: Bindings, k: (v: Value) => void): void {
    const ov = this.overlayAt(at);
    if (ov !== undefined) { this.ev.evalPath(ov, path, i, b, k); return; }
    if (!node) {
      const v = this.plainDataAt(at);
      if (v !== undefined) this.walkBase(v, path, i, b, k);
      return;
    }
    if (node.rules.length > 0 || i === path.length) {
      const v = this.docAt(node, at);
      if (v !== undefined) this.ev.evalPath(v, path, i, b, k);
      return;
    }
    const seg = path[i]!;
    const next = (sv: Value): void => {
      // Base documents come from a JSON store whose keys are strings: data.x[2] reads key "2", as OPA does.
      if (isNumber(sv)) sv = String(sv);
      if (typeof sv === 'string') {
        const child = node.children.get(sv);
        this.walk(child, child ? child.path : [...at, sv], path, i + 1, b, k);
        return;
      }
      const v = this.docAt(node, at);
      const c = v === undefined ? undefined : deref(v, sv);
      if (c !== undefined) this.ev.evalPath(c, path, i + 1, b, k);
    };
    if (seg.value !== undefined) { next(seg.value); return; }
    if (seg.kind === 'var' && b.has(seg.name)) { next(b.get(seg.name)!); return; }
    if (this.ev.hasOpenVars(seg, b)) {
      const v = this.docAt(node, at);
      if (v !== undefined) this.ev.evalPath(v, path, i, b, k);
      return;
    }
    this.ev.evalTerm(seg, b, next);
  }

  /** Follows ground segments into base data, reading integer keys as their string form (store semantics). */
  private walkBase(v: Value, path: readonly Term[], i: number, b: Bindings, k: (v: Value) => void): void {
    for (; i < path.length; i++) {
      const seg = path[i]!;
      const sv = seg.value ?? (seg.kind === 'var' ? b.get(seg.name) : undefined);
      if (sv === undefined) break;
      const key = v instanceof RObject && isNumber(sv) && !v.has(sv) ? String(sv) : sv;
      const c = deref(v, key);
      if (c === undefined) return;
      v = c;
    }
    this.ev.evalPath(v, path, i, b, k);
  }

  /** A `with data…` value replacing the document at exactly `at`, with later deeper overrides applied. */
  private overlayAt(at: readonly string[]): Value | undefined {
    const ovs = this.ev.ctx.overlays;
    if (ovs.length === 0) return undefined;
    let idx = -1;
    for (let j = ovs.length - 1; j >= 0; j--) {
      if (ovs[j]!.path.length === at.length && startsWith(ovs[j]!.path, at)) { idx = j; break; }
    }
    if (idx < 0) return undefined;
    let v = ovs[idx]!.value;
    for (let j = idx + 1; j < ovs.length; j++) {
      const o = ovs[j]!;
      if (o.path.length > at.length && startsWith(o.path, at)) v = setPath(v, o.path.slice(at.length), o.value);
    }
    return v;
  }

  private applyOverlaysBelow(v: Value | undefined, at: readonly string[]): Value | undefined {
    for (const o of this.ev.ctx.overlays) {
      if (o.path.length > at.length && startsWith(o.path, at)) v = setPath(v, o.path.slice(at.length), o.value);
    }
    return v;
  }

  private plainDataAt(at: readonly string[]): Value | undefined {
    return this.applyOverlaysBelow(getPath(this.ev.ctx.data, at), at);
  }

  docAt(node: RuleNode, at: readonly string[]): Value | undefined {
    const ov = this.overlayAt(at);
    if (ov !== undefined) return ov;
    const cache = this.ev.ctx.cache;
    const key = node;
    const hit = cache.get(key);
    if (hit === PENDING) throw new RegoError('rego_recursion_error', `rule data.${at.join('.')} is recursive`, node.rules[0]?.loc);
    if (hit !== undefined || cache.has(key)) return hit;
    cache.set(key, PENDING);
    let v: Value | undefined;
    try {
      v = this.computeDoc(node, at);
    } catch (e) {
      cache.delete(key);
      throw e;
    }
    cache.set(key, v);
    return v;
  }

  private computeDoc(node: RuleNode, at: readonly string[]): Value | undefined {
    const base = getPath(this.ev.ctx.data, at);
    const children = node.docChildren();
    if (node.rules.length === 0 && children.length === 0) {
      const plain = this.plainDataAt(at);
      return plain === undefined && (node.isPackage || node.children.size > 0) ? this.newStructural() : plain;
    }
    let obj: RObject;
    const loc = node.rules[0]?.loc;
    if (node.rules.length > 0) {
      const v = this.evalRules(node);
      if (children.length === 0 && base === undefined) return this.applyOverlaysBelow(v, at);
      if (v === undefined) obj = this.newStructural();
      else if (v instanceof RObject && this.structural.has(v)) obj = this.copyStructural(v);
      else {
        for (const [name, c] of children) {
          if (this.docAt(c, [...at, name]) !== undefined) throw conflict('object keys must be unique', loc);
        }
        return this.applyOverlaysBelow(v, at);
      }
    } else {
      obj = this.newStructural();
    }
    for (const [name, c] of children) {
      const cv = this.docAt(c, [...at, name]);
      if (cv === undefined) continue;
      const prev = obj.get(name);
      obj.set(name, prev === undefined ? cv : this.merge(prev, cv, loc));
    }
    if (base instanceof RObject) {
      for (const [k, v] of base.pairs()) {
        const prev = obj.get(k);
        // A child node's document already includes the base data below it, unless its rules produced a value
        // where base data also has one: the parent's extent then takes the base value (OPA's mergeObjects).
        if (typeof k === 'string' && node.children.get(k)?.hasDocs()) {
          const merged = prev instanceof RObject && this.structural.has(prev);
          if (prev !== undefined && !merged) obj.set(k, this.baseOver(v, prev));
          continue;
        }
        obj.set(k, prev === undefined ? v : this.merge(prev, v, loc, true));
      }
    }
    return this.applyOverlaysBelow(obj, at);
  }

  private newStructural(): RObject {
    const o = new RObject();
    this.structural.add(o);
    return o;
  }

  private copyStructural(o: RObject): RObject {
    const c = copyObject(o);
    this.structural.add(c);
    return c;
  }

  /** Base data laid over a virtual document: objects merge key by key, and base wins any other overlap. */
  private baseOver(base: Value, virt: Value): Value {
    if (!(base instanceof RObject) || !(virt instanceof RObject)) return base;
    const out = this.copyStructural(virt);
    for (const [k, v] of base.pairs()) {
      const prev = out.get(k);
      out.set(k, prev === undefined ? v : this.baseOver(v, prev));
    }
    return out;
  }

  /** Merges two documents for one path; only structural objects/sets (or base data, when `base`) combine. */
  private merge(a: Value, b: Value, loc: Location | undefined, base = false): Value {
    const mergeable = (x: Value): boolean => base || this.structural.has(x as object);
    if (a instanceof RObject && b instanceof RObject && mergeable(a) && mergeable(b)) {
      const out = this.copyStructural(a);
      for (const [k, v] of b.pairs()) {
        const prev = out.get(k);
        out.set(k, prev === undefined ? v : this.merge(prev, v, loc, base));
      }
      return out;
    }
    if (a instanceof RSet && b instanceof RSet && mergeable(a) && mergeable(b)) {
      const out = new RSet([...a.values(), ...b.values()]);
      this.structural.add(out);
      return out;
    }
    if (equal(a, b)) return a;
    throw conflict('object keys must be unique', loc);
  }

  // ---- rules -------------------------------------------------------------------------------------------------

  private evalRules(node: RuleNode): Value | undefined {
    let complete: Value | undefined;
    let set: RSet | undefined;
    let obj: RObject | undefined;
    let def: CompiledRule | undefined;
    for (const r of node.rules) {
      if (r.isDefault) { def = r; continue; }
      if (r.rest.length === 0 && r.kind === 'multi') {
        const s = (set ??= new RSet());
        this.structural.add(s);
        this.evalChain(r, (cur, b, mark) => this.ev.evalTerm(cur.key!, b, (v) => { mark(); s.add(v); }));
      } else if (r.rest.length === 0) {
        this.evalChain(r, (cur, b, mark) => this.ev.evalTerm(cur.value, b, (v) => {
          mark();
          if (complete !== undefined && !equal(complete, v)) throw conflict('complete rules must not produce multiple outputs', cur.loc);
          complete = v;
        }));
      } else {
        const o = (obj ??= this.newStructural());
        this.evalChain(r, (cur, b, mark) => this.ev.evalList(cur.rest, b, (keys) => {
          if (cur.kind === 'multi') this.ev.evalTerm(cur.key!, b, (v) => { mark(); this.insert(o, keys, v, true, cur.loc); });
          else this.ev.evalTerm(cur.value, b, (v) => { mark(); this.insert(o, keys, v, false, cur.loc); });
        }));
      }
    }
    if (set) return set;
    if (obj) return obj;
    if (complete !== undefined) return complete;
    if (def) {
      let dv: Value | undefined;
      this.ev.evalTerm(def.value, new Map(), (v) => { dv = v; });
      return dv;
    }
    return undefined;
  }

  /**
   * Runs a rule and its `else` chain: the first element that produces a value gives the solutions. A body that
   * succeeds while its head value is undefined produces nothing (OPA moves head refs into the body), so the
   * chain goes on to `else`.
   */
  private evalChain(r: CompiledRule, onSolution: (cur: CompiledRule, b: Bindings, mark: () => void) => void): void {
    for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) {
      let produced = false;
      const mark = (): void => { produced = true; };
      const b: Bindings = new Map();
      const c = cur;
      this.ev.evalBody(c.body, 0, b, () => onSolution(c, b, mark));
      if (produced) return;
    }
  }

  private insert(root: RObject, keys: Value[], v: Value, multi: boolean, loc: Location): void {
    let cur = root;
    for (let i = 0; i < keys.length - 1; i++) {
      const next = cur.get(keys[i]!);
      if (next === undefined) { const o = this.newStructural(); cur.set(keys[i]!, o); cur = o; }
      else if (next instanceof RObject && this.structural.has(next)) cur = next;
      else throw conflict('object keys must be unique', loc);
    }
    const lastKey = keys[keys.length - 1]!;
    const prev = cur.get(lastKey);
    if (multi) {
      if (prev === undefined) { const s = new RSet([v]); this.structural.add(s); cur.set(lastKey, s); }
      else if (prev instanceof RSet && this.structural.has(prev)) prev.add(v);
      else throw conflict('object keys must be unique', loc);
      return;
    }
    if (prev !== undefined && !equal(prev, v)) throw conflict('object keys must be unique', loc);
    cur.set(lastKey, v);
  }

  // ---- functions ---------------------------------------------------------------------------------------------

  callFunction(path: readonly string[], args: Value[], emit: (v: Value) => void): void {
    const node = this.ev.program.root.find(path);
    const defs = node?.funcs ?? [];
    let result: Value | undefined;
    let def: CompiledRule | undefined;
    for (const r of defs) {
      if (r.isDefault) { def = r; continue; }
      for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) {
        let produced = false;
        const b: Bindings = new Map();
        const c = cur;
        this.unifyArgs(c.args ?? [], args, 0, b, () => this.ev.evalBody(c.body, 0, b, () => {
          this.ev.evalTerm(c.value, b, (v) => {
            produced = true;
            if (result !== undefined && !equal(result, v)) {
              throw conflict('functions must not produce multiple outputs for same inputs', c.loc);
            }
            result = v;
          });
        }));
        if (produced) break;
      }
    }
    if (result === undefined && def) this.ev.evalTerm(def.value, new Map(), (v) => { result = v; });
    if (result !== undefined) emit(result);
  }

  private unifyArgs(ts: readonly Term[], vs: readonly Value[], i: number, b: Bindings, k: () => void): void {
    if (i === ts.length) { k(); return; }
    this.ev.unifyValue(ts[i]!, vs[i]!, b, () => this.unifyArgs(ts, vs, i + 1, b, k));
  }
}
