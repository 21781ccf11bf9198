/**
 * The compiled form the evaluator runs: rules indexed in a tree by the ground prefix of their head reference
 * (`data.pkg.a.b` for `a.b[x] := v`), so a lookup walks a few map entries instead of scanning rules.
 */
import type { Body, Term } from '../ast/types.ts';
import type { Builtin } from '../builtins/types.ts';
import type { Location } from '../errors.ts';

export interface CompiledRule {
  /** single: one value per head ref (complete rules, objects); multi: `contains`; func: a function. */
  readonly kind: 'single' | 'multi' | 'func';
  readonly isDefault: boolean;
  readonly loc: Location;
  /** Full ground path from the data root, e.g. ['test', 'p']. */
  readonly prefix: readonly string[];
  /** Head ref segments after the prefix (keys computed per solution), e.g. `[x]` for `p[x] := v`. */
  readonly rest: Term[];
  readonly args: Term[] | undefined;
  readonly key: Term | undefined;
  /** The value; `true` when none was written. */
  readonly value: Term;
  readonly body: Body;
  readonly else: CompiledRule | undefined;
}

export class RuleNode {
  readonly children = new Map<string, RuleNode>();
  readonly rules: CompiledRule[] = [];
  readonly funcs: CompiledRule[] = [];
  readonly path: readonly string[];
  /** A package path: its document exists (possibly `{}`) even without rules. */
  isPackage = false;
  constructor(path: readonly string[]) { this.path = path; }

  child(name: string): RuleNode {
    let c = this.children.get(name);
    if (!c) { c = new RuleNode([...this.path, name]); this.children.set(name, c); }
    return c;
  }

  /** The node at `path`, created (with its ancestors) when missing. */
  descend(path: readonly string[]): RuleNode {
    return path.reduce<RuleNode>((n, p) => n.child(p), this);
  }

  find(path: readonly string[]): RuleNode | undefined {
    let n: RuleNode | undefined = this.children.get(path[0] ?? '');
    if (path.length === 0) return this;
    for (let i = 1; i < path.length && n; i++) n = n.children.get(path[i]!);
    return n;
  }

  private docChildrenCache: [string, RuleNode][] | undefined;

  /** Children whose documents exist (the tree is fixed after compilation, so this is computed once). */
  docChildren(): readonly [string, RuleNode][] {
    return (this.docChildrenCache ??= [...this.children].filter(([, c]) => c.hasDocs()));
  }

  /** True when this node or a descendant holds a non-function rule. */
  hasDocs(): boolean {
    // Intermediate nodes exist as objects even when their only leaves are functions (OPA's package extent).
    return this.rules.length > 0 || this.isPackage || this.children.size > 0;
  }
}

export interface Program {
  readonly root: RuleNode;
  readonly builtins: ReadonlyMap<string, Builtin>;
  /** Operand count per function path (JSON text of the path). */
  readonly funcArity: ReadonlyMap<string, number>;
  readonly packages: readonly string[];
  readonly rules: readonly CompiledRule[];
  /** Outside-reaching builtins the caller enabled at compile time (queries are checked against it too). */
  readonly allowBuiltins: ReadonlySet<string>;
}
