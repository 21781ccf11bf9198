/**
 * Executes a parsed Go text/template (see go-template-parse.ts) over template variables as OPA hands them to
 * Go: the Rego object after a JSON round trip, so numbers are json.Number (a string kind: always truthy, printed
 * as written, not comparable with integer literals), sets are slices and objects are map[string]any.
 *
 * Missing keys render as `<undefined>` (OPA v1.19's rendertemplate cases) rather than failing. Functions: Go's
 * and, or, not, len, index, eq, ne, lt, le, gt, ge, print, println, printf, html, urlquery; `printf` is Go's
 * fmt over the same values, so a number from the variables is a json.Number (`%v`/`%s` print it, `%d` does not).
 * `slice`, `call` and `js` are not provided.
 */
import { RSet } from '../value.ts';
import type { RObject, Value } from '../value.ts';
import { formatFloat, sprintfGo } from './sprintf.ts';
import type { GoArg } from './sprintf.ts';
import { formatNumber } from './rego-text.ts';
import { TemplateError, parseTemplate } from './go-template-parse.ts';
import type { Arg, BlockNode, Pipe, TemplateNode } from './go-template-parse.ts';

/** A json.Number: the decimal text of a Rego number. */
class JsonNumber {
  readonly text: string;
  constructor(text: string) { this.text = text; }
}
/** A float64 from a template literal such as `1.5`. */
class GoFloat {
  readonly v: number;
  constructor(v: number) { this.v = v; }
}

/** undefined is Go's invalid reflect.Value ("no value"); null is a nil interface; a JS number is a Go int. */
type TV = undefined | null | boolean | string | number | JsonNumber | GoFloat | TV[] | Map<string, TV>;

const NO_VALUE = '<undefined>';

class Break { readonly kind = 'break'; }
class Continue { readonly kind = 'continue'; }

function fromRego(v: Value): TV {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new JsonNumber(formatNumber(v));
  if (Array.isArray(v)) return v.map(fromRego);
  if (v instanceof RSet) return v.sorted().map(fromRego);
  const m = new Map<string, TV>();
  for (const [k, x] of v.pairs()) {
    if (typeof k !== 'string') throw new TemplateError('json: cannot unmarshal object with non-string key into Go value of type map[string]interface {}');
    m.set(k, fromRego(x));
  }
  return m;
}

/** A template value as printf's fmt receives it: json.Number stays a string kind, as in Go. */
function goArg(v: TV): GoArg {
  if (v === undefined || v === null) return { kind: 'nil' };
  if (typeof v === 'boolean') return { kind: 'bool', v };
  if (typeof v === 'string') return { kind: 'string', v };
  if (typeof v === 'number') return { kind: 'int', v: BigInt(v) };
  if (v instanceof JsonNumber) return { kind: 'string', v: v.text, type: 'json.Number' };
  if (v instanceof GoFloat) return { kind: 'float', v: v.v };
  return { kind: 'string', v: printV(v, true), type: goTypeName(v) };
}

function goTypeName(v: TV): string {
  if (v === undefined) return 'invalid';
  if (v === null) return 'interface {}';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'int';
  if (v instanceof JsonNumber) return 'json.Number';
  if (v instanceof GoFloat) return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** fmt's %v, as text/template prints a value (nested nils print as <nil>). */
function printV(v: TV, nested: boolean): string {
  if (v === undefined) return NO_VALUE;
  if (v === null) return nested ? '<nil>' : NO_VALUE;
  if (typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (typeof v === 'number') return String(v);
  if (v instanceof JsonNumber) return v.text;
  if (v instanceof GoFloat) return formatFloat(v.v, 'g', undefined);
  if (Array.isArray(v)) return '[' + v.map((x) => printV(x, true)).join(' ') + ']';
  return 'map[' + [...v.keys()].sort().map((k) => `${k}:${printV(v.get(k), true)}`).join(' ') + ']';
}

function truth(v: TV): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof GoFloat) return v.v !== 0;
  if (v instanceof JsonNumber) return v.text.length > 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  return v.size > 0;
}

type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: TV): BasicKind | undefined {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'string' || v instanceof JsonNumber) return 'string';
  return undefined;
}

function basicValue(v: TV): string | number | boolean {
  if (v instanceof JsonNumber) return v.text;
  if (v instanceof GoFloat) return v.v;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new TemplateError('invalid type for comparison');
}

function compareBasic(fn: string, a: TV, b: TV): number {
  const ka = basicKind(a), kb = basicKind(b);
  if (!ka || !kb) throw new TemplateError(`error calling ${fn}: ${a === undefined || b === undefined ? 'invalid type for comparison' : 'non-comparable types'}`);
  if (ka !== kb) throw new TemplateError(`error calling ${fn}: incompatible types for comparison`);
  const x = basicValue(a), y = basicValue(b);
  if (ka === 'bool' && fn !== 'eq' && fn !== 'ne') throw new TemplateError(`error calling ${fn}: invalid type for comparison`);
  return x < y ? -1 : x > y ? 1 : 0;
}

function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c] ?? c);
}

/** fmt.Sprint: a space between operands when neither side is a string. */
function sprint(args: TV[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += printV(a, true);
  });
  return out;
}

function indexInto(item: TV, keys: TV[]): TV {
  let cur = item;
  for (const k of keys) {
    if (cur === undefined || cur === null) throw new TemplateError('error calling index: index of untyped nil');
    if (Array.isArray(cur) || typeof cur === 'string') {
      if (typeof k !== 'number') throw new TemplateError(`error calling index: cannot index slice/array with type ${goTypeName(k)}`);
      if (k < 0 || k >= cur.length) throw new TemplateError(`error calling index: index out of range: ${k}`);
      cur = Array.isArray(cur) ? cur[k] : cur.charCodeAt(k);
    } else if (cur instanceof Map) {
      if (typeof k !== 'string') throw new TemplateError(`error calling index: value has type ${goTypeName(k)}; should be string`);
      cur = cur.get(k);
    } else {
      throw new TemplateError(`error calling index: can't index item of type ${goTypeName(cur)}`);
    }
  }
  return cur;
}

const FUNCS: Record<string, (args: TV[]) => TV> = {
  not: (a) => { if (a.length !== 1) throw new TemplateError('wrong number of args for not: want 1'); return !truth(a[0]); },
  len: ([v]) => {
    if (typeof v === 'string') return new TextEncoder().encode(v).length;
    if (v instanceof JsonNumber) return v.text.length;
    if (Array.isArray(v)) return v.length;
    if (v instanceof Map) return v.size;
    throw new TemplateError(`error calling len: len of type ${goTypeName(v)}`);
  },
  index: ([item, ...keys]) => indexInto(item, keys),
  eq: ([a, ...rest]) => {
    if (rest.length === 0) throw new TemplateError('missing argument for comparison');
    return rest.some((b) => compareBasic('eq', a, b) === 0);
  },
  ne: ([a, b]) => compareBasic('ne', a, b) !== 0,
  lt: ([a, b]) => compareBasic('lt', a, b) < 0,
  le: ([a, b]) => compareBasic('le', a, b) <= 0,
  gt: ([a, b]) => compareBasic('gt', a, b) > 0,
  ge: ([a, b]) => compareBasic('ge', a, b) >= 0,
  print: (a) => sprint(a),
  println: (a) => a.map((x) => printV(x, true)).join(' ') + '\n',
  printf: ([format, ...rest]) => {
    if (typeof format !== 'string') throw new TemplateError(`wrong type for value; expected string; got ${goTypeName(format)}`);
    return sprintfGo(format, rest.map(goArg));
  },
  html: (a) => htmlEscape(sprint(a)),
  urlquery: (a) => encodeURIComponent(sprint(a)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()),
};

interface Scope { name: string; value: TV }

class Executor {
  private out = '';
  private readonly vars: Scope[];
  constructor(root: TV) { this.vars = [{ name: '$', value: root }]; }

  run(nodes: TemplateNode[], dot: TV): string {
    this.walkList(nodes, dot);
    return this.out;
  }

  private walkList(nodes: TemplateNode[], dot: TV): void {
    for (const n of nodes) this.walk(n, dot);
  }

  private walk(n: TemplateNode, dot: TV): void {
    switch (n.kind) {
      case 'text': this.out += n.text; return;
      case 'action': {
        const v = this.pipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.out += printV(v, false);
        return;
      }
      case 'if': case 'with': {
        const mark = this.vars.length;
        const v = this.pipeline(dot, n.pipe);
        if (truth(v)) this.walkList(n.list, n.kind === 'with' ? v : dot);
        else this.walkList(n.elseList, dot);
        this.vars.length = mark;
        return;
      }
      case 'range': this.range(n, dot); return;
      case 'break': throw new Break();
      case 'continue': throw new Continue();
    }
  }

  private range(n: BlockNode, dot: TV): void {
    const mark = this.vars.length;
    const decl = n.pipe.decl;
    const v = this.pipeline(dot, { ...n.pipe, decl: [] });
    let entries: [TV, TV][];
    if (Array.isArray(v)) entries = v.map((x, i) => [i, x]);
    else if (v instanceof Map) entries = [...v.keys()].sort().map((k) => [k, v.get(k)]);
    else if (v === undefined || v === null) entries = [];
    else throw new TemplateError(`template: template:${n.pipe.line}: range can't iterate over ${printV(v, true)}`);
    if (entries.length === 0) { this.walkList(n.elseList, dot); this.vars.length = mark; return; }
    for (const [k, x] of entries) {
      this.vars.length = mark;
      if (decl.length === 1) this.vars.push({ name: decl[0]!, value: x });
      if (decl.length === 2) this.vars.push({ name: decl[0]!, value: k }, { name: decl[1]!, value: x });
      try {
        this.walkList(n.list, x);
      } catch (e) {
        if (e instanceof Break) break;
        if (e instanceof Continue) continue;
        throw e;
      }
    }
    this.vars.length = mark;
  }

  private lookupVar(name: string, line: number): TV {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw new TemplateError(`template: template:${line}: undefined variable "${name}"`);
  }

  private pipeline(dot: TV, pipe: Pipe): TV {
    let value: TV | typeof NONE = NONE;
    for (const cmd of pipe.cmds) value = this.command(dot, cmd, value, pipe.line);
    const v = value === NONE ? undefined : value;
    if (pipe.assign) {
      const name = pipe.decl[0]!;
      this.lookupVar(name, pipe.line);
      for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) { this.vars[i]!.value = v; break; }
    } else {
      for (const name of pipe.decl) this.vars.push({ name, value: v });
    }
    return v;
  }

  private command(dot: TV, cmd: readonly Arg[], final: TV | typeof NONE, line: number): TV {
    const [first, ...rest] = cmd;
    if (first!.kind === 'ident') {
      const fn = FUNCS[first!.name];
      const args = rest.map((a) => this.arg(dot, a, line));
      if (final !== NONE) args.push(final);
      if (first!.name === 'and' || first!.name === 'or') {
        if (args.length === 0) throw new TemplateError(`template: template:${line}: wrong number of args for ${first!.name}: want at least 1 got 0`);
        const want = first!.name === 'or';
        for (const a of args) if (truth(a) === want) return a;
        return args[args.length - 1];
      }
      if (!fn) throw new TemplateError(`template: template:${line}: function "${first!.name}" not defined`);
      try {
        return fn(args);
      } catch (e) {
        if (e instanceof TemplateError && !e.message.startsWith('template:')) {
          throw new TemplateError(`template: template:${line}: executing "template": ${e.message}`);
        }
        throw e;
      }
    }
    if (rest.length > 0 || final !== NONE) {
      throw new TemplateError(`template: template:${line}: can't give argument to non-function ${argText(first!)}`);
    }
    return this.arg(dot, first!, line);
  }

  private arg(dot: TV, a: Arg, line: number): TV {
    switch (a.kind) {
      case 'dot': return dot;
      case 'literal':
        if (typeof a.value === 'number' && !Number.isInteger(a.value)) return new GoFloat(a.value);
        if (typeof a.value === 'number' && /[.eE]/.test(a.text) && !/^[+-]?0[xX]/.test(a.text)) return new GoFloat(a.value);
        return a.value;
      case 'ident': {
        if (a.name === 'and' || a.name === 'or' || FUNCS[a.name]) return this.command(dot, [a], NONE, line);
        throw new TemplateError(`template: template:${line}: function "${a.name}" not defined`);
      }
      case 'pipe': return this.pipeline(dot, a.pipe);
      case 'var': return this.fields(this.lookupVar(a.name, line), a.names, line);
      case 'field': return this.fields(a.base ? this.arg(dot, a.base, line) : dot, a.names, line);
    }
  }

  private fields(base: TV, names: readonly string[], line: number): TV {
    let cur = base;
    for (const name of names) {
      if (cur === undefined || cur === null) return undefined;
      if (!(cur instanceof Map)) {
        throw new TemplateError(`template: template:${line}: executing "template": can't evaluate field ${name} in type ${goTypeName(cur)}`);
      }
      cur = cur.get(name);
    }
    return cur;
  }
}

const NONE: unique symbol = Symbol('no final value');

function argText(a: Arg): string {
  switch (a.kind) {
    case 'dot': return '.';
    case 'field': return '.' + a.names.join('.');
    case 'var': return a.name + a.names.map((n) => '.' + n).join('');
    case 'literal': return a.text;
    case 'ident': return a.name;
    case 'pipe': return '(pipeline)';
  }
}

const PARSED_LIMIT = 64;
/** Policies render the same few templates on every decision: keep their parse trees (they are never mutated). */
const parsed = new Map<string, TemplateNode[]>();

function parseCached(template: string): TemplateNode[] {
  let nodes = parsed.get(template);
  if (!nodes) {
    nodes = parseTemplate(template);
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
    parsed.set(template, nodes);
  }
  return nodes;
}

/** Renders `template` over `vars`; throws TemplateError with Go's wording on a parse or execution failure. */
export function renderGoTemplate(template: string, vars: RObject): string {
  const nodes = parseCached(template);
  const root = fromRego(vars);
  return new Executor(root).run(nodes, root);
}

export { TemplateError };
