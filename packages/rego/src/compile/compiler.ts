/**
 * The compiler's stages, in order (as OPA runs them as a table): parse → collect rule names per package →
 * resolve names and declared vars → reorder bodies for safety → fold constants → index rules in the tree.
 * All problems are collected and thrown together as one RegoCompileError.
 */
import { callTerm, parseModule, parseQuery } from '../ast/parser.ts';
import type { Body, CallTarget, Expr, Module, RefTerm, Rule, Term } from '../ast/types.ts';
import type { Builtin } from '../builtins/types.ts';
import { RegoCompileError, RegoError } from '../errors.ts';
import type { Value } from '../value.ts';
import { RuleNode } from './program.ts';
import type { CompiledRule, Program } from './program.ts';
import { Resolver, Scope } from './resolve.ts';
import type { ResolveEnv } from './resolve.ts';
import { checkRecursion } from './recursion.ts';
import { Safety } from './safety.ts';
import { addAllVars, foldBody, foldConstants } from './term-vars.ts';
import { AnnotationIndex, inlineMetadataCalls, parseAnnotations } from './metadata.ts';
import type { ModuleAnnotations } from './metadata.ts';
import { checkDataConflicts, checkPackageConflicts, checkRuleKinds } from './conflicts.ts';
import { TypeChecker } from './type-check.ts';

const TRUE = (loc: Rule['loc']): Term => ({ kind: 'scalar', scalar: true, loc, value: true });

/** Builtins handled inside the evaluator with variadic operands. */
const VARIADIC = new Set(['print']);

export function makeArityOf(builtins: ReadonlyMap<string, Builtin>, funcArity: ReadonlyMap<string, number>) {
  return (t: CallTarget): number | undefined => {
    if (t.kind === 'builtin') return VARIADIC.has(t.name) ? Infinity : builtins.get(t.name)?.arity;
    if (t.kind === 'func') return funcArity.get(JSON.stringify(t.path));
    return undefined;
  };
}

function groundPrefix(ref: Term[]): { names: string[]; rest: Term[] } {
  const names: string[] = [];
  let i = 0;
  for (; i < ref.length; i++) {
    const t = ref[i]!;
    if (t.kind !== 'scalar' || typeof t.scalar !== 'string') break;
    names.push(t.scalar);
  }
  return { names, rest: ref.slice(i) };
}

export interface CompileOptions {
  /** Builtins that reach outside the policy (http.send, net.lookup_ip_addr, opa.runtime) the caller allows. */
  readonly allowBuiltins?: Iterable<string> | undefined;
  /** Base documents known at compile time (a bundle's data): a rule where they hold a value is an error. */
  readonly baseData?: Value | undefined;
}

export function compileProgram(
  sources: readonly { path: string; source: string }[],
  builtins: ReadonlyMap<string, Builtin>,
  options: CompileOptions = {},
): Program {
  const errors: RegoError[] = [];
  const modules: Module[] = [];
  const annotations = new AnnotationIndex();
  const annotated: [Module, ModuleAnnotations, string][] = [];
  for (const s of sources) {
    try {
      const m = parseModule(s.path, s.source);
      modules.push(m);
      annotated.push([m, parseAnnotations(m, s.source, errors), s.source]);
    } catch (e) {
      if (e instanceof RegoError) errors.push(e); else throw e;
    }
  }
  if (errors.length > 0) throw new RegoCompileError(errors);
  const rulePath = (m: Module, r: Rule): string[] => [...m.pkg, ...groundPrefix(r.ref).names];
  for (const [m, a] of annotated) annotations.add(m, a, (r) => rulePath(m, r));
  for (const [m, , source] of annotated) {
    if (!source.includes('rego.metadata')) continue;
    for (const r of m.rules) {
      inlineMetadataCalls(r, (which) => (which === 'rule' ? annotations.rule(r) : annotations.chain(r, m.pkg, rulePath(m, r))));
    }
  }

  const ruleNames = new Map<string, Set<string>>();
  const funcArity = new Map<string, number>();
  for (const m of modules) {
    const key = JSON.stringify(m.pkg);
    const names = ruleNames.get(key) ?? new Set<string>();
    ruleNames.set(key, names);
    for (const r of m.rules) {
      const head = r.ref[0];
      if (head?.kind === 'scalar' && typeof head.scalar === 'string') names.add(head.scalar);
      if (r.args) {
        const { names: g, rest } = groundPrefix(r.ref);
        if (rest.length > 0) errors.push(new RegoError('rego_parse_error', 'function name must be a ground reference', r.loc));
        const k = JSON.stringify([...m.pkg, ...g]);
        // Two arities under one name are reported by checkRuleKinds (OPA: conflicting rules).
        if (!funcArity.has(k)) funcArity.set(k, r.args.length);
      }
    }
  }
  const funcPaths = new Set(funcArity.keys());
  const arityOf = makeArityOf(builtins, funcArity);
  const safety = new Safety(arityOf, errors);
  const root = new RuleNode([]);
  const all: CompiledRule[] = [];
  const builtinNames = new Set(builtins.keys());

  for (const m of modules) {
    root.descend(m.pkg).isPackage = true;
    const imports = new Map<string, RefTerm>();
    const importText = new Map<string, string>();
    for (const r of m.rules) {
      const head = r.ref[0];
      if (head?.kind === 'scalar' && (head.scalar === 'input' || head.scalar === 'data')) {
        errors.push(new RegoError('rego_compile_error', `rules must not shadow ${head.scalar} (use a different rule name)`, r.loc));
      }
    }
    for (const imp of m.imports) {
      const head = imp.path.head;
      if (head.kind !== 'var') { errors.push(new RegoError('rego_parse_error', 'invalid import path', imp.loc)); continue; }
      if (head.name === 'rego' || head.name === 'future') continue;
      if (head.name !== 'data' && head.name !== 'input') {
        errors.push(new RegoError('rego_parse_error', `invalid import path: must begin with input or data`, imp.loc));
        continue;
      }
      const last = imp.path.path[imp.path.path.length - 1];
      const alias = imp.alias ?? (last ? (last.kind === 'scalar' ? String(last.scalar) : undefined) : head.name);
      if (!alias) continue;
      const text = [head.name, ...imp.path.path.map((p) => (p.kind === 'scalar' ? String(p.scalar) : '?'))].join('.');
      const first = importText.get(alias);
      if (first !== undefined) errors.push(new RegoError('rego_compile_error', `import must not shadow import ${first}`, imp.loc));
      else importText.set(alias, text);
      imports.set(alias, imp.path);
    }
    const env: ResolveEnv = {
      pkg: m.pkg, ruleNames: ruleNames.get(JSON.stringify(m.pkg))!, imports, builtins: builtinNames, funcPaths, errors, arityOf,
    };
    const resolver = new Resolver(env);
    for (const r of m.rules) {
      const compiled = compileRule(r, m, resolver, safety);
      if (!compiled) continue;
      all.push(compiled);
      const node = root.descend(compiled.prefix);
      if (compiled.kind === 'func') node.funcs.push(compiled); else node.rules.push(compiled);
    }
  }
  checkRuleKinds(root, errors);
  checkPackageConflicts(modules, errors);
  if (options.baseData !== undefined) checkDataConflicts(root, options.baseData, errors);
  if (errors.length === 0) checkRecursion(root, errors);
  const allowBuiltins = new Set(options.allowBuiltins ?? []);
  if (errors.length === 0) {
    const checker = new TypeChecker(errors, { allowBuiltins });
    for (const r of all) {
      for (let c: CompiledRule | undefined = r; c; c = c.else) {
        checker.checkRule(c.body, [...c.rest, ...(c.key ? [c.key] : []), c.value]);
      }
    }
  }
  if (errors.length > 0) throw new RegoCompileError(errors);
  const packages = [...new Set(modules.map((m) => m.pkg.join('.')))];
  return { root, builtins, funcArity, packages, rules: all, allowBuiltins };
}

function compileRule(r: Rule, m: Module, resolver: Resolver, safety: Safety): CompiledRule | undefined {
  const { names, rest: rawRest } = groundPrefix(r.ref);
  const prefix = [...m.pkg, ...names];
  const kind = r.args ? 'func' : r.key ? 'multi' : 'single';
  let elseRule: CompiledRule | undefined;
  if (r.else) elseRule = compileRule(r.else, m, resolver, safety);
  const scope = new Scope();
  // An argument that computes (a call, a template string) is matched after the body, as OPA rewrites it: the
  // parameter becomes a variable and the body ends with `variable = argument`.
  const computed: Expr[] = [];
  const rawArgs = r.args?.map((a, i): Term => {
    if (!computes(a)) return a;
    const v: Term = { kind: 'var', name: `$arg${i}`, loc: a.loc };
    computed.push({ node: { kind: 'term', term: callTerm('eq', [v, a], a.loc) }, negated: false, withs: [], loc: a.loc });
    return v;
  });
  const args = rawArgs?.map((a) => { resolver.declarePattern(a, scope, false); return resolver.term(a, scope); });
  const body = resolver.body(computed.length > 0 ? [...r.body, ...computed] : r.body, scope);
  const rest = rawRest.map((t) => resolver.term(t, scope));
  const key = r.key && resolver.term(r.key, scope);
  const value = r.value ? resolver.term(r.value, scope) : TRUE(r.loc);
  const bound = new Set<string>();
  for (const a of args ?? []) addAllVars(a, bound);
  const outer = new Set(bound);
  for (const t of [...rest, ...(key ? [key] : []), value]) addAllVars(t, outer);
  const ordered = safety.reorder(body, bound, outer);
  const headTerms = [...rest, ...(key ? [key] : []), value];
  const asExpr = (t: Term): Expr => ({ node: { kind: 'term', term: t }, negated: false, withs: [], loc: t.loc });
  safety.reorder(headTerms.map(asExpr), ordered.bound, ordered.bound);
  foldBody(ordered.body);
  for (const t of headTerms) foldConstants(t);
  for (const a of args ?? []) foldConstants(a);
  return {
    kind, isDefault: r.isDefault, loc: r.loc, prefix, rest, args, key, value, body: ordered.body, else: elseRule,
  };
}

/** Whether an argument is itself a computation (a call such as a template string, a comprehension). */
function computes(t: Term): boolean {
  return t.kind === 'call' || t.kind === 'arraycomp' || t.kind === 'setcomp' || t.kind === 'objectcomp';
}

export interface CompiledQuery {
  readonly body: Body;
  /** Variables reported per solution: evaluation name → name shown to the caller. */
  readonly outputs: ReadonlyMap<string, string>;
}

export function compileQuery(program: Program, source: string): CompiledQuery {
  const errors: RegoError[] = [];
  let parsed: Body;
  try { parsed = parseQuery(source); } catch (e) {
    if (e instanceof RegoError) throw new RegoCompileError([e]);
    throw e;
  }
  const env: ResolveEnv = {
    pkg: [], ruleNames: new Set(), imports: new Map(), builtins: new Set(program.builtins.keys()),
    funcPaths: new Set(program.funcArity.keys()), errors, arityOf: makeArityOf(program.builtins, program.funcArity),
  };
  const resolver = new Resolver(env);
  const body = resolver.body(parsed, new Scope());
  const safety = new Safety(makeArityOf(program.builtins, program.funcArity), errors);
  const ordered = safety.reorder(body, new Set(), new Set());
  if (errors.length === 0) new TypeChecker(errors, { allowBuiltins: program.allowBuiltins }).checkRule(ordered.body, []);
  if (errors.length > 0) throw new RegoCompileError(errors);
  foldBody(ordered.body);
  const outputs = new Map<string, string>();
  for (const v of ordered.bound) if (!v.startsWith('$')) outputs.set(v, v.replace(/\$\d+$/, ''));
  return { body: ordered.body, outputs };
}
