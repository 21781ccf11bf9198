/**
 * The term half of the Rego parser: tokens, operator precedence and composite terms. Operator precedence
 * follows OPA's parser: `in` < relations (== != < <= > >=) < `|` < `&` < `+ -` < `* / %` < postfix refs and
 * calls. Infix operators become calls of their builtins. Bodies (for comprehensions) come from the subclass.
 */
import { RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { makeNumber } from '../value.ts';
import { tokenize } from './lexer.ts';
import type { TemplatePart, Token } from './lexer.ts';
import type { Body, Expr, Term } from './types.ts';

const RELATIONS: Record<string, string> = { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const ARITH: Record<string, string> = { '+': 'plus', '-': 'minus' };
const FACTOR: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' };

/** Names the hidden variable of each template-string expression; unique, so nested templates never collide. */
let templateVars = 0;

export function callTerm(name: string, args: Term[], loc: Location): Term {
  return { kind: 'call', fn: refFromDotted(name, loc), args, loc };
}

function refFromDotted(name: string, loc: Location): Term {
  const [head, ...rest] = name.split('.');
  const h: Term = { kind: 'var', name: head!, loc };
  return rest.length === 0 ? h : { kind: 'ref', head: h, path: rest.map((s) => ({ kind: 'scalar', scalar: s, loc })), loc };
}

export abstract class TermParser {
  protected readonly toks: Token[];
  protected pos = 0;
  protected readonly file: string;

  constructor(file: string, source: string, startRow = 1, startCol = 1) {
    this.file = file;
    this.toks = tokenize(source, file, startRow, startCol);
  }

  /** Literals up to (not including) the closing token; provided by the body parser. */
  protected abstract literals(end: '}' | ']' | 'eof'): Body;
  /** The expression inside a template string's `{…}` (a term, optionally with `with`); from the body parser. */
  protected abstract templateExpr(src: string, row: number, col: number): Expr;
  // ---- token helpers -------------------------------------------------------------------------------------

  protected peek(o = 0): Token { return this.toks[Math.min(this.pos + o, this.toks.length - 1)]!; }
  protected next(): Token { const t = this.peek(); if (this.pos < this.toks.length - 1) this.pos++; return t; }
  protected isPunct(s: string, o = 0): boolean { const t = this.peek(o); return t.kind === 'punct' && t.text === s; }
  protected isIdent(s: string, o = 0): boolean { const t = this.peek(o); return t.kind === 'ident' && t.text === s; }
  protected loc(t: Token = this.peek()): Location { return { file: this.file, row: t.row, col: t.col }; }

  protected fail(msg: string, t: Token = this.peek()): never {
    throw new RegoError('rego_parse_error', msg, this.loc(t));
  }

  protected describe(t: Token): string {
    return t.kind === 'eof' ? 'end of input' : t.kind === 'string' ? `string ${JSON.stringify(t.text)}` : `'${t.text}'`;
  }

  protected expectPunct(s: string): Token {
    if (!this.isPunct(s)) this.fail(`expected '${s}' but found ${this.describe(this.peek())}`);
    return this.next();
  }

  /** A keyword used as a keyword, not as a ref head like `as.foo`. */
  protected isKeyword(s: string): boolean {
    return this.isIdent(s) && !((this.isPunct('.', 1) || this.isPunct('[', 1)) && !this.peek(1).space);
  }

  // ---- terms -----------------------------------------------------------------------------------------------

  protected termIn(noOr = false): Term {
    let lhs = this.termRelation(noOr);
    while (this.isKeyword('in') && !this.peek().nl) {
      const op = this.next();
      const rhs = this.termRelation(noOr);
      lhs = callTerm('internal.member_2', [lhs, rhs], this.loc(op));
    }
    return lhs;
  }

  protected termRelation(noOr = false): Term {
    let lhs = this.termOr(noOr);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !(t.text in RELATIONS) || t.nl) return lhs;
      this.next();
      const rhs = this.termOr(noOr);
      lhs = callTerm(RELATIONS[t.text]!, [lhs, rhs], lhs.loc);
    }
  }

  protected termOr(noOr: boolean): Term {
    let lhs = this.termAnd();
    while (!noOr && this.isPunct('|') && !this.peek().nl) {
      this.next();
      lhs = callTerm('or', [lhs, this.termAnd()], lhs.loc);
    }
    return lhs;
  }

  protected termAnd(): Term {
    let lhs = this.termArith();
    while (this.isPunct('&') && !this.peek().nl) {
      this.next();
      lhs = callTerm('and', [lhs, this.termArith()], lhs.loc);
    }
    return lhs;
  }

  protected termArith(): Term {
    let lhs = this.termFactor();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !(t.text in ARITH) || t.nl) return lhs;
      this.next();
      lhs = callTerm(ARITH[t.text]!, [lhs, this.termFactor()], lhs.loc);
    }
  }

  protected termFactor(): Term {
    let lhs = this.primaryWithPostfix();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !(t.text in FACTOR) || t.nl) return lhs;
      this.next();
      lhs = callTerm(FACTOR[t.text]!, [lhs, this.primaryWithPostfix()], lhs.loc);
    }
  }

  protected primaryWithPostfix(head = false): Term {
    let t = this.primary();
    for (;;) {
      const p = this.peek();
      if (p.kind !== 'punct' || p.nl) return t;
      if (p.text === '.' && !p.space) {
        this.next();
        const id = this.next();
        if (id.kind !== 'ident' || id.space) this.fail(`expected a name after '.'`, id);
        const seg: Term = { kind: 'scalar', scalar: id.text, loc: this.loc(id) };
        t = t.kind === 'ref' ? { ...t, path: [...t.path, seg] } : { kind: 'ref', head: t, path: [seg], loc: t.loc };
      } else if (p.text === '[' && !p.space) {
        this.next();
        const seg = this.termIn();
        this.expectPunct(']');
        t = t.kind === 'ref' ? { ...t, path: [...t.path, seg] } : { kind: 'ref', head: t, path: [seg], loc: t.loc };
      } else if (p.text === '(' && !p.space && (t.kind === 'var' || t.kind === 'ref')) {
        this.next();
        const args = this.termList(')');
        this.expectPunct(')');
        if (!head && t.kind === 'var' && t.name === 'set' && args.length === 0) {
          t = { kind: 'set', items: [], loc: t.loc };
        } else {
          t = { kind: 'call', fn: t, args, loc: t.loc };
        }
      } else {
        return t;
      }
    }
  }

  protected termList(end: string): Term[] {
    const out: Term[] = [];
    while (!this.isPunct(end)) {
      out.push(this.termIn());
      if (this.isPunct(',')) { this.next(); continue; }
      if (!this.isPunct(end)) this.fail(`expected ',' or '${end}' but found ${this.describe(this.peek())}`);
    }
    return out;
  }

  protected number(text: string, neg: boolean): number | bigint {
    const s = neg ? '-' + text : text;
    if (/^-?\d+$/.test(s)) return makeNumber(BigInt(s));
    const n = Number(s);
    // OPA keeps a literal's decimal text, so 1e30 is exactly 10^30 in integer arithmetic (a double would round it)
    // and 1e400 is a number larger than 1e399 (a double would overflow both to Infinity).
    return !Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n)) ? exactIntegral(s) ?? n : n;
  }

  protected primary(): Term {
    const t = this.next();
    const loc = this.loc(t);
    switch (t.kind) {
      case 'number': return { kind: 'scalar', scalar: this.number(t.text, false), loc };
      case 'string': return { kind: 'scalar', scalar: t.text, loc };
      case 'template': return this.templateString(t.parts ?? [], loc);
      case 'ident':
        if (this.isPunct('.') && !this.peek().space) return { kind: 'var', name: t.text, loc };
        if (t.text === 'true') return { kind: 'scalar', scalar: true, loc };
        if (t.text === 'false') return { kind: 'scalar', scalar: false, loc };
        if (t.text === 'null') return { kind: 'scalar', scalar: null, loc };
        return { kind: 'var', name: t.text, loc };
      case 'punct':
        if (t.text === '-' && this.peek().kind === 'number' && !this.peek().space) {
          return { kind: 'scalar', scalar: this.number(this.next().text, true), loc };
        }
        if (t.text === '-') {
          // Unary minus on a non-literal: `-x` is `0 - x`.
          return callTerm('minus', [{ kind: 'scalar', scalar: 0, loc }, this.primaryWithPostfix()], loc);
        }
        if (t.text === '(') {
          const inner = this.parenthesized();
          this.expectPunct(')');
          return inner;
        }
        if (t.text === '[') return this.arrayLike(loc);
        if (t.text === '{') return this.braceLike(loc);
        break;
      case 'eof':
        break;
    }
    return this.fail(`unexpected ${this.describe(t)}, expected a term`, t);
  }

  /**
   * `$"a{x}b"` becomes `internal.template_string(["a", {v | v = x}, "b"])`, as OPA compiles it: each expression
   * is a set comprehension, so an undefined expression gives `{}` (printed `<undefined>`) instead of making the
   * whole string undefined, and several values are detected (a conflict) rather than iterated.
   */
  protected templateString(parts: readonly TemplatePart[], loc: Location): Term {
    if (parts.every((p) => 'text' in p)) return { kind: 'scalar', scalar: parts.map((p) => ('text' in p ? p.text : '')).join(''), loc };
    const items: Term[] = parts.map((p) => {
      if ('text' in p) return { kind: 'scalar', scalar: p.text, loc };
      const e = this.templateExpr(p.src, p.row, p.col);
      if (e.node.kind !== 'term' || e.negated) return this.fail('template string expression must be a term', this.peek());
      const v: Term = { kind: 'var', name: `$tpl${++templateVars}`, loc: e.loc };
      const body: Body = [{ node: { kind: 'term', term: callTerm('eq', [v, e.node.term], e.loc) }, negated: false, withs: e.withs, loc: e.loc }];
      return { kind: 'setcomp', term: v, body, loc: e.loc };
    });
    return callTerm('internal.template_string', [{ kind: 'array', items, loc }], loc);
  }

  /** Inside parentheses `k, v in xs` is allowed (member_3), as OPA's parser does. */
  protected parenthesized(): Term {
    const first = this.termRelation();
    if (this.isPunct(',')) {
      this.next();
      const second = this.termRelation();
      if (!this.isKeyword('in')) this.fail(`expected 'in' after 'key, value'`);
      const op = this.next();
      let t = callTerm('internal.member_3', [first, second, this.termRelation()], this.loc(op));
      while (this.isKeyword('in')) { const o = this.next(); t = callTerm('internal.member_2', [t, this.termRelation()], this.loc(o)); }
      return t;
    }
    let t = first;
    while (this.isKeyword('in')) { const o = this.next(); t = callTerm('internal.member_2', [t, this.termRelation()], this.loc(o)); }
    return t;
  }

  protected arrayLike(loc: Location): Term {
    if (this.isPunct(']')) { this.next(); return { kind: 'array', items: [], loc }; }
    const first = this.termIn(true);
    if (this.isPunct('|')) {
      this.next();
      const body = this.compBody(']');
      return { kind: 'arraycomp', term: first, body, loc };
    }
    const items = [first];
    if (this.isPunct(',')) { this.next(); items.push(...this.termList(']')); }
    this.expectPunct(']');
    return { kind: 'array', items, loc };
  }

  protected compBody(end: '}' | ']'): Body {
    const body = this.literals(end);
    if (body.length === 0) this.fail('comprehension body is empty');
    this.expectPunct(end);
    return body;
  }

  protected braceLike(loc: Location): Term {
    if (this.isPunct('}')) { this.next(); return { kind: 'object', pairs: [], loc }; }
    const first = this.termIn(true);
    if (this.isPunct(':')) {
      this.next();
      const v = this.termIn(true);
      if (this.isPunct('|')) {
        this.next();
        return { kind: 'objectcomp', key: first, val: v, body: this.compBody('}'), loc };
      }
      const pairs: [Term, Term][] = [[first, v]];
      while (this.isPunct(',')) {
        this.next();
        if (this.isPunct('}')) break;
        const k = this.termIn();
        this.expectPunct(':');
        pairs.push([k, this.termIn()]);
      }
      this.expectPunct('}');
      return { kind: 'object', pairs, loc };
    }
    if (this.isPunct('|')) {
      this.next();
      return { kind: 'setcomp', term: first, body: this.compBody('}'), loc };
    }
    const items = [first];
    if (this.isPunct(',')) { this.next(); items.push(...this.termList('}')); }
    this.expectPunct('}');
    return { kind: 'set', items, loc };
  }
}

/** The exact integer a decimal literal such as `1e30` or `1.5e40` denotes, when it denotes one of sane size. */
function exactIntegral(s: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(s);
  if (!m) return undefined;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const exp = Number(m[4]) - frac.length;
  if (exp < 0 || exp > 1000) return undefined;
  return BigInt(m[1]! + m[2]! + frac) * 10n ** BigInt(exp);
}
