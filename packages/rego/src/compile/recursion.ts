/**
 * Compile-time recursion check (OPA's rego_recursion_error): a rule may not depend on itself through the
 * documents or functions it reads. A read of `data.a.b…` depends on every rule node on the way to `a.b` (their
 * documents are built to answer it) and, when the ref stops there or iterates, on everything below it.
 */
import type { Body, Term } from '../ast/types.ts';
import { RegoError } from '../errors.ts';
import type { CompiledRule, RuleNode } from './program.ts';

function nodeKey(n: RuleNode): string {
  return ['data', ...n.path].join('.');
}

export function checkRecursion(root: RuleNode, errors: RegoError[]): void {
  const deps = new Map<RuleNode, Set<RuleNode>>();
  const visitNode = (n: RuleNode): void => {
    const out = new Set<RuleNode>();
    for (const r of [...n.rules, ...n.funcs]) for (let c: CompiledRule | undefined = r; c; c = c.else) ruleDeps(c, root, out);
    deps.set(n, out);
    for (const c of n.children.values()) visitNode(c);
  };
  visitNode(root);

  const state = new Map<RuleNode, 'active' | 'done'>();
  const stack: RuleNode[] = [];
  const reported = new Set<RuleNode>();
  const dfs = (n: RuleNode): void => {
    state.set(n, 'active');
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const s = state.get(d);
      if (s === 'active') {
        const cycle = stack.slice(stack.indexOf(d));
        if (!reported.has(d)) {
          reported.add(d);
          const loc = d.rules[0]?.loc ?? d.funcs[0]?.loc;
          const chain = [...cycle, d].map(nodeKey).join(' -> ');
          errors.push(new RegoError('rego_recursion_error', `rule ${nodeKey(d)} is recursive: ${chain}`, loc));
        }
      } else if (s === undefined) {
        dfs(d);
      }
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of deps.keys()) if (!state.has(n) && (n.rules.length > 0 || n.funcs.length > 0)) dfs(n);
}

function ruleDeps(r: CompiledRule, root: RuleNode, out: Set<RuleNode>): void {
  const terms: Term[] = [...r.rest, r.value, ...(r.key ? [r.key] : []), ...(r.args ?? [])];
  for (const t of terms) termDeps(t, root, out);
  bodyDeps(r.body, root, out);
}

function bodyDeps(body: Body, root: RuleNode, out: Set<RuleNode>): void {
  for (const e of body) {
    const n = e.node;
    switch (n.kind) {
      case 'term': termDeps(n.term, root, out); break;
      case 'some': break;
      case 'somein': termDeps(n.domain, root, out); if (n.key) termDeps(n.key, root, out); termDeps(n.val, root, out); break;
      case 'every': termDeps(n.domain, root, out); bodyDeps(n.body, root, out); break;
      case 'body': bodyDeps(n.body, root, out); break;
    }
    for (const w of e.withs) {
      termDeps(w.value, root, out);
      if (w.fnValue?.kind === 'func') addFunc(w.fnValue.path, root, out);
    }
  }
}

function addFunc(path: readonly string[], root: RuleNode, out: Set<RuleNode>): void {
  const n = root.find(path);
  if (n) out.add(n);
}

function addBelow(n: RuleNode, out: Set<RuleNode>): void {
  if (n.rules.length > 0) out.add(n);
  for (const c of n.children.values()) addBelow(c, out);
}

/**
 * The rule nodes a `data` ref reads from `n` on. A non-constant segment matches every child, as OPA matches the
 * ref against the rule tree with vars as wildcards: `data[x].allow.see` does not read a `data.test.p` without `allow`.
 */
function refDeps(path: readonly Term[], i: number, n: RuleNode, out: Set<RuleNode>): void {
  if (n.rules.length > 0) { out.add(n); return; }
  if (i === path.length) { addBelow(n, out); return; }
  const seg = path[i]!;
  const key = seg.kind === 'scalar' && (typeof seg.scalar === 'string' || typeof seg.scalar === 'number') ? String(seg.scalar) : undefined;
  if (key === undefined) {
    for (const c of n.children.values()) refDeps(path, i + 1, c, out);
    return;
  }
  const c = n.children.get(key);
  if (c) refDeps(path, i + 1, c, out);
}

function termDeps(t: Term, root: RuleNode, out: Set<RuleNode>): void {
  switch (t.kind) {
    case 'scalar': case 'var': return;
    case 'ref': {
      termDeps(t.head, root, out);
      for (const p of t.path) termDeps(p, root, out);
      if (t.head.kind !== 'var' || t.head.name !== 'data') return;
      refDeps(t.path, 0, root, out);
      return;
    }
    case 'array': case 'set': for (const x of t.items) termDeps(x, root, out); return;
    case 'object': for (const [k, v] of t.pairs) { termDeps(k, root, out); termDeps(v, root, out); } return;
    case 'arraycomp': case 'setcomp': termDeps(t.term, root, out); bodyDeps(t.body, root, out); return;
    case 'objectcomp': termDeps(t.key, root, out); termDeps(t.val, root, out); bodyDeps(t.body, root, out); return;
    case 'call':
      for (const a of t.args) termDeps(a, root, out);
      if (t.target?.kind === 'func') addFunc(t.target.path, root, out);
      return;
  }
}
