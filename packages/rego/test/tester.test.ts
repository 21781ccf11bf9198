import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPolicyTestReport, runPolicyTests } from '../src/index.ts';

const fixture = (name: string): { path: string; source: string } => ({
  path: name,
  source: readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'),
});

describe('runPolicyTests', () => {
  it('runs every test_ rule and reports pass/fail with locations', () => {
    const report = runPolicyTests([fixture('deploy.rego'), fixture('deploy_test.rego')]);
    expect(report.passed).toBe(3);
    expect(report.failed).toBe(1);
    expect(report.results.find((r) => r.status === 'fail')?.name).toBe('data.deckhand.deploy_test.test_this_one_fails');
    expect(formatPolicyTestReport(report).split('\n').at(-1)).toBe('PASS: 3/4, FAIL: 1');
  });

  it('reports evaluation errors as errors, not failures', () => {
    const report = runPolicyTests([{ path: 't.rego', source: 'package t\ntest_conflict if { x := [1, 2][_]; x > 0 }\np := x if x := [1, 2][_]\ntest_p if p' }]);
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'error']);
    expect(report.results[1]!.error?.code).toBe('eval_conflict_error');
  });

  it('keeps what a test printed and shows it when the test fails', () => {
    const report = runPolicyTests([{ path: 't.rego', source: 'package t\ntest_p if { print("x is", 1); false }' }]);
    expect(report.results[0]!.output).toEqual(['x is 1']);
    expect(formatPolicyTestReport(report)).toContain('\n  x is 1\n');
  });

  it('returns compile errors instead of running', () => {
    const report = runPolicyTests([{ path: 't.rego', source: 'package t\ntest_x if { y }' }]);
    expect(report.results).toEqual([]);
    expect(report.compileErrors[0]?.message).toBe('t.rego:2: rego_unsafe_var_error: var y is unsafe');
  });
});
