/**
 * Why a document came out as it did, like `opa eval --explain`: for each rule of the queried package (and of the
 * packages it imports), whether it fired — with what it produced — or, if not, the expression no solution got past.
 *
 * It runs on the evaluator's public entry points (`evalBody`, `existsBody`, `evalTerm`) and adds nothing to the hot
 * path: a rule's body is evaluated prefix by prefix, and the first prefix without a solution names the expression
 * that failed. Bodies are taken as compiled (the safety stage may have reordered them), so every prefix is safe to
 * evaluate. It costs a few evaluations per rule: a tool for people, not for decisions.
 */
import { parseModule } from './ast/parser.ts';
import type { Body, Expr } from './ast/types.ts';
import { createBuiltinRegistry } from './builtins/index.ts';
import { compileProgram } from './compile/compiler.ts';
import type { CompiledRule, Program } from './compile/program.ts';
import { RegoError } from './errors.ts';
import { EVAL_BUILTINS } from './eval/eval-builtins.ts';
import { Evaluator } from './eval/evaluator.ts';
import { keyOf, toJSON } from './value.ts';
import type { Value } from './value.ts';

export type ExplainMode = 'notes' | 'fails' | 'full';

export interface FailedExpr {
  readonly file: string;
  readonly row: number;
  readonly col: number;
  /** The expression's source text (its first line). */
  readonly text: string;
}

export interface RuleExplanation {
  /** `data.deckhand.deploy.deny` */
  readonly path: string;
  readonly kind: 'single' | 'multi';
  /** The head has keys after the rule's name (`missing[group] := n`): each value is `{key, value}`. */
  readonly keyed: boolean;
  readonly file: string;
  readonly row: number;
  /** The rule's first source line. */
  readonly head: string;
  /** `else` branches are explained in turn: `else` marks one. */
  readonly branch: 'rule' | 'else' | 'default';
  readonly fired: boolean;
  /**
   * What it produced, one entry per distinct solution (at most MAX_VALUES): the element of a `contains` rule, the
   * value of a rule, or `{key, value}` for a rule whose head has keys after its name (`missing[group] := n`).
   */
  readonly values: readonly unknown[];
  /** For a rule that did not fire: the expression no solution got past. */
  readonly failed?: FailedExpr;
  /** Evaluation stopped with an error (a conflict, a builtin error in strict mode). */
  readonly error?: string;
}

export interface Explanation {
  /** `data.deckhand.deploy.decision` */
  readonly query: string;
  /** The document's value as JSON; undefined when it is undefined. */
  readonly result: unknown;
  /** Evaluating the document failed (`eval_conflict_error` …): the engine's `file:row: code: message`. */
  readonly error?: string;
  readonly packages: readonly string[];
  readonly rules: readonly RuleExplanation[];
  /** `print(...)` output during the explanation, in order. */
  readonly notes: readonly string[];
}

const MAX_VALUES = 10;

export interface ExplainOptions {
  readonly input?: Value | undefined;
  readonly data?: Value | undefined;
  /** The clock `time.now_ns` reads (default: now). */
  readonly nowNs?: bigint | undefined;
}

/** Compiles `modules` and explains the document at `query` (`data.a.b.c` or `a/b/c`). Compile problems throw. */
export function explainQuery(modules: readonly { path: string; source: string }[], query: string, opts: ExplainOptions = {}): Explanation {
  const builtins = new Map(createBuiltinRegistry());
  for (const b of EVAL_BUILTINS) builtins.set(b.name, b);
  const program = compileProgram(modules, builtins);
  const segs = pathSegments(query);
  // Notes are the document's own print output: the rule-by-rule passes below evaluate bodies again and would repeat them.
  const notes: string[] = [];
  let collecting = true;
  const ev = new Evaluator(program, {
    input: opts.input, data: opts.data, strict: false, nowNs: opts.nowNs ?? BigInt(Date.now()) * 1_000_000n,
    print: (m) => { if (collecting) notes.push(m); },
  });
  let result: Value | undefined;
  let error: string | undefined;
  try {
    result = ev.valueAt(segs);
  } catch (err) {
    // A conflict is itself the answer to "why": said once here, and again on the rules that produce it.
    if (!(err instanceof RegoError)) throw err;
    error = err.message;
  }
  collecting = false;
  const packages = packagesToExplain(modules, program, segs);
  const lines = sourceLines(modules);
  const rules: RuleExplanation[] = [];
  for (const rule of program.rules) {
    if (rule.kind === 'func' || !packages.some((p) => startsWith(rule.prefix, p))) continue;
    rules.push(...explainRule(ev, rule, lines, rule.isDefault ? 'default' : 'rule'));
  }
  return {
    query: `data.${segs.join('.')}`, result: result === undefined ? undefined : toJSON(result), ...(error !== undefined && { error }),
    packages: packages.map((p) => p.join('.')), rules, notes,
  };
}

/** The package holding the document, and the packages its modules import (`import data.deckhand.lib`). */
function packagesToExplain(modules: readonly { path: string; source: string }[], program: Program, segs: readonly string[]): string[][] {
  const all = program.packages.map((p) => p.split('.'));
  const own = all.filter((p) => startsWith(segs, p)).sort((a, b) => b.length - a.length)[0];
  if (!own) return all.filter((p) => startsWith(p, segs));
  const out = [own];
  for (const m of modules) {
    let parsed;
    try { parsed = parseModule(m.path, m.source); } catch { continue; }
    if (parsed.pkg.join('.') !== own.join('.')) continue;
    for (const imp of parsed.imports) {
      const ref = [imp.path.head, ...imp.path.path].map((t) => (t.kind === 'var' ? t.name : t.kind === 'scalar' ? String(t.scalar) : ''));
      if (ref[0] !== 'data') continue;
      const target = all.filter((p) => startsWith(ref.slice(1), p) || startsWith(p, ref.slice(1)));
      for (const t of target) if (!out.some((o) => o.join('.') === t.join('.'))) out.push(t);
    }
  }
  return out;
}

function explainRule(ev: Evaluator, rule: CompiledRule, lines: ReadonlyMap<string, readonly string[]>, branch: RuleExplanation['branch']): RuleExplanation[] {
  const base = {
    path: ['data', ...rule.prefix].join('.'), kind: rule.kind === 'multi' ? 'multi' as const : 'single' as const, keyed: rule.kind !== 'multi' && rule.rest.length > 0,
    file: rule.loc.file, row: rule.loc.row, head: lineAt(lines, rule.loc.file, rule.loc.row), branch,
  };
  let values: unknown[];
  try {
    values = valuesOf(ev, rule);
  } catch (err) {
    return [{ ...base, fired: false, values: [], error: err instanceof RegoError ? err.message : String(err) }];
  }
  if (values.length > 0) return [{ ...base, fired: true, values }];
  let failed: FailedExpr | undefined;
  try {
    failed = firstFailing(ev, rule.body, lines);
  } catch (err) {
    return [{ ...base, fired: false, values: [], error: err instanceof RegoError ? err.message : String(err) }];
  }
  const own: RuleExplanation = { ...base, fired: false, values: [], ...(failed && { failed }) };
  // OPA's `else`: the next branch is tried only when this one had no solution.
  return rule.else ? [own, ...explainRule(ev, rule.else, lines, 'else')] : [own];
}

/** Distinct values the rule produces (a `contains` rule's keys, else its values, under its head's keys). */
function valuesOf(ev: Evaluator, rule: CompiledRule): unknown[] {
  const seen = new Map<string, unknown>();
  const b = new Map<string, Value>();
  ev.evalBody(rule.body, 0, b, () => {
    if (seen.size >= MAX_VALUES) return;
    const term = rule.kind === 'multi' && rule.key ? rule.key : rule.value;
    ev.evalTerm(term, b, (v) => {
      if (rule.rest.length === 0) { seen.set(keyOf(v), toJSON(v)); return; }
      ev.evalList(rule.rest, b, (keys) => { seen.set(`${keys.map(keyOf).join()}=${keyOf(v)}`, { key: keys.map(toJSON), value: toJSON(v) }); });
    });
  });
  return [...seen.values()];
}

/** The first expression of `body` at which every solution stopped; undefined when the body has solutions. */
function firstFailing(ev: Evaluator, body: Body, lines: ReadonlyMap<string, readonly string[]>): FailedExpr | undefined {
  for (let n = 1; n <= body.length; n++) {
    if (!ev.existsBody(body.slice(0, n), new Map())) return describeExpr(body[n - 1]!, lines);
  }
  return undefined;
}

function describeExpr(e: Expr, lines: ReadonlyMap<string, readonly string[]>): FailedExpr {
  const { file, row, col } = e.loc;
  const line = lines.get(file)?.[row - 1] ?? '';
  return { file, row, col, text: line.slice(Math.max(0, col - 1)).trim() };
}

/**
 * JSON text of an engine value. Whole numbers come out of `toJSON` as bigints and are written digit for digit, so a
 * nanosecond timestamp is not rounded to a float on the way.
 */
export function jsonText(v: unknown, indent?: number): string {
  const marked = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `\u0000bigint:${x}` : x), indent);
  return marked === undefined ? 'undefined' : marked.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

const json = (v: unknown): string => jsonText(v);

function sourceLines(modules: readonly { path: string; source: string }[]): Map<string, string[]> {
  return new Map(modules.map((m) => [m.path, m.source.split('\n')]));
}

function lineAt(lines: ReadonlyMap<string, readonly string[]>, file: string, row: number): string {
  return (lines.get(file)?.[row - 1] ?? '').trim();
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

function pathSegments(query: string): string[] {
  const q = query.trim();
  if (q.includes('/')) return q.split('/').filter((s) => s.length > 0);
  const dotted = q.split('.').filter((s) => s.length > 0);
  return dotted[0] === 'data' ? dotted.slice(1) : dotted;
}

function showValue(r: RuleExplanation, v: unknown): string {
  if (r.kind === 'multi') return `contains ${json(v)}`;
  if (r.keyed && typeof v === 'object' && v !== null && 'key' in v && 'value' in v && Array.isArray(v.key)) {
    return `${v.key.map((k: unknown) => `[${json(k)}]`).join('')} = ${json(v.value)}`;
  }
  return `= ${json(v)}`;
}

/** Explain output for people, in one of OPA's three modes. */
export function formatExplanation(x: Explanation, mode: ExplainMode = 'full'): string {
  const out: string[] = [x.error === undefined ? `${x.query} = ${x.result === undefined ? 'undefined' : json(x.result)}` : `${x.query}: ${x.error}`, ''];
  out.push(`Rules of ${x.packages.join(', ')}:`);
  const fired = x.rules.filter((r) => r.fired);
  const notFired = x.rules.filter((r) => !r.fired);
  const at = (r: { file: string; row: number }): string => `${r.file}:${r.row}`;
  if (mode !== 'fails') {
    out.push('', `Fired (${fired.length}):`);
    for (const r of fired) {
      out.push(`  ${at(r)}  ${r.path}${r.branch === 'rule' ? '' : ` (${r.branch})`}  ${r.head}`);
      for (const v of r.values) out.push(`      ${showValue(r, v)}`);
    }
  }
  if (mode !== 'notes') {
    out.push('', `Did not fire (${notFired.length}):`);
    for (const r of notFired) {
      out.push(`  ${at(r)}  ${r.path}${r.branch === 'rule' ? '' : ` (${r.branch})`}  ${r.head}`);
      if (r.error) out.push(`      error: ${r.error}`);
      else if (r.failed) out.push(`      failed: ${r.failed.file}:${r.failed.row}:${r.failed.col}  ${r.failed.text}`);
    }
  }
  if (x.notes.length > 0 && mode !== 'fails') out.push('', 'Notes (print):', ...x.notes.map((n) => `  ${n}`));
  return out.join('\n');
}

