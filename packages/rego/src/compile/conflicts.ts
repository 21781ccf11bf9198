/**
 * OPA's rule-conflict checks (compile.go checkRuleConflicts), with its messages: one kind of rule per path, one
 * default, no document below a rule whose value is complete, no package inside such a rule, and — when the base
 * documents are known at compile time (a bundle's data) — no rule where base data already has a value.
 */
import type { Module, Term } from '../ast/types.ts';
import { RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { RObject } from '../value.ts';
import type { Value } from '../value.ts';
import type { CompiledRule, RuleNode } from './program.ts';

const at = (l: Location): string => `${l.file}:${l.row}`;

/** How OPA prints a rule's head ref after the data path: `p[x]`, `p.q`. */
function refText(base: readonly string[], rest: readonly Term[]): string {
  let s = ['data', ...base].join('.');
  for (const t of rest) {
    if (t.kind === 'scalar' && typeof t.scalar === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.scalar)) s += `.${t.scalar}`;
    else if (t.kind === 'var') s += `[${t.name.replace(/\$\d+$/, '')}]`;
    else s += '[…]';
  }
  return s;
}

export function checkRuleKinds(n: RuleNode, errors: RegoError[]): void {
  const name = ['data', ...n.path].join('.');
  const all: CompiledRule[] = [...n.rules, ...n.funcs];
  const arities = new Set(n.funcs.map((f) => f.args?.length ?? 0));
  const shapes = new Set(n.rules.filter((r) => !r.isDefault).map((r) => `${r.kind}/${r.rest.length > 0}`));
  if ((n.rules.length > 0 && n.funcs.length > 0) || shapes.size > 1 || arities.size > 1) {
    const withRest = n.rules.find((r) => r.rest.length > 0);
    const shown = withRest && shapes.size > 1 ? refText(n.path, withRest.rest) : name;
    errors.push(new RegoError('rego_type_error', `conflicting rules ${shown} found`, all[0]!.loc));
  }
  const defaults = all.filter((r) => r.isDefault);
  if (defaults.length > 1) {
    errors.push(new RegoError('rego_type_error', `multiple default rules ${name} found at ${defaults.map((d) => at(d.loc)).join(', ')}`, defaults[0]!.loc));
  }
  for (const r of n.rules) {
    if (r.else && (r.kind === 'multi' || r.rest.length > 0)) {
      errors.push(new RegoError('rego_parse_error', 'else keyword cannot be used on multi-value rules or partial rules', r.loc));
    }
  }
  // A complete value (single-value rule without key vars, a set, a function) leaves no room for documents below.
  const owner = all.find((r) => r.rest.length === 0 && !r.isDefault) ?? all.find((r) => r.rest.length === 0);
  if (owner) {
    const below: string[] = [];
    const collect = (c: RuleNode): void => {
      if (c.rules.length > 0 || c.funcs.length > 0) below.push(['data', ...c.path].join('.'));
      for (const g of c.children.values()) collect(g);
    };
    for (const c of n.children.values()) collect(c);
    if (below.length > 0) errors.push(new RegoError('rego_type_error', `rule ${name} conflicts with [${below.sort().join(' ')}]`, owner.loc));
  }
  for (const c of n.children.values()) checkRuleKinds(c, errors);
}

/** `package a.b` next to a rule `b` (ground head) in package `a`. Reported at the rule's package, as OPA does. */
export function checkPackageConflicts(modules: readonly Module[], errors: RegoError[]): void {
  const byPkg = new Map<string, Module[]>();
  for (const m of modules) {
    const k = m.pkg.join('.');
    byPkg.set(k, [...(byPkg.get(k) ?? []), m]);
  }
  for (const m of modules) {
    for (const r of m.rules) {
      const names: string[] = [];
      for (const t of r.ref) {
        if (t.kind !== 'scalar' || typeof t.scalar !== 'string') break;
        names.push(t.scalar);
      }
      if (names.length !== r.ref.length) continue;
      for (const other of byPkg.get([...m.pkg, ...names].join('.')) ?? []) {
        errors.push(new RegoError('rego_type_error', `package ${other.pkg.join('.')} conflicts with rule ${names.join('.')} defined at ${at(r.loc)}`, m.pkgLoc));
      }
    }
  }
}

/** A rule at a path where the base documents already hold a value (OPA: checked when data is activated). */
export function checkDataConflicts(root: RuleNode, data: Value, errors: RegoError[]): void {
  const walk = (n: RuleNode, doc: Value | undefined): void => {
    if (doc === undefined) return;
    const first = n.rules[0] ?? n.funcs[0];
    if (first && n.path.length > 0) {
      errors.push(new RegoError('rego_compile_error', `conflicting rule for data path ${n.path.join('/')} found`, first.loc));
      return;
    }
    if (!(doc instanceof RObject)) return;
    for (const [k, c] of n.children) walk(c, doc.get(k));
  };
  walk(root, data);
}
