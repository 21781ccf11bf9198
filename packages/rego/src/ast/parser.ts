/**
 * The Rego v1 parser for modules and queries (recursive descent); terms are parsed by `TermParser`.
 * `=` and `:=` join two terms into an expression; newlines or `;` separate expressions.
 */
import { RegoError } from '../errors.ts';
import type { Location } from '../errors.ts';
import { callTerm, TermParser } from './term-parser.ts';
import type { Body, Expr, ExprNode, Import, Module, RefTerm, Rule, Term, With } from './types.ts';

export { callTerm } from './term-parser.ts';

export function parseModule(file: string, source: string): Module {
  return new Parser(file, source).module();
}

export function parseQuery(source: string, file = 'query'): Body {
  return new Parser(file, source).query();
}

export function parseTerm(source: string, file = 'term'): Term {
  return new Parser(file, source).termOnly();
}

class Parser extends TermParser {
  protected templateExpr(src: string, row: number, col: number): Expr {
    const sub = new Parser(this.file, src, row, col);
    if (sub.peek().kind === 'eof') return sub.fail('empty template string expression');
    const e = sub.literal();
    if (sub.peek().kind !== 'eof') sub.fail(`unexpected ${sub.describe(sub.peek())} in template string expression`);
    return e;
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
  protected literals(end: '}' | ']' | 'eof'): Body {
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

  protected literal(): Expr {
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
}
