/**
 * Recursive-descent parser for Rego v1 (modules, queries and single terms). Operator precedence follows OPA's
 * parser: `in` < relations (== != < <= > >=) < `|` < `&` < `+ -` < `* / %` < postfix refs and calls;
 * `=` and `:=` join two such terms into an expression. Infix operators become calls of their builtins.
 */
import { RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { makeNumber } from '../value.ts';
import { tokenize } from './lexer.ts';
import type { Token } from './lexer.ts';
import type { Body, Expr, ExprNode, Import, Module, RefTerm, Rule, Term, With } from './types.ts';

const RELATIONS: Record<string, string> = { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const ARITH: Record<string, string> = { '+': 'plus', '-': 'minus' };
const FACTOR: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' };

export function parseModule(file: string, source: string): Module {
  return new Parser(file, source).module();
}

export function parseQuery(source: string, file = 'query'): Body {
  return new Parser(file, source).query();
}

export function parseTerm(source: string, file = 'term'): Term {
  return new Parser(file, source).termOnly();
}

export function varTerm(name: string, loc: Location): Term {
  return { kind: 'var', name, loc };
}

export function callTerm(name: string, args: Term[], loc: Location): Term {
  return { kind: 'call', fn: refFromDotted(name, loc), args, loc };
}

function refFromDotted(name: string, loc: Location): Term {
  const [head, ...rest] = name.split('.');
  const h: Term = { kind: 'var', name: head!, loc };
  return rest.length === 0 ? h : { kind: 'ref', head: h, path: rest.map((s) => ({ kind: 'scalar', scalar: s, loc })), loc };
}

class Parser {
  private readonly toks: Token[];
  private pos = 0;
  private readonly file: string;

  constructor(file: string, source: string) {
    this.file = file;
    this.toks = tokenize(source, file);
  }

  // ---- token helpers -------------------------------------------------------------------------------------

  private peek(o = 0): Token { return this.toks[Math.min(this.pos + o, this.toks.length - 1)]!; }
  private next(): Token { const t = this.peek(); if (this.pos < this.toks.length - 1) this.pos++; return t; }
  private isPunct(s: string, o = 0): boolean { const t = this.peek(o); return t.kind === 'punct' && t.text === s; }
  private isIdent(s: string, o = 0): boolean { const t = this.peek(o); return t.kind === 'ident' && t.text === s; }
  private loc(t: Token = this.peek()): Location { return { file: this.file, row: t.row, col: t.col }; }

  private fail(msg: string, t: Token = this.peek()): never {
    throw new RegoError('rego_parse_error', msg, this.loc(t));
  }

  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of input' : t.kind === 'string' ? `string ${JSON.stringify(t.text)}` : `'${t.text}'`;
  }

  private expectPunct(s: string): Token {
    if (!this.isPunct(s)) this.fail(`expected '${s}' but found ${this.describe(this.peek())}`);
    return this.next();
  }

  /** A keyword used as a keyword, not as a ref head like `as.foo`. */
  private isKeyword(s: string): boolean {
    return this.isIdent(s) && !((this.isPunct('.', 1) || this.isPunct('[', 1)) && !this.peek(1).space);
  }

  // ---- modules ---------------------------------------------------------------------------------------------

  module(): Module {
    if (!this.isIdent('package')) this.fail(`package expected`);
    const pkgTok = this.next();
    const pkgRef = this.primaryWithPostfix();
    const pkg = this.groundPath(pkgRef, 'package');
    const imports: Import[] = [];
    while (this.isKeyword('import')) {
      const t = this.next();
      const path = this.primaryWithPostfix();
      let alias: string | undefined;
      if (this.isIdent('as') && !this.peek().nl) {
        this.next();
        const a = this.next();
        if (a.kind !== 'ident') this.fail('import alias must be a name', a);
        alias = a.text;
      }
      const ref: RefTerm = path.kind === 'ref' ? path : { kind: 'ref', head: path, path: [], loc: path.loc };
      imports.push({ path: ref, alias, loc: this.loc(t) });
    }
    const rules: Rule[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.isKeyword('import')) this.fail('imports must appear before rules');
      if (this.isKeyword('package')) this.fail('unexpected package; a file holds one package');
      rules.push(this.rule());
    }
    return { file: this.file, pkg, pkgLoc: this.loc(pkgTok), imports, rules };
  }

  private groundPath(t: Term, what: string): string[] {
    const out: string[] = [];
    const walk = (x: Term): void => {
      if (x.kind === 'var') { out.push(x.name); return; }
      if (x.kind === 'ref') {
        walk(x.head);
        for (const p of x.path) {
          if (p.kind !== 'scalar' || typeof p.scalar !== 'string') this.fail(`${what} path must contain only strings`);
          out.push(p.scalar);
        }
        return;
      }
      this.fail(`invalid ${what} path`);
    };
    walk(t);
    return out;
  }

  private rule(): Rule {
    const start = this.peek();
    const isDefault = this.isKeyword('default');
    if (isDefault) this.next();
    if (this.peek().kind !== 'ident') this.fail(`unexpected ${this.describe(this.peek())}, expected a rule`);
    const headTerm = this.primaryWithPostfix(true);
    let ref: Term[];
    let args: Term[] | undefined;
    if (headTerm.kind === 'call') {
      ref = this.headRef(headTerm.fn);
      args = headTerm.args;
    } else {
      ref = this.headRef(headTerm);
    }
    let key: Term | undefined, value: Term | undefined;
    if (this.isKeyword('contains') && !isDefault) {
      this.next();
      key = this.termIn();
    } else if (this.isPunct(':=') || this.isPunct('=')) {
      this.next();
      value = this.termIn();
    } else if (isDefault) {
      this.fail('default rules must have a value: `default name := value`');
    }
    const loc = this.loc(start);
    if (isDefault) return { loc, isDefault, ref, args, key, value, body: [], else: undefined };
    const body = this.ruleBody(loc);
    const rule: Rule = { loc, isDefault, ref, args, key, value, body, else: undefined };
    let last = rule;
    while (this.isKeyword('else')) {
      const et = this.next();
      let ev: Term | undefined;
      if (this.isPunct(':=') || this.isPunct('=')) { this.next(); ev = this.termIn(); }
      const eloc = this.loc(et);
      const ebody = this.ruleBody(eloc);
      const e: Rule = { loc: eloc, isDefault: false, ref, args, key: undefined, value: ev, body: ebody, else: undefined };
      last.else = e;
      last = e;
    }
    return rule;
  }

  private ruleBody(loc: Location): Body {
    if (this.isKeyword('if')) {
      this.next();
      if (this.isPunct('{')) {
        // `if {` opens a body, unless what follows only parses as a term (`if {x: 1 | …}`), as in OPA.
        const save = this.pos;
        try { return this.braceBody(); } catch (e) {
          if (!(e instanceof RegoError)) throw e;
          this.pos = save;
        }
      }
      return [this.literal()];
    }
    if (this.isPunct('{') && !this.peek().nl) this.fail('`if` keyword is required before rule body');
    return [{ node: { kind: 'term', term: { kind: 'scalar', scalar: true, loc } }, negated: false, withs: [], loc }];
  }

  /** Converts a parsed head term (`p`, `a.b[x]`) into its ref segments, the first a string. */
  private headRef(t: Term): Term[] {
    if (t.kind === 'var') return [{ kind: 'scalar', scalar: t.name, loc: t.loc }];
    if (t.kind === 'ref' && t.head.kind === 'var') return [{ kind: 'scalar', scalar: t.head.name, loc: t.head.loc }, ...t.path];
    return this.fail('rule head must be a name or a reference such as a.b[x]');
  }

  // ---- bodies and literals ---------------------------------------------------------------------------------

  query(): Body {
    const body = this.literals('eof');
    if (body.length === 0) this.fail('empty query');
    return body;
  }

  termOnly(): Term {
    const t = this.termIn();
    if (this.peek().kind !== 'eof') this.fail(`unexpected ${this.describe(this.peek())} after term`);
    return t;
  }

  private braceBody(): Body {
    const open = this.expectPunct('{');
    const body = this.literals('}');
    if (body.length === 0) this.fail('found empty body', open);
    if (this.peek().kind === 'eof') this.fail(`missing '}' for the '{' opened at ${this.file}:${open.row}:${open.col}`);
    this.expectPunct('}');
    return body;
  }

  /** Literals separated by `;` or newlines, up to (not including) `}`, `]`, or end of input. */
  private literals(end: '}' | ']' | 'eof'): Body {
    const body: Body = [];
    const atEnd = (): boolean => (end === 'eof' ? this.peek().kind === 'eof' : this.isPunct(end));
    while (!atEnd()) {
      if (this.isPunct(';')) { this.next(); continue; }
      body.push(this.literal());
      if (atEnd()) break;
      if (this.isPunct(';')) { this.next(); continue; }
      if (!this.peek().nl) this.fail(`unexpected ${this.describe(this.peek())}, expected end of expression`);
    }
    return body;
  }

  private literal(): Expr {
    const start = this.peek();
    const loc = this.loc(start);
    let negated = false;
    if (!this.isKeyword('some') && this.isKeyword('not')) { this.next(); negated = true; }
    let node: ExprNode;
    if (!negated && this.isKeyword('some')) {
      this.next();
      node = this.some();
    } else if (this.isKeyword('every')) {
      this.next();
      node = this.every();
    } else if (negated && this.isPunct('{')) {
      node = { kind: 'body', body: this.braceBody() };
    } else {
      node = { kind: 'term', term: this.exprTerm() };
    }
    const withs: With[] = [];
    while (this.isKeyword('with')) {
      const wt = this.next();
      const target = this.primaryWithPostfix();
      if (!this.isIdent('as')) this.fail(`expected 'as' after with target`);
      this.next();
      const value = this.termIn();
      withs.push({ target, value, loc: this.loc(wt) });
    }
    return { node, negated, withs, loc };
  }

  private some(): ExprNode {
    const first = this.termRelation();
    let second: Term | undefined;
    if (this.isPunct(',') && !this.isIdent('in', 2)) {
      // `some x, y` declaration list, or `some k, v in xs`
      const vars = [first];
      while (this.isPunct(',')) { this.next(); vars.push(this.termRelation()); }
      if (this.isKeyword('in') && vars.length === 2) return this.someIn(vars[0], vars[1]!);
      if (this.isKeyword('in')) this.fail('`some … in` takes one or two variables');
      return { kind: 'some', vars };
    }
    if (this.isPunct(',')) { this.next(); second = this.termRelation(); }
    if (this.isKeyword('in')) return second ? this.someIn(first, second) : this.someIn(undefined, first);
    return { kind: 'some', vars: [first] };
  }

  private someIn(key: Term | undefined, val: Term): ExprNode {
    this.next();
    const domain = this.termRelation();
    return { kind: 'somein', key, val, domain };
  }

  private every(): ExprNode {
    let key: Term | undefined;
    let val = this.termRelation();
    if (this.isPunct(',')) { this.next(); key = val; val = this.termRelation(); }
    if (!this.isKeyword('in')) this.fail(`expected 'in' in every`);
    this.next();
    const domain = this.termRelation();
    const body = this.braceBody();
    return { kind: 'every', key, val, domain, body };
  }

  private exprTerm(): Term {
    const lhs = this.termIn();
    if ((this.isPunct('=') || this.isPunct(':=')) && !this.peek().nl) {
      const op = this.next();
      const rhs = this.termIn();
      return callTerm(op.text === '=' ? 'eq' : 'assign', [lhs, rhs], this.loc(op));
    }
    return lhs;
  }

  // ---- terms -----------------------------------------------------------------------------------------------

  private termIn(noOr = false): Term {
    let lhs = this.termRelation(noOr);
    while (this.isKeyword('in') && !this.peek().nl) {
      const op = this.next();
      const rhs = this.termRelation(noOr);
      lhs = callTerm('internal.member_2', [lhs, rhs], this.loc(op));
    }
    return lhs;
  }

  private termRelation(noOr = false): Term {
    let lhs = this.termOr(noOr);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !(t.text in RELATIONS) || t.nl) return lhs;
      this.next();
      const rhs = this.termOr(noOr);
      lhs = callTerm(RELATIONS[t.text]!, [lhs, rhs], lhs.loc);
    }
  }

  private termOr(noOr: boolean): Term {
    let lhs = this.termAnd();
    while (!noOr && this.isPunct('|') && !this.peek().nl) {
      this.next();
      lhs = callTerm('or', [lhs, this.termAnd()], lhs.loc);
    }
    return lhs;
  }

  private termAnd(): Term {
    let lhs = this.termArith();
    while (this.isPunct('&') && !this.peek().nl) {
      this.next();
      lhs = callTerm('and', [lhs, this.termArith()], lhs.loc);
    }
    return lhs;
  }

  private termArith(): Term {
    let lhs = this.termFactor();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !(t.text in ARITH) || t.nl) return lhs;
      this.next();
      lhs = callTerm(ARITH[t.text]!, [lhs, this.termFactor()], lhs.loc);
    }
  }

  private termFactor(): Term {
    let lhs = this.primaryWithPostfix();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !(t.text in FACTOR) || t.nl) return lhs;
      this.next();
      lhs = callTerm(FACTOR[t.text]!, [lhs, this.primaryWithPostfix()], lhs.loc);
    }
  }

  private primaryWithPostfix(head = false): Term {
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

  private termList(end: string): Term[] {
    const out: Term[] = [];
    while (!this.isPunct(end)) {
      out.push(this.termIn());
      if (this.isPunct(',')) { this.next(); continue; }
      if (!this.isPunct(end)) this.fail(`expected ',' or '${end}' but found ${this.describe(this.peek())}`);
    }
    return out;
  }

  private number(text: string, neg: boolean): number | bigint {
    const s = neg ? '-' + text : text;
    return /^-?\d+$/.test(s) ? makeNumber(BigInt(s)) : Number(s);
  }

  private primary(): Term {
    const t = this.next();
    const loc = this.loc(t);
    switch (t.kind) {
      case 'number': return { kind: 'scalar', scalar: this.number(t.text, false), loc };
      case 'string': return { kind: 'scalar', scalar: t.text, loc };
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

  /** Inside parentheses `k, v in xs` is allowed (member_3), as OPA's parser does. */
  private parenthesized(): Term {
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

  private arrayLike(loc: Location): Term {
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

  private compBody(end: '}' | ']'): Body {
    const body = this.literals(end);
    if (body.length === 0) this.fail('comprehension body is empty');
    this.expectPunct(end);
    return body;
  }

  private braceLike(loc: Location): Term {
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
