/**
 * What the evaluator shares with its two helpers, the virtual documents (documents.ts) and `with` scopes
 * (with-scope.ts). The helpers call back into evaluation through `EvalHost` rather than the `Evaluator` class,
 * so the evaluator depends on them and never the reverse: the layers form no import cycle (as in OPA, where
 * lower layers see an interface, not the evaluator).
 */
import type { Body, CallTarget, Expr, Term } from '../ast/types.ts';
import type { Program, RuleNode } from '../compile/program.ts';
import type { Value } from '../value.ts';

export type Bindings = Map<string, Value>;

export type Mock = { readonly kind: 'value'; readonly value: Value } | { readonly kind: 'fn'; readonly target: CallTarget };

/** Marks a rule node whose document is being computed; meeting it again is a recursion error. */
export const PENDING = Symbol('pending');

/** What a `with` scope changes, plus the document cache valid for it. */
export interface Ctx {
  input: Value | undefined;
  readonly data: Value;
  readonly overlays: { readonly path: readonly string[]; readonly value: Value }[];
  readonly mocks: Map<string, Mock>;
  readonly cache: Map<RuleNode, Value | undefined | typeof PENDING>;
}

/** The evaluator as its helpers see it; `Evaluator` implements it. Each `k` runs once per solution. */
export interface EvalHost {
  /** The current `with` scope; a `with` expression swaps it for its body and restores it for the continuation. */
  ctx: Ctx;
  readonly program: Program;
  evalBody(body: Body, i: number, b: Bindings, k: () => void): void;
  /** An expression without its `with` modifiers (already applied by the caller, if any). */
  evalExprInScope(e: Expr, b: Bindings, k: () => void): void;
  evalTerm(t: Term, b: Bindings, k: (v: Value) => void): void;
  evalList(items: readonly Term[], b: Bindings, k: (vs: Value[]) => void): void;
  evalPath(v: Value, path: readonly Term[], i: number, b: Bindings, k: (v: Value) => void): void;
  hasOpenVars(t: Term, b: Bindings): boolean;
  unifyValue(t: Term, v: Value, b: Bindings, k: () => void): void;
}
