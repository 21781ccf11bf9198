/**
 * The Rego syntax tree, shared by the parser, the compiler and the evaluator.
 * Terms are plain objects discriminated on `kind`; the compiler annotates them in place (`value` on ground terms,
 * `target` on calls) so that evaluation never re-derives what compilation already knew.
 */
import type { Location } from '../errors.ts';
import type { Value } from '../value.ts';

export type Scalar = null | boolean | number | bigint | string;

export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayCompTerm
  | SetCompTerm
  | ObjectCompTerm
  | CallTerm;

interface TermBase {
  readonly loc: Location;
  /** Set by the compiler on terms without variables: the value, computed once. */
  value?: Value;
}

export interface ScalarTerm extends TermBase { readonly kind: 'scalar'; readonly scalar: Scalar }
export interface VarTerm extends TermBase { readonly kind: 'var'; name: string }
export interface RefTerm extends TermBase { readonly kind: 'ref'; head: Term; path: Term[] }
export interface ArrayTerm extends TermBase { readonly kind: 'array'; items: Term[] }
export interface ObjectTerm extends TermBase { readonly kind: 'object'; pairs: [Term, Term][] }
export interface SetTerm extends TermBase { readonly kind: 'set'; items: Term[] }
export interface ArrayCompTerm extends TermBase { readonly kind: 'arraycomp'; term: Term; body: Body }
export interface SetCompTerm extends TermBase { readonly kind: 'setcomp'; term: Term; body: Body }
export interface ObjectCompTerm extends TermBase { readonly kind: 'objectcomp'; key: Term; val: Term; body: Body }

/** What a call resolves to, decided by the compiler. */
export type CallTarget =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'func'; readonly path: readonly string[] }
  | { readonly kind: 'special'; readonly name: 'eq' | 'assign' };

export interface CallTerm extends TermBase {
  readonly kind: 'call';
  /** The function as written: a var or a ref such as `strings.replace_n` or `data.lib.f`. */
  fn: Term;
  args: Term[];
  target?: CallTarget;
}

/** What a `with` replaces, decided by the compiler. */
export type WithTarget =
  | { readonly kind: 'input'; readonly path: readonly Value[] }
  | { readonly kind: 'data'; readonly path: readonly string[] }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'func'; readonly path: readonly string[] };

export interface With {
  target: Term;
  value: Term;
  readonly loc: Location;
  resolved?: WithTarget;
  /** Set when the replacement is itself a function (`with count as my_count`), not a value. */
  fnValue?: CallTarget;
}

export type ExprNode =
  | { readonly kind: 'term'; term: Term }
  | { readonly kind: 'some'; vars: Term[] }
  | { readonly kind: 'somein'; key: Term | undefined; val: Term; domain: Term }
  | { readonly kind: 'every'; key: Term | undefined; val: Term; domain: Term; body: Body }
  /** `not { … }`: a negated body (OPA's future.keywords.not). */
  | { readonly kind: 'body'; body: Body };

export interface Expr {
  node: ExprNode;
  negated: boolean;
  withs: With[];
  readonly loc: Location;
}

export type Body = Expr[];

export interface Rule {
  readonly loc: Location;
  readonly isDefault: boolean;
  /** Head reference below the package, first element a var (the rule name), e.g. `p`, `a.b[x]`. */
  ref: Term[];
  /** Present for functions. */
  args: Term[] | undefined;
  /** `contains` rules: the element. */
  key: Term | undefined;
  /** `:=`/`=` value; undefined means `true`. */
  value: Term | undefined;
  body: Body;
  else: Rule | undefined;
}

export interface Import {
  readonly path: RefTerm;
  readonly alias: string | undefined;
  readonly loc: Location;
}

export interface Module {
  readonly file: string;
  readonly pkg: string[];
  readonly pkgLoc: Location;
  readonly imports: Import[];
  readonly rules: Rule[];
}
