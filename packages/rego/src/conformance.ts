/**
 * Runs OPA's own evaluation test cases (v1/test/cases/testdata/v1 YAML) against this engine, judging each case
 * exactly as OPA's `TestRego` runner does: result rows compared as a set, `want_error` as a substring of
 * `file:row: code: message`, strict builtin errors, `input_term`, `sort_bindings`.
 * Run directly: `npx node packages/rego/src/conformance.ts [cases-dir]` (default: the package's copy of OPA's cases),
 * or `npx deckhand policy conformance <dir>`; both print every skip and failure with its reason, and exit 1 on a failure.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { parseTerm } from './ast/parser.ts';
import { RegoCompileError, RegoError } from './errors.ts';
import { compileModules } from './policy.ts';
import { termToValue } from './term-value.ts';
import { compare, fromJSON, keyOf, RObject, toJSON } from './value.ts';
import type { Value } from './value.ts';

export interface ConformanceCase {
  readonly note: string;
  readonly query: string;
  readonly modules?: string[];
  readonly data?: unknown;
  readonly input?: unknown;
  readonly input_term?: string;
  readonly want_result?: Record<string, unknown>[];
  readonly want_error_code?: string;
  readonly want_error?: string;
  readonly strict_error?: boolean;
  readonly sort_bindings?: boolean;
}

export interface LoadedCase {
  readonly folder: string;
  /** Path relative to the cases directory. */
  readonly file: string;
  readonly index: number;
  readonly case: ConformanceCase;
}

export interface ConformanceFailure { readonly file: string; readonly index: number; readonly note: string; readonly reason: string }

export interface FolderReport {
  readonly folder: string;
  passed: number;
  failed: number;
  skipped: number;
  readonly failures: ConformanceFailure[];
  /** Every skipped case with its reason: `known failure: …` or `out of scope: …`. */
  readonly skips: ConformanceFailure[];
}

export interface ConformanceReport {
  readonly folders: FolderReport[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export type CaseOutcome = { readonly status: 'pass' } | { readonly status: 'fail' | 'skip'; readonly reason: string };

/**
 * Builtins this project deliberately leaves out, with why: a case that calls one is skipped, whatever folder it is in,
 * so the command says the same thing on the in-repo copy and on any other folder of OPA's cases.
 */
export const OUT_OF_SCOPE_BUILTINS: ReadonlyMap<string, string> = new Map([
  ['http.send', 'reaches the network from inside a decision; a deploy policy gets its facts in `input`'],
  ['net.lookup_ip_addr', 'reaches DNS from inside a decision; answers would change between two evaluations of one request'],
  ['providers.aws.sign_req', 'signs AWS API requests, which only makes sense together with http.send'],
  ...['graphql.is_valid', 'graphql.parse', 'graphql.parse_and_verify', 'graphql.parse_query', 'graphql.parse_schema', 'graphql.schema_is_valid']
    .map((name): [string, string] => [name, 'parses and validates GraphQL documents (a GraphQL parser and validator of its own); no deploy decision needs GraphQL']),
  ['rego.parse_module', "returns OPA's own Go syntax tree as JSON (its field layout, generated bodies, indexes); a deploy policy has no use for parsing Rego during a decision"],
]);

/**
 * Cases this engine fails, by OPA's note, with why. They are still run: one that starts to pass is reported as a
 * failure until its entry is removed here, so the list cannot silently go stale.
 */
export const KNOWN_FAILURES: ReadonlyMap<string, string> = new Map([
  ['strings/sprintf: float too big', 'the literal 2e308 exceeds float64; OPA keeps arbitrary-precision numbers, our Value model uses JS numbers (Infinity)'],
]);

/** The deliberately left-out builtins a case calls (in its modules or its query), in the list's order. */
export function outOfScopeBuiltinsOf(c: ConformanceCase): string[] {
  const text = [...(c.modules ?? []), c.query].join('\n');
  return [...OUT_OF_SCOPE_BUILTINS.keys()].filter((name) => new RegExp(`(^|[^\\w.])${name.replaceAll('.', '\\.')}\\b`).test(text));
}

/** Why a case is not judged, or undefined when it is. */
export function skipReasonOf(c: ConformanceCase): string | undefined {
  const needs = outOfScopeBuiltinsOf(c);
  if (needs.length === 0) return undefined;
  return `out of scope: needs ${needs.map((n) => `${n} (${OUT_OF_SCOPE_BUILTINS.get(n)})`).join(', ')}`;
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await yamlFiles(p));
    else if (e.name.endsWith('.yaml') || e.name.endsWith('.yml')) out.push(p);
  }
  return out.sort();
}

export async function loadCases(dir: string): Promise<LoadedCase[]> {
  const out: LoadedCase[] = [];
  for (const path of await yamlFiles(dir)) {
    const file = relative(dir, path);
    const doc: unknown = YAML.parse(await readFile(path, 'utf8'), { intAsBigInt: true });
    // A single folder of cases is reported under its own name, as it would be inside the whole tree.
    const folder = file.includes(sep) ? file.split(sep)[0]! : basename(resolve(dir));
    casesOf(doc, file).forEach((c, index) => out.push({ folder, file, index, case: c }));
  }
  return out;
}

/** The `cases:` list of one YAML file; a file of another shape is a mistake in the folder given, said with its name. */
function casesOf(doc: unknown, file: string): ConformanceCase[] {
  const cases = typeof doc === 'object' && doc !== null && 'cases' in doc ? doc.cases : undefined;
  if (cases === undefined || cases === null) return [];
  if (!Array.isArray(cases)) throw new Error(`${file}: \`cases\` is not a list; not one of OPA's case files`);
  return cases.map((c: unknown, i) => {
    if (!isCase(c)) throw new Error(`${file}: case ${i} has no string \`note\` and \`query\`; not one of OPA's case files`);
    return c;
  });
}

function isCase(c: unknown): c is ConformanceCase {
  return typeof c === 'object' && c !== null && 'note' in c && typeof c.note === 'string' && 'query' in c && typeof c.query === 'string';
}

/** Rows as comparable keys: each row an object of variable → JSON-converted value. */
function rowKeys(rows: Map<string, Value>[], sortBindings: boolean): Set<string> {
  const keys = new Set<string>();
  for (const row of rows) {
    const o = new RObject();
    for (const [name, v] of row) {
      let j = fromJSON(toJSON(v));
      if (sortBindings && Array.isArray(j)) j = [...j].sort(compare);
      o.set(name, j);
    }
    keys.add(keyOf(o));
  }
  return keys;
}

/**
 * Judges one case as OPA's runner does, after the two lists: out-of-scope cases are skipped unrun; known failures
 * are run and skipped with their reason while they still fail, and reported as failures once they pass.
 */
export function runCase(c: ConformanceCase): CaseOutcome {
  const skip = skipReasonOf(c);
  if (skip) return { status: 'skip', reason: skip };
  const outcome = judgeCase(c);
  const known = KNOWN_FAILURES.get(c.note);
  if (known === undefined) return outcome;
  if (outcome.status === 'pass') return { status: 'fail', reason: 'listed in KNOWN_FAILURES but passes now: remove its entry' };
  return { status: 'skip', reason: `known failure: ${known}` };
}

/** OPA's verdict on one case, without the skip lists. */
export function judgeCase(c: ConformanceCase): CaseOutcome {
  const fail = (reason: string): CaseOutcome => ({ status: 'fail', reason });
  let policy;
  try {
    // OPA's runner has every builtin; opa.runtime (refused by default here) answers {} there, as no runtime is set.
    policy = compileModules((c.modules ?? []).map((source, i) => ({ path: `test-${i}.rego`, source })), { allowBuiltins: ['opa.runtime'] });
  } catch (e) {
    if (e instanceof RegoCompileError || e instanceof RegoError) return judgeCompileError(c, e);
    throw e;
  }
  let input: Value | undefined;
  try {
    input = c.input_term !== undefined ? termToValue(parseTerm(c.input_term)) : c.input !== undefined ? fromJSON(c.input) : undefined;
  } catch (e) {
    return fail(`input_term: ${e instanceof Error ? e.message : String(e)}`);
  }
  const data = c.data !== undefined ? fromJSON(c.data) : undefined;
  let result;
  try {
    result = policy.query(c.query, { input, data, strict: c.strict_error === true });
  } catch (e) {
    if (e instanceof RegoCompileError || e instanceof RegoError) return fail(`query: ${e.message}`);
    throw e;
  }
  const err = result.error;
  if (c.want_error !== undefined) {
    if (!err) return fail(`expected error containing ${JSON.stringify(c.want_error)}, got none`);
    if (!err.message.includes(c.want_error)) return fail(`error ${JSON.stringify(err.message)} does not contain ${JSON.stringify(c.want_error)}`);
  }
  if (c.want_error_code !== undefined) {
    if (!err) return fail(`expected error code ${c.want_error_code}, got none`);
    if (err.code !== c.want_error_code) return fail(`error code ${err.code} (${err.message}), want ${c.want_error_code}`);
  }
  if (err && c.want_error === undefined && c.want_error_code === undefined) return fail(`unexpected error: ${err.message}`);
  if (c.want_result !== undefined) {
    const want = new Set(c.want_result.map((r) => keyOf(fromJSON(r))));
    const got = rowKeys(result.rows, c.sort_bindings === true);
    const same = want.size === got.size && [...want].every((k) => got.has(k));
    if (!same) return fail(`result ${[...got].join(' ')} != want ${[...want].join(' ')}`);
  } else if (c.want_error === undefined && c.want_error_code === undefined) {
    return fail('case sets none of want_result, want_error, want_error_code');
  }
  return { status: 'pass' };
}

/**
 * OPA's runner treats any compile error as a failed case, and none of its cases expects one. Our own cases (H's
 * compile-stage checks) do: a case that sets `want_error` / `want_error_code` is judged against the first compile
 * error exactly as against an evaluation error. OPA's cases are judged as before, since they never set them for this.
 */
function judgeCompileError(c: ConformanceCase, e: RegoCompileError | RegoError): CaseOutcome {
  const fail = (reason: string): CaseOutcome => ({ status: 'fail', reason });
  if (c.want_error === undefined && c.want_error_code === undefined) return fail(`compile: ${e.message}`);
  const first = e instanceof RegoError ? e : e.errors[0];
  if (c.want_error !== undefined && !e.message.includes(c.want_error)) return fail(`compile error ${JSON.stringify(e.message)} does not contain ${JSON.stringify(c.want_error)}`);
  if (c.want_error_code !== undefined && first?.code !== c.want_error_code) return fail(`compile error code ${first?.code ?? 'none'} (${e.message}), want ${c.want_error_code}`);
  if (c.want_result !== undefined && c.want_result.length > 0) return fail(`compile: ${e.message} (a result was wanted as well)`);
  return { status: 'pass' };
}

/**
 * Every case under `dir`, folder by folder. `dir` may be a tree laid out like OPA's (`<dir>/<folder>/*.yaml`) or one
 * such folder (`<dir>/*.yaml`), which is then reported under its own name.
 */
export async function runConformance(dir: string): Promise<ConformanceReport> {
  const byFolder = new Map<string, FolderReport>();
  let passed = 0, failed = 0, skipped = 0;
  for (const lc of await loadCases(dir)) {
    let fr = byFolder.get(lc.folder);
    if (!fr) { fr = { folder: lc.folder, passed: 0, failed: 0, skipped: 0, failures: [], skips: [] }; byFolder.set(lc.folder, fr); }
    let outcome: CaseOutcome;
    try { outcome = runCase(lc.case); } catch (e) { outcome = { status: 'fail', reason: `crash: ${e instanceof Error ? e.stack ?? e.message : String(e)}` }; }
    const entry = { file: lc.file, index: lc.index, note: lc.case.note };
    if (outcome.status === 'pass') { fr.passed++; passed++; }
    else if (outcome.status === 'skip') { fr.skipped++; skipped++; fr.skips.push({ ...entry, reason: outcome.reason }); }
    else { fr.failed++; failed++; fr.failures.push({ ...entry, reason: outcome.reason }); }
  }
  const folders = [...byFolder.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  return { folders, passed, failed, skipped };
}

const REASON_WIDTH = 300;

/**
 * One line per folder (`ok` when every case it judged passed), each skip and each failure under its folder with
 * the reason, then the total. Failure reasons are cut to a readable width; `--failures` is no longer needed to see them.
 */
export function formatConformanceReport(r: ConformanceReport): string {
  const lines: string[] = [];
  for (const f of r.folders) {
    const judged = f.passed + f.failed;
    const verdict = f.failed === 0 ? (judged > 0 ? 'ok' : 'all skipped') : 'FAIL';
    lines.push(`${verdict.padEnd(11)} ${f.folder}: ${f.passed} passed, ${f.failed} failed, ${f.skipped} skipped`);
    for (const x of f.skips) lines.push(`    skip ${x.file}#${x.index} "${x.note}": ${x.reason}`);
    for (const x of f.failures) lines.push(`    FAIL ${x.file}#${x.index} "${x.note}": ${cut(x.reason.replaceAll('\n', ' '), REASON_WIDTH)}`);
  }
  const clean = r.folders.filter((f) => f.failed === 0 && f.passed > 0).length;
  lines.push(`Total: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${r.passed + r.failed + r.skipped} cases; ${clean} of ${r.folders.length} folders at 100% of the cases they judge)`);
  return lines.join('\n');
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

if (import.meta.main) {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('../test/fixtures/opa-conformance/cases', import.meta.url));
  const report = await runConformance(dir);
  console.log(formatConformanceReport(report));
  process.exitCode = report.failed === 0 ? 0 : 1;
}
