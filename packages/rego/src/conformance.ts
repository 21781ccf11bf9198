/**
 * Runs OPA's own evaluation test cases (v1/test/cases/testdata/v1 YAML) against this engine, judging each case
 * exactly as OPA's `TestRego` runner does: result rows compared as a set, `want_error` as a substring of
 * `file:row: code: message`, strict builtin errors, `input_term`, `sort_bindings`.
 * Run directly: `npx node packages/rego/src/conformance.ts [cases-dir]` (default: the package's copy of OPA's cases).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
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
  readonly skips: ConformanceFailure[];
}

export interface ConformanceReport {
  readonly folders: FolderReport[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export type CaseOutcome = { readonly status: 'pass' } | { readonly status: 'fail' | 'skip'; readonly reason: string };

/** The only cases allowed to be skipped: they need builtins outside this project's scope. */
export const ALLOWED_SKIPS: ReadonlyMap<string, string> = new Map([
  ['withkeyword/builtin: http.send example', 'needs http.send, out of scope'],
  ['withkeyword/builtin: nested, multiple mocks', 'needs http.send and io.jwt.decode_verify, out of scope'],
  ['aggregates/count with invalid utf-8 chars (0xFFFD)', 'needs base64.decode, out of scope'],
]);

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
    const doc = YAML.parse(await readFile(path, 'utf8'), { intAsBigInt: true }) as { cases?: ConformanceCase[] };
    const file = relative(dir, path);
    const folder = file.split('/')[0]!;
    (doc.cases ?? []).forEach((c, index) => out.push({ folder, file, index, case: c }));
  }
  return out;
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

export function runCase(c: ConformanceCase): CaseOutcome {
  const skip = ALLOWED_SKIPS.get(c.note);
  if (skip) return { status: 'skip', reason: skip };
  const fail = (reason: string): CaseOutcome => ({ status: 'fail', reason });
  let policy;
  try {
    policy = compileModules((c.modules ?? []).map((source, i) => ({ path: `test-${i}.rego`, source })));
  } catch (e) {
    if (e instanceof RegoCompileError || e instanceof RegoError) return fail(`compile: ${e.message}`);
    throw e;
  }
  let input: Value | undefined;
  try {
    input = c.input_term !== undefined ? termToValue(parseTerm(c.input_term)) : c.input !== undefined ? fromJSON(c.input) : undefined;
  } catch (e) {
    return fail(`input_term: ${(e as Error).message}`);
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

export async function runConformance(dir: string): Promise<ConformanceReport> {
  const byFolder = new Map<string, FolderReport>();
  let passed = 0, failed = 0, skipped = 0;
  for (const lc of await loadCases(dir)) {
    let fr = byFolder.get(lc.folder);
    if (!fr) { fr = { folder: lc.folder, passed: 0, failed: 0, skipped: 0, failures: [], skips: [] }; byFolder.set(lc.folder, fr); }
    let outcome: CaseOutcome;
    try { outcome = runCase(lc.case); } catch (e) { outcome = { status: 'fail', reason: `crash: ${(e as Error).stack ?? String(e)}` }; }
    const entry = { file: lc.file, index: lc.index, note: lc.case.note };
    if (outcome.status === 'pass') { fr.passed++; passed++; }
    else if (outcome.status === 'skip') { fr.skipped++; skipped++; fr.skips.push({ ...entry, reason: outcome.reason }); }
    else { fr.failed++; failed++; fr.failures.push({ ...entry, reason: outcome.reason }); }
  }
  const folders = [...byFolder.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  return { folders, passed, failed, skipped };
}

export function formatConformanceReport(r: ConformanceReport): string {
  const lines = r.folders.map((f) => `${f.folder}: ${f.passed} passed, ${f.failed} failed, ${f.skipped} skipped`);
  lines.push(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  return lines.join('\n');
}

if (import.meta.main) {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('../test/fixtures/opa-conformance/cases', import.meta.url));
  const report = await runConformance(dir);
  if (process.argv.includes('--failures')) {
    for (const f of report.folders) for (const x of f.failures) console.log(`FAIL ${x.file}#${x.index} ${x.note}: ${x.reason.slice(0, 300)}`);
  }
  console.log(formatConformanceReport(report));
}
