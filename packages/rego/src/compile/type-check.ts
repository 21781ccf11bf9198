/**
 * Static checks of builtin calls, as OPA's type checker (ast/check.go) makes them, for what is known before
 * evaluation: literals, composite literals, variables assigned from them or from a builtin's declared result.
 * References to documents are not typed here (OPA types rule values too; we leave those to evaluation, where the
 * builtin reports `eval_type_error`), so the checker never rejects a call OPA accepts.
 * Also refuses deprecated builtins (removed from Rego v1) and builtins that reach outside the policy unless enabled.
 * Runs once per compilation; evaluation never sees it.
 */
import type { Body, CallTerm, Expr, Term } from '../ast/types.ts';
import { BUILTIN_DECLS, DEPRECATED_BUILTINS, OUTSIDE_BUILTINS } from '../builtins/decls.ts';
import type { BuiltinDecl } from '../builtins/decls.ts';
import { RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { ANY, parseType, T_BOOLEAN, T_NULL, T_NUMBER, T_STRING, typeString, union, unifies } from './rego-types.ts';
import type { RType } from './rego-types.ts';

interface ParsedDecl { readonly args: readonly RType[]; readonly result: RType | undefined }

const PARSED = new Map<string, ParsedDecl>();

function parsedDecl(name: string): ParsedDecl | undefined {
  let p = PARSED.get(name);
  if (p) return p;
  const d: BuiltinDecl | undefined = BUILTIN_DECLS.get(name);
  if (!d || d.variadic) return undefined;
  p = { args: d.args.map(parseType), result: d.result === undefined ? undefined : parseType(d.result) };
  PARSED.set(name, p);
  return p;
}

export interface TypeCheckOptions {
  /** Builtins that reach outside the policy and the caller allows (see OUTSIDE_BUILTINS). */
  readonly allowBuiltins: ReadonlySet<string>;
}

/** `(a, b)` as OPA formats argument lists in `have:` / `want:` lines. */
function formatArgs(ts: readonly (RType | undefined)[]): string {
  return `(${ts.map(typeString).join(', ')})`;
}

/** The `have`/`want` detail lines OPA appends to an argument error. */
export function argErrorDetail(have: readonly (RType | undefined)[], name: string): string {
  const d = parsedDecl(name);
  if (!d) return '';
  const want = d.result ? [...d.args, d.result] : d.args;
  return `\n\thave: ${formatArgs(have)}\n\twant: ${formatArgs(want)}`;
}

export class TypeChecker {
  private readonly errors: RegoError[];
  private readonly opts: TypeCheckOptions;
  /** Types of variables known so far; names are unique per rule after resolution, so one map serves a rule. */
  private env = new Map<string, RType>();

  constructor(errors: RegoError[], opts: TypeCheckOptions) {
    this.errors = errors;
    this.opts = opts;
  }

  /** Checks one rule (or query): its body in evaluation order, then its head terms. */
  checkRule(body: Body, heads: readonly Term[]): void {
    this.env = new Map();
    this.body(body);
    for (const h of heads) this.term(h, h.loc);
  }

  private body(body: Body): void {
    for (const e of body) this.expr(e);
  }

  private expr(e: Expr): void {
    for (const w of e.withs) this.term(w.value, w.loc);
    const n = e.node;
    switch (n.kind) {
      case 'term': {
        const t = n.term;
        if (t.kind === 'call' && t.target?.kind === 'special') {
          for (const a of t.args) this.term(a, e.loc);
          if (!e.negated) this.bindEquality(t.args[0]!, t.args[1]!);
          return;
        }
        if (t.kind === 'call') this.call(t, e.loc, false); else this.term(t, e.loc);
        return;
      }
      case 'somein': this.term(n.domain, e.loc); return;
      case 'every': this.term(n.domain, e.loc); this.nested(n.body); return;
      case 'body': this.nested(n.body); return;
      case 'some': return;
    }
  }

  /**
   * A nested body (comprehension, `every`, `not { … }`): variables it types stay inside, because an undeclared
   * name in two comprehensions is two different variables.
   */
  private nested(body: Body, heads: readonly Term[] = []): void {
    const saved = this.env;
    this.env = new Map(saved);
    this.body(body);
    for (const h of heads) this.term(h, h.loc);
    this.env = saved;
  }

  /** `x := 1`, `x = count(y)`: the variable takes the other side's type, when that is known. */
  private bindEquality(l: Term, r: Term): void {
    if (l.kind === 'var' && !this.env.has(l.name)) { const t = this.typeOf(r); if (t) this.env.set(l.name, t); }
    if (r.kind === 'var' && !this.env.has(r.name)) { const t = this.typeOf(l); if (t) this.env.set(r.name, t); }
  }

  private term(t: Term, loc: Location): void {
    switch (t.kind) {
      case 'scalar': case 'var': return;
      case 'ref': this.term(t.head, loc); for (const p of t.path) this.term(p, loc); return;
      case 'array': case 'set': for (const i of t.items) this.term(i, loc); return;
      case 'object': for (const [k, v] of t.pairs) { this.term(k, loc); this.term(v, loc); } return;
      case 'arraycomp': case 'setcomp': this.nested(t.body, [t.term]); return;
      case 'objectcomp': this.nested(t.body, [t.key, t.val]); return;
      case 'call': this.call(t, loc, true); return;
    }
  }

  private error(msg: string, loc: Location): void {
    this.errors.push(new RegoError('rego_type_error', msg, loc));
  }

  /** `nested`: the call is an operand, so (as after OPA's rewriting) it has an output the `have:` line shows. */
  private call(t: CallTerm, loc: Location, nested: boolean): void {
    for (const a of t.args) this.term(a, loc);
    if (t.target?.kind !== 'builtin') return;
    const name = t.target.name;
    if (DEPRECATED_BUILTINS.has(name)) {
      this.error(`deprecated built-in function calls in expression: ${name}`, loc);
      return;
    }
    if (OUTSIDE_BUILTINS.has(name) && !this.opts.allowBuiltins.has(name)) {
      this.error(`${name}: refused: this builtin reaches outside the policy (network or host); enable it with the compile option allowBuiltins: ['${name}']`, loc);
      return;
    }
    const d = parsedDecl(name);
    if (!d) return;
    for (let i = 0; i < d.args.length && i < t.args.length; i++) {
      if (!this.accepts(t.args[i]!, d.args[i]!)) {
        const have = t.args.map((a) => this.haveOf(a));
        if (nested && t.args.length === d.args.length && d.result) have.push(undefined);
        this.error(`${name}: invalid argument(s)${argErrorDetail(have, name)}`, loc);
        return;
      }
    }
    const out = t.args[d.args.length];
    if (out?.kind === 'var' && d.result && !this.env.has(out.name)) this.env.set(out.name, d.result);
  }

  /**
   * OPA's `unify1`: whether a term can hold a value of the declared type. Composite literals are matched element
   * by element (an object literal may leave out keys a declared object type names); other terms by their type.
   */
  private accepts(t: Term, want: RType): boolean {
    if (want.k === 'any') return want.of.length === 0 || want.of.some((w) => this.accepts(t, w));
    switch (t.kind) {
      case 'array':
        if (want.k !== 'array' || (t.items.length !== want.static.length && !want.dynamic)) return false;
        return t.items.every((x, i) => { const w = i < want.static.length ? want.static[i] : want.dynamic; return w !== undefined && this.accepts(x, w); });
      case 'set':
        return want.k === 'set' && t.items.every((x) => this.accepts(x, want.of));
      case 'object': {
        if (want.k !== 'object' || (t.pairs.length !== want.static.length && !want.dynamic)) return false;
        return t.pairs.every(([k, v]) => {
          if (k.kind !== 'scalar') return true;
          const w = want.static.find(([name]) => name === k.scalar)?.[1] ?? want.dynamic?.[1];
          return w !== undefined && this.accepts(v, w);
        });
      }
      default: {
        const have = this.typeOf(t);
        return have === undefined || unifies(have, want);
      }
    }
  }

  /** A term's type for a `have:` line: unknown variables print as OPA's `???`, other unknowns as `any`. */
  private haveOf(t: Term): RType | undefined {
    return this.typeOf(t) ?? (t.kind === 'var' ? undefined : ANY);
  }

  /** The statically known type of a term, or undefined when only evaluation can tell. */
  typeOf(t: Term): RType | undefined {
    switch (t.kind) {
      case 'scalar': {
        const s = t.scalar;
        if (s === null) return T_NULL;
        if (typeof s === 'string') return T_STRING;
        if (typeof s === 'boolean') return T_BOOLEAN;
        return T_NUMBER;
      }
      case 'var': return this.env.get(t.name);
      case 'array': return { k: 'array', static: t.items.map((i) => this.typeOf(i) ?? ANY), dynamic: undefined };
      case 'set': return { k: 'set', of: t.items.length === 0 ? ANY : union(t.items.map((i) => this.typeOf(i) ?? ANY)) };
      case 'object': {
        const keys = t.pairs.map(([k]) => (k.kind === 'scalar' && typeof k.scalar === 'string' ? k.scalar : undefined));
        if (keys.every((k): k is string => k !== undefined)) {
          return { k: 'object', static: t.pairs.map(([, v], i) => [keys[i]!, this.typeOf(v) ?? ANY] as const), dynamic: undefined };
        }
        return { k: 'object', static: [], dynamic: [ANY, ANY] };
      }
      case 'arraycomp': return { k: 'array', static: [], dynamic: ANY };
      case 'setcomp': return { k: 'set', of: ANY };
      case 'objectcomp': return { k: 'object', static: [], dynamic: [ANY, ANY] };
      case 'call': {
        if (t.target?.kind !== 'builtin') return undefined;
        const d = parsedDecl(t.target.name);
        return d && t.args.length === d.args.length ? d.result : undefined;
      }
      case 'ref': return undefined;
    }
  }
}
