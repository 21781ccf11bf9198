/**
 * Name resolution: turns names into what they mean. Rule names and import aliases become `data`/`input` refs;
 * calls get a target (builtin or user function); `with` targets are classified. Variables declared with
 * `some`, `:=`, `every` or as function arguments get unique names (`x$3`) so that shadowing can never make two
 * different variables collide at evaluation time; undeclared variables keep their names (they are shared by the
 * body and its comprehensions, as in OPA).
 */
import type { Body, CallTarget, Expr, RefTerm, Term, With, WithTarget } from '../ast/types.ts';
import { RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { makeNumber } from '../value.ts';
import type { Value } from '../value.ts';
import { ANY } from './rego-types.ts';
import { isRootName } from './term-vars.ts';
import { argErrorDetail } from './type-check.ts';

export interface ResolveEnv {
  readonly pkg: readonly string[];
  /** First segments of every rule in the package (across files). */
  readonly ruleNames: ReadonlySet<string>;
  readonly imports: ReadonlyMap<string, RefTerm>;
  readonly builtins: ReadonlySet<string>;
  /** JSON text of each function's full path, e.g. `["test","f"]`. */
  readonly funcPaths: ReadonlySet<string>;
  readonly errors: RegoError[];
  /** Operand count of a resolved call target, to reject calls with too many or too few arguments. */
  readonly arityOf?: (target: CallTarget) => number | undefined;
}

let counter = 0;

export class Scope {
  readonly vars = new Map<string, string>();
  readonly parent: Scope | undefined;
  constructor(parent?: Scope) { this.parent = parent; }
  lookup(name: string): string | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }
  declare(name: string): string {
    const unique = `${name}$${++counter}`;
    this.vars.set(name, unique);
    return unique;
  }
}

export function freshWildcard(): string {
  return `$_${++counter}`;
}

export class Resolver {
  private readonly env: ResolveEnv;
  constructor(env: ResolveEnv) { this.env = env; }

  private error(msg: string, loc: Location, code: RegoError['code'] = 'rego_compile_error'): void {
    this.env.errors.push(new RegoError(code, msg, loc));
  }

  /** Declares every variable in a pattern term (for `some x in`, `:=`, `every`, function args). */
  declarePattern(t: Term, scope: Scope, checkAssigned: boolean): void {
    switch (t.kind) {
      case 'var':
        if (t.name === '_') return;
        if (checkAssigned && scope.vars.has(t.name)) this.error(`var ${t.name} assigned above`, t.loc);
        if (isRootName(t.name)) { this.error(`variables must not shadow ${t.name} (use a different variable name)`, t.loc); return; }
        scope.declare(t.name);
        return;
      case 'array': for (const i of t.items) this.declarePattern(i, scope, checkAssigned); return;
      case 'object': for (const [, v] of t.pairs) this.declarePattern(v, scope, checkAssigned); return;
      default: return;
    }
  }

  term(t: Term, scope: Scope): Term {
    switch (t.kind) {
      case 'scalar': return t;
      case 'var': return this.varTerm(t.name, t.loc, scope);
      case 'ref': {
        const head = this.term(t.head, scope);
        const path = t.path.map((p) => this.term(p, scope));
        if (head.kind === 'ref') return { kind: 'ref', head: head.head, path: [...head.path, ...path], loc: t.loc };
        return { kind: 'ref', head, path, loc: t.loc };
      }
      case 'array': return { kind: 'array', items: t.items.map((i) => this.term(i, scope)), loc: t.loc };
      case 'set': return { kind: 'set', items: t.items.map((i) => this.term(i, scope)), loc: t.loc };
      case 'object': return { kind: 'object', pairs: t.pairs.map(([k, v]) => [this.term(k, scope), this.term(v, scope)]), loc: t.loc };
      case 'arraycomp': case 'setcomp': {
        const inner = new Scope(scope);
        const body = this.body(t.body, inner);
        return { kind: t.kind, term: this.term(t.term, inner), body, loc: t.loc } as Term;
      }
      case 'objectcomp': {
        const inner = new Scope(scope);
        const body = this.body(t.body, inner);
        return { kind: 'objectcomp', key: this.term(t.key, inner), val: this.term(t.val, inner), body, loc: t.loc };
      }
      case 'call': {
        const args = t.args.map((a) => this.term(a, scope));
        const target = this.callTarget(t.fn, scope);
        const call: Term = { kind: 'call', fn: t.fn, args, loc: t.loc, ...(target ? { target } : {}) };
        this.checkArity(call);
        return call;
      }
    }
  }

  private varTerm(name: string, loc: Location, scope: Scope): Term {
    if (name === '_') return { kind: 'var', name: freshWildcard(), loc };
    const local = scope.lookup(name);
    if (local !== undefined) return { kind: 'var', name: local, loc };
    if (isRootName(name)) return { kind: 'var', name, loc };
    const imp = this.env.imports.get(name);
    if (imp) return { kind: 'ref', head: imp.head, path: [...imp.path], loc };
    if (this.env.ruleNames.has(name)) {
      return { kind: 'ref', head: { kind: 'var', name: 'data', loc }, path: [...this.env.pkg, name].map((s) => ({ kind: 'scalar', scalar: s, loc })), loc };
    }
    return { kind: 'var', name, loc };
  }

  /** The dotted name of a function term, when it is one (`f`, `a.b.c`). */
  private dotted(fn: Term): string[] | undefined {
    if (fn.kind === 'var') return [fn.name];
    if (fn.kind === 'ref' && fn.head.kind === 'var') {
      const out = [fn.head.name];
      for (const p of fn.path) {
        if (p.kind !== 'scalar' || typeof p.scalar !== 'string') return undefined;
        out.push(p.scalar);
      }
      return out;
    }
    return undefined;
  }

  /** Resolves a function name to a user function or builtin; undefined (with an error recorded) if neither. */
  fnTarget(fn: Term, scope: Scope): CallTarget | undefined {
    const name = this.dotted(fn);
    if (!name) return undefined;
    const [head, ...rest] = name as [string, ...string[]];
    let full: string[] | undefined;
    if (scope.lookup(head) === undefined) {
      const imp = this.env.imports.get(head);
      if (imp && imp.head.kind === 'var' && imp.head.name === 'data') {
        const ip = imp.path.map((p) => (p.kind === 'scalar' ? String(p.scalar) : '?'));
        full = [...ip, ...rest];
      } else if (this.env.ruleNames.has(head)) {
        full = [...this.env.pkg, head, ...rest];
      } else if (head === 'data') {
        full = rest;
      }
    }
    if (full && this.env.funcPaths.has(JSON.stringify(full))) return { kind: 'func', path: full };
    const dotted = name.join('.');
    if (dotted === 'eq' || dotted === 'assign') return { kind: 'special', name: dotted };
    if (!full && this.env.builtins.has(dotted)) return { kind: 'builtin', name: dotted };
    return undefined;
  }

  private callTarget(fn: Term, scope: Scope): CallTarget | undefined {
    const target = this.fnTarget(fn, scope);
    if (!target) {
      const name = this.dotted(fn);
      this.error(`undefined function ${name ? name.join('.') : '(non-name)'}`, fn.loc, 'rego_type_error');
    }
    return target;
  }

  /** A call passes its operands and, optionally, one output argument. */
  checkArity(t: Extract<Term, { kind: 'call' }>): void {
    const arity = t.target && this.env.arityOf?.(t.target);
    if (arity === undefined || !Number.isFinite(arity)) return;
    // OPA names a user function by its full path (`data.pkg.f`), a builtin by its name.
    const name = t.target?.kind === 'func' ? ['data', ...t.target.path].join('.') : this.dotted(t.fn)?.join('.') ?? 'function';
    const detail = (): string => (t.target?.kind === 'builtin' ? argErrorDetail(t.args.map(() => ANY), t.target.name) : '');
    if (t.target?.kind === 'func') {
      if (t.args.length < arity || t.args.length > arity + 1) {
        this.error(`function ${name} has arity ${arity}, got ${t.args.length} arguments`, t.loc, 'rego_type_error');
      }
      return;
    }
    if (t.args.length < arity) this.error(`${name}: too few arguments${detail()}`, t.loc, 'rego_type_error');
    if (t.args.length > arity + 1) this.error(`${name}: too many arguments${detail()}`, t.loc, 'rego_type_error');
  }

  body(body: Body, scope: Scope): Body {
    return body.map((e) => this.expr(e, scope));
  }

  private expr(e: Expr, scope: Scope): Expr {
    const withs = e.withs.map((w) => this.with(w, scope));
    const n = e.node;
    switch (n.kind) {
      case 'some': {
        const vars: Term[] = [];
        for (const v of n.vars) {
          if (v.kind !== 'var') { this.error('expected a variable after some', v.loc, 'rego_parse_error'); continue; }
          vars.push({ kind: 'var', name: v.name === '_' ? freshWildcard() : scope.declare(v.name), loc: v.loc });
        }
        return { node: { kind: 'some', vars }, negated: e.negated, withs, loc: e.loc };
      }
      case 'somein': {
        const domain = this.term(n.domain, scope);
        if (n.key) this.declarePattern(n.key, scope, false);
        this.declarePattern(n.val, scope, false);
        const node = { kind: 'somein' as const, key: n.key && this.term(n.key, scope), val: this.term(n.val, scope), domain };
        return { node, negated: e.negated, withs, loc: e.loc };
      }
      case 'every': {
        const domain = this.term(n.domain, scope);
        const inner = new Scope(scope);
        if (n.key) this.declarePattern(n.key, inner, false);
        this.declarePattern(n.val, inner, false);
        const key = n.key && this.term(n.key, inner), val = this.term(n.val, inner);
        const body = this.body(n.body, inner);
        return { node: { kind: 'every', key, val, domain, body }, negated: e.negated, withs, loc: e.loc };
      }
      case 'body':
        return { node: { kind: 'body', body: this.body(n.body, new Scope(scope)) }, negated: e.negated, withs, loc: e.loc };
      case 'term': {
        const t = n.term;
        if (t.kind === 'call' && t.fn.kind === 'var' && t.fn.name === 'assign' && t.args.length === 2) {
          const rhs = this.term(t.args[1]!, scope);
          const lhsRaw = t.args[0]!;
          if (lhsRaw.kind !== 'var' && lhsRaw.kind !== 'array' && lhsRaw.kind !== 'object') {
            this.error('cannot assign to ' + lhsRaw.kind, lhsRaw.loc);
          }
          this.declarePattern(lhsRaw, scope, true);
          const lhs = this.term(lhsRaw, scope);
          const call: Term = { kind: 'call', fn: t.fn, args: [lhs, rhs], loc: t.loc, target: { kind: 'special', name: 'assign' } };
          return { node: { kind: 'term', term: call }, negated: e.negated, withs, loc: e.loc };
        }
        return { node: { kind: 'term', term: this.term(t, scope) }, negated: e.negated, withs, loc: e.loc };
      }
    }
  }

  private with(w: With, scope: Scope): With {
    const value = this.term(w.value, scope);
    const out: With = { target: w.target, value, loc: w.loc };
    const resolved = this.withTarget(w.target, scope);
    if (resolved) out.resolved = resolved;
    else this.error('with keyword target must reference existing input, data, or a function', w.target.loc, 'rego_type_error');
    if (w.value.kind === 'var' || w.value.kind === 'ref') {
      const head = w.value.kind === 'var' ? w.value : w.value.head;
      const isLocal = head.kind === 'var' && scope.lookup(head.name) !== undefined;
      const ft = isLocal ? undefined : this.fnTarget(w.value, scope);
      if (ft && ft.kind !== 'special') out.fnValue = ft;
    }
    return out;
  }

  private withTarget(target: Term, scope: Scope): WithTarget | undefined {
    const ft = this.fnTarget(target, scope);
    if (ft && ft.kind === 'builtin') return { kind: 'builtin', name: ft.name };
    if (ft && ft.kind === 'func') return { kind: 'func', path: ft.path };
    const r = this.term(target, scope);
    const ref: RefTerm | undefined = r.kind === 'ref' ? r : r.kind === 'var' ? { kind: 'ref', head: r, path: [], loc: r.loc } : undefined;
    if (!ref || ref.head.kind !== 'var' || !isRootName(ref.head.name)) return undefined;
    const path: Value[] = [];
    for (const p of ref.path) {
      if (p.kind !== 'scalar') return undefined;
      path.push(typeof p.scalar === 'number' || typeof p.scalar === 'bigint' ? makeNumber(p.scalar) : p.scalar);
    }
    if (ref.head.name === 'input') return { kind: 'input', path };
    const strings = path.filter((p): p is string => typeof p === 'string');
    return strings.length === path.length ? { kind: 'data', path: strings } : undefined;
  }
}
