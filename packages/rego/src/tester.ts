/**
 * `opa test` for embedded policies: every rule whose name starts with `test_` is evaluated on its own; it passes
 * when its value is `true`, fails when it is undefined or anything else, and errors when evaluation fails.
 */
import { RegoCompileError } from './errors.ts';
import type { RegoError } from './errors.ts';
import { compileModules } from './policy.ts';
import type { CompiledPolicy } from './policy.ts';
import type { Value } from './value.ts';

export interface PolicyTestResult {
  /** e.g. `data.deckhand.deploy.test_allows_admins`. */
  readonly name: string;
  readonly file: string;
  readonly row: number;
  readonly status: 'pass' | 'fail' | 'error';
  readonly error?: RegoError;
  readonly durationMs: number;
  /** Lines the test printed with `print(...)`. */
  readonly output: string[];
}

export interface PolicyTestReport {
  readonly results: PolicyTestResult[];
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  /** Parse/compile problems: when present, no test ran. */
  readonly compileErrors: readonly RegoError[];
}

export function runPolicyTests(
  modules: readonly { path: string; source: string }[],
  opts: { data?: Value } = {},
): PolicyTestReport {
  let policy: CompiledPolicy;
  try {
    policy = compileModules(modules);
  } catch (e) {
    if (e instanceof RegoCompileError) return { results: [], passed: 0, failed: 0, errored: 0, compileErrors: e.errors };
    throw e;
  }
  const seen = new Set<string>();
  const results: PolicyTestResult[] = [];
  for (const r of policy.rules) {
    const segs = r.path.split('.').slice(1);
    const last = segs[segs.length - 1] ?? '';
    if (r.kind !== 'single' || !last.startsWith('test_') || seen.has(r.path)) continue;
    seen.add(r.path);
    const started = performance.now();
    const query = `__test_result__ := data${segs.map((s) => `[${JSON.stringify(s)}]`).join('')}`;
    const output: string[] = [];
    const res = policy.query(query, { data: opts.data, strict: false, print: (line) => output.push(line) });
    const durationMs = performance.now() - started;
    const base = { name: r.path, file: r.file, row: r.row, durationMs, output };
    if (res.error) results.push({ ...base, status: 'error', error: res.error });
    else results.push({ ...base, status: res.rows.some((row) => row.get('__test_result__') === true) ? 'pass' : 'fail' });
  }
  const count = (s: PolicyTestResult['status']): number => results.filter((x) => x.status === s).length;
  return { results, passed: count('pass'), failed: count('fail'), errored: count('error'), compileErrors: [] };
}

export function formatPolicyTestReport(r: PolicyTestReport): string {
  if (r.compileErrors.length > 0) return r.compileErrors.map((e) => e.message).join('\n');
  const lines = r.results.map((x) => {
    const label = x.status === 'pass' ? 'PASS' : x.status === 'fail' ? 'FAIL' : 'ERROR';
    const line = `${x.file}:${x.row}: ${x.name}: ${label}${x.error ? ` (${x.error.message})` : ''}`;
    // Like `opa test`, printed output is shown for tests that did not pass.
    return x.status === 'pass' || x.output.length === 0 ? line : [line, ...x.output.map((o) => `  ${o}`)].join('\n');
  });
  lines.push(`PASS: ${r.passed}/${r.results.length}` + (r.failed ? `, FAIL: ${r.failed}` : '') + (r.errored ? `, ERROR: ${r.errored}` : ''));
  return lines.join('\n');
}

