/**
 * A parser for the part of Go's text/template that strings.render_template needs: text, `{{- -}}` trimming,
 * comments, pipelines with `|`, variables (`$x := …`, `$x = …`), fields (`.a.b`, `$x.a`, `(…).a`), literals,
 * function calls, and the `if` / `else if` / `range` / `with` / `else` / `end` / `break` / `continue` actions.
 * `define`, `template` and `block` are not supported (a template string has no other templates to call).
 * Errors read like Go's (`template: template:LINE: …`).
 */

export type Arg =
  | { readonly kind: 'dot' }
  | { readonly kind: 'field'; readonly base: Arg | undefined; readonly names: readonly string[] }
  | { readonly kind: 'var'; readonly name: string; readonly names: readonly string[] }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly text: string }
  | { readonly kind: 'pipe'; readonly pipe: Pipe };

export interface Pipe {
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly cmds: readonly (readonly Arg[])[];
  readonly line: number;
}

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipe }
  | BlockNode
  | { readonly kind: 'break' | 'continue' };

/** `if`, `with` or `range`: the pipeline, its body, and the `else` body (empty when there is none). */
export interface BlockNode {
  readonly kind: 'if' | 'with' | 'range';
  readonly pipe: Pipe;
  readonly list: TemplateNode[];
  readonly elseList: TemplateNode[];
}

export class TemplateError extends Error {}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);

interface Token {
  readonly t: 'field' | 'var' | 'ident' | 'string' | 'number' | 'char' | 'punct' | 'dot';
  readonly v: string;
  /** A field chains onto the operand before it only when nothing separates them (`$x.a`, not `$x .a`). */
  readonly spaced: boolean;
}

function unquoteGo(lit: string, line: number): string {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  try {
    // Go's interpreted string escapes are JSON's plus \a \b \f \v \x \u \U \NNN; map the extras first.
    const body = lit.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|[0-7]{3}|U[0-9a-fA-F]{8}|a|v|')/g, (_m, e: string) => {
      if (e === 'a') return '\\u0007';
      if (e === 'v') return '\\u000b';
      if (e === "'") return "'";
      const code = e[0] === 'x' ? parseInt(e.slice(1), 16) : e[0] === 'U' ? parseInt(e.slice(1), 16) : parseInt(e, 8);
      return JSON.stringify(String.fromCodePoint(code)).slice(1, -1);
    });
    const parsed: unknown = JSON.parse(`"${body}"`);
    if (typeof parsed === 'string') return parsed;
  } catch { /* reported below */ }
  throw new TemplateError(`template: template:${line}: malformed string ${lit}`);
}

/** Tokens of one action's body (between the delimiters). */
function lexAction(src: string, line: number): Token[] {
  const toks: Token[] = [];
  let i = 0;
  let spaced = true;
  const out = { push: (tok: Omit<Token, 'spaced'>): void => { toks.push({ ...tok, spaced }); spaced = false; } };
  const err = (msg: string): TemplateError => new TemplateError(`template: template:${line}: ${msg}`);
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; spaced = true; continue; }
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) { out.push({ t: 'field', v: m[0].slice(1) }); i += m[0].length; continue; }
    if (c === '.' && !/^\.\d/.test(rest)) { out.push({ t: 'dot', v: '.' }); i++; continue; }
    if ((m = /^\$[A-Za-z0-9_]*/.exec(rest))) { out.push({ t: 'var', v: m[0] }); i += m[0].length; continue; }
    if ((m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest)) || (m = /^`[^`]*`/.exec(rest))) {
      out.push({ t: 'string', v: unquoteGo(m[0], line) }); i += m[0].length; continue;
    }
    if (c === '"' || c === '`') throw err('unterminated quoted string');
    if ((m = /^'(?:[^'\\]|\\.)'/.exec(rest))) { out.push({ t: 'char', v: unquoteGo(`"${m[0].slice(1, -1)}"`, line) }); i += m[0].length; continue; }
    if ((m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(rest))) {
      out.push({ t: 'number', v: m[0] }); i += m[0].length; continue;
    }
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) { out.push({ t: 'ident', v: m[0] }); i += m[0].length; continue; }
    if (rest.startsWith(':=')) { out.push({ t: 'punct', v: ':=' }); i += 2; continue; }
    if ('()|=,'.includes(c)) { out.push({ t: 'punct', v: c }); i++; continue; }
    throw err(`unexpected ${JSON.stringify(c)} in command`);
  }
  return toks;
}

function numberLiteral(text: string, line: number): number {
  const clean = text.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  const n = /^0[xXbBoO]/.test(body) ? Number(body.toLowerCase()) : /^0\d+$/.test(body) ? parseInt(body, 8) : Number(body);
  if (Number.isNaN(n)) throw new TemplateError(`template: template:${line}: bad number syntax: "${text}"`);
  return sign * n;
}

class ActionParser {
  private pos = 0;
  private readonly toks: Token[];
  private readonly line: number;
  constructor(toks: Token[], line: number) { this.toks = toks; this.line = line; }
  private err(msg: string): TemplateError { return new TemplateError(`template: template:${this.line}: ${msg}`); }
  peek(): Token | undefined { return this.toks[this.pos]; }
  next(): Token | undefined { return this.toks[this.pos++]; }
  done(): boolean { return this.pos >= this.toks.length; }

  pipeline(context: string, allowDecl: boolean): Pipe {
    let decl: string[] = [];
    let assign = false;
    // `$x :=`, `$x =`, `$i, $v :=` (the two-variable form only in range).
    const save = this.pos;
    const t0 = this.peek();
    if (allowDecl && t0?.t === 'var') {
      const names = [t0.v];
      this.pos++;
      if (this.peek()?.v === ',' && context === 'range') {
        this.pos++;
        const t1 = this.next();
        if (t1?.t !== 'var') throw this.err('range can only initialize variables');
        names.push(t1.v);
      }
      const op = this.peek();
      if (op?.t === 'punct' && (op.v === ':=' || op.v === '=')) {
        this.pos++;
        decl = names;
        assign = op.v === '=';
      } else {
        this.pos = save;
      }
    }
    const cmds: Arg[][] = [];
    for (;;) {
      const cmd = this.command();
      if (cmd.length === 0) break;
      cmds.push(cmd);
      if (this.peek()?.v === '|') { this.pos++; continue; }
      break;
    }
    if (cmds.length === 0) throw this.err(`missing value for ${context}`);
    return { decl, assign, cmds, line: this.line };
  }

  private command(): Arg[] {
    const args: Arg[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.v === '|' || t.v === ')') break;
      if (t.t === 'punct' && t.v !== '(') throw this.err(`unexpected "${t.v}" in operand`);
      args.push(this.operand());
    }
    return args;
  }

  private fieldsAfter(): string[] {
    const names: string[] = [];
    while (this.peek()?.t === 'field' && !this.peek()!.spaced) names.push(this.next()!.v);
    return names;
  }

  private operand(): Arg {
    const t = this.next()!;
    switch (t.t) {
      case 'dot': return { kind: 'dot' };
      case 'field': return { kind: 'field', base: undefined, names: [t.v, ...this.fieldsAfter()] };
      case 'var': return { kind: 'var', name: t.v, names: this.fieldsAfter() };
      case 'string': return { kind: 'literal', value: t.v, text: t.v };
      case 'char': return { kind: 'literal', value: t.v.codePointAt(0) ?? 0, text: t.v };
      case 'number': return { kind: 'literal', value: numberLiteral(t.v, this.line), text: t.v };
      case 'ident':
        if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true', text: t.v };
        if (t.v === 'nil') return { kind: 'literal', value: null, text: t.v };
        if (KEYWORDS.has(t.v)) throw this.err(`unexpected <${t.v}> in command`);
        return { kind: 'ident', name: t.v };
      case 'punct': {
        // '(' pipeline ')' with optional field chain
        const pipe = this.pipeline('parenthesized pipeline', false);
        if (this.next()?.v !== ')') throw this.err('unclosed left paren');
        const names = this.fieldsAfter();
        const inner: Arg = { kind: 'pipe', pipe };
        return names.length ? { kind: 'field', base: inner, names } : inner;
      }
    }
  }
}

interface RawAction { readonly body: string; readonly line: number }

/** Splits the template into text and action bodies, applying the trim markers. */
function scan(src: string): (string | RawAction)[] {
  const parts: (string | RawAction)[] = [];
  let i = 0;
  let line = 1;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) { parts.push(text); break; }
    let start = open + 2;
    if (/^-[ \t\r\n]/.test(src.slice(start))) { text = text.replace(/[ \t\r\n]+$/, ''); start += 1; }
    parts.push(text);
    line += (src.slice(i, open).match(/\n/g) ?? []).length;
    let close: number;
    if (src.slice(start).trimStart().startsWith('/*')) {
      const endComment = src.indexOf('*/', start);
      if (endComment < 0) throw new TemplateError(`template: template:${line}: unclosed comment`);
      close = src.indexOf('}}', endComment + 2);
    } else {
      close = findClose(src, start);
    }
    if (close < 0) throw new TemplateError(`template: template:${line}: unclosed action`);
    let body = src.slice(start, close);
    if (/[ \t\r\n]-$/.test(body)) { body = body.slice(0, -1); trimNext = true; }
    if (!body.trim().startsWith('/*')) parts.push({ body, line });
    line += (src.slice(open, close).match(/\n/g) ?? []).length;
    i = close + 2;
  }
  return parts;
}

/** The `}}` that closes an action, skipping quoted strings inside it. */
function findClose(src: string, from: number): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if (c === '`') {
      i = src.indexOf('`', i + 1);
      if (i < 0) return -1;
    } else if (c === '}' && src[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

type Block = { kind: 'if' | 'with' | 'range'; pipe: Pipe; list: TemplateNode[]; elseList: TemplateNode[]; inElse: boolean; line: number; chained: boolean };

/** Parses a template string into its node list; throws TemplateError with Go's wording. */
export function parseTemplate(src: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: Block[] = [];
  const current = (): TemplateNode[] => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.elseList : top.list) : root;
  };
  const rangeDepth = (): number => stack.filter((b) => b.kind === 'range').length;
  const closeBlock = (): void => {
    // An `else if` chain opens nested blocks that one `end` closes together.
    for (;;) {
      const b = stack.pop()!;
      const node: TemplateNode = { kind: b.kind, pipe: b.pipe, list: b.list, elseList: b.elseList };
      current().push(node);
      if (!b.chained) return;
    }
  };
  for (const part of scan(src)) {
    if (typeof part === 'string') { if (part) current().push({ kind: 'text', text: part }); continue; }
    const toks = lexAction(part.body, part.line);
    const err = (msg: string): TemplateError => new TemplateError(`template: template:${part.line}: ${msg}`);
    if (toks.length === 0) throw err('missing value for command');
    const first = toks[0]!;
    const p = new ActionParser(toks, part.line);
    const kw = first.t === 'ident' && KEYWORDS.has(first.v) ? first.v : undefined;
    if (kw) p.next();
    const finish = (): void => { if (!p.done()) throw err(`unexpected ${JSON.stringify(p.peek()!.v)} in ${kw ?? 'command'}`); };
    switch (kw) {
      case 'if': case 'with': case 'range': {
        const pipe = p.pipeline(kw, true);
        finish();
        stack.push({ kind: kw, pipe, list: [], elseList: [], inElse: false, line: part.line, chained: false });
        break;
      }
      case 'else': {
        const top = stack[stack.length - 1];
        if (!top || top.inElse) throw err('unexpected {{else}}');
        top.inElse = true;
        const chain = p.peek();
        if (chain?.t === 'ident' && (chain.v === 'if' || chain.v === 'with')) {
          p.next();
          const pipe = p.pipeline(chain.v, true);
          finish();
          stack.push({ kind: chain.v, pipe, list: [], elseList: [], inElse: false, line: part.line, chained: true });
        } else {
          finish();
        }
        break;
      }
      case 'end':
        finish();
        if (stack.length === 0) throw err('unexpected {{end}}');
        closeBlock();
        break;
      case 'break': case 'continue':
        finish();
        if (rangeDepth() === 0) throw err(`{{${kw}}} outside {{range}}`);
        current().push({ kind: kw });
        break;
      case 'define': case 'template': case 'block':
        throw err(`{{${kw}}} is not supported by strings.render_template`);
      default: {
        const pipe = p.pipeline('command', true);
        finish();
        current().push({ kind: 'action', pipe });
      }
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    throw new TemplateError(`template: template:${open.line}: unexpected EOF`);
  }
  return root;
}
