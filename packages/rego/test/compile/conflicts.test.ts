/** OPA's rule-conflict checks (compile.go checkRuleConflicts), with OPA's codes and messages. */
import { describe, expect, it } from 'vitest';
import { compileModules, fromJSON, RegoCompileError } from '../../src/index.ts';

function errorsOf(files: Record<string, string>, options?: Parameters<typeof compileModules>[1]): string[] {
  try { compileModules(Object.entries(files).map(([path, source]) => ({ path, source })), options); } catch (e) {
    if (e instanceof RegoCompileError) return e.errors.map((x) => x.message);
    throw e;
  }
  return [];
}

describe('rule conflicts', () => {
  it('one kind of rule per path, functions of one arity', () => {
    expect(errorsOf({ 'a.rego': 'package t\nf(x) := 1\nf(x, y) := 2' })).toEqual(['a.rego:2: rego_type_error: conflicting rules data.t.f found']);
    expect(errorsOf({ 'a.rego': 'package t\np := 1\np[r] := 2 if { r := "k" }' })).toEqual(['a.rego:2: rego_type_error: conflicting rules data.t.p[r] found']);
  });

  it('lists every default of a path', () => {
    expect(errorsOf({ 'a.rego': 'package t\ndefault p := 1\ndefault p := 2\np := 3 if input.x' }))
      .toEqual(['a.rego:2: rego_type_error: multiple default rules data.t.p found at a.rego:2, a.rego:3']);
  });

  it('no rule below a complete value, a set or a function', () => {
    expect(errorsOf({ 'a.rego': 'package t\np.q.r if true\np.q.r.s if true\np.q.r.t if true' }))
      .toEqual(['a.rego:2: rego_type_error: rule data.t.p.q.r conflicts with [data.t.p.q.r.s data.t.p.q.r.t]']);
    expect(errorsOf({ 'a.rego': 'package t\np contains 1\np.q := 42' })).toEqual(['a.rego:2: rego_type_error: rule data.t.p conflicts with [data.t.p.q]']);
    expect(errorsOf({ 'a.rego': 'package t\np(x) := x\np.q.r if true' })).toEqual(['a.rego:2: rego_type_error: rule data.t.p conflicts with [data.t.p.q.r]']);
    // A partial object leaves its keys to evaluation: no conflict.
    expect(errorsOf({ 'a.rego': 'package t\np.q[r] := 1 if r := input.k\np.q.s := 2' })).toEqual([]);
  });

  it('no package inside a rule with a ground head', () => {
    expect(errorsOf({ 'a.rego': 'package t\np := 1', 'b.rego': 'package t.p\nq := 1' })).toEqual([
      'a.rego:1: rego_type_error: package t.p conflicts with rule p defined at a.rego:2',
      'a.rego:2: rego_type_error: rule data.t.p conflicts with [data.t.p.q]',
    ]);
    expect(errorsOf({ 'a.rego': 'package t\np[x] := 1 if x := "a"', 'b.rego': 'package t.p\nq := 1' })).toEqual([]);
  });

  it('no rule where the base documents known at compile time hold a value', () => {
    const baseData = fromJSON({ authz: { allow: 'from data', other: 1 } });
    expect(errorsOf({ 'a.rego': 'package authz\ndefault allow := false\nallow if input.ok' }, { baseData }))
      .toEqual(['a.rego:2: rego_compile_error: conflicting rule for data path authz/allow found']);
    expect(errorsOf({ 'a.rego': 'package authz\ndeny := true' }, { baseData })).toEqual([]);
  });
});
