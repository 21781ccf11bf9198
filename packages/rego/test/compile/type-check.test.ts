/**
 * Compile-time checks of builtin calls (OPA's check.go): what is known before evaluation is rejected with OPA's
 * `rego_type_error` text; what only evaluation can know is left alone.
 */
import { describe, expect, it } from 'vitest';
import { compileModules, fromJSON, RegoCompileError, toJSON } from '../../src/index.ts';

function errorsOf(source: string, options?: Parameters<typeof compileModules>[1]): string[] {
  try { compileModules([{ path: 'p.rego', source }], options); } catch (e) {
    if (e instanceof RegoCompileError) return e.errors.map((x) => x.message);
    throw e;
  }
  return [];
}

describe('builtin argument types', () => {
  it('rejects a literal of the wrong type, with have/want lines as OPA prints them', () => {
    expect(errorsOf('package t\np := upper(1)')).toEqual([
      'p.rego:2: rego_type_error: upper: invalid argument(s)\n\thave: (number, ???)\n\twant: (string, string)',
    ]);
  });

  it('types a variable from its literal and from a builtin result', () => {
    expect(errorsOf('package t\np if { x := "a"; y := count(x); startswith(y, "1") }')[0])
      .toMatch(/^p\.rego:2: rego_type_error: startswith: invalid argument\(s\)\n\thave: \(number, string\)/);
  });

  it('matches composite literals element by element; object literals may leave out declared keys', () => {
    expect(errorsOf('package t\np := json.marshal_with_options([1], {"indent": "  "})')).toEqual([]);
    expect(errorsOf('package t\np := concat(",", [1, 2])')[0]).toContain('rego_type_error: concat: invalid argument(s)');
    expect(errorsOf('package t\np := concat(",", {"a", "b"})')).toEqual([]);
    expect(errorsOf('package t\np := sum({1, "a"})')[0]).toContain('sum: invalid argument(s)');
  });

  it('accepts anything from input, data or rules: those are checked when evaluated', () => {
    const policy = compileModules([{ path: 'p.rego', source: 'package t\nn := 1\np := upper(input.x)\nq := upper(n)' }]);
    expect(policy.query('data.t.p = x', { input: fromJSON({ x: 'a' }) }).rows.map((r) => toJSON(r.get('x')!))).toEqual(['A']);
    const q = policy.query('data.t.q = x', { strict: true });
    expect(q.error?.code).toBe('eval_type_error');
  });

  it('checks queries as well as modules', () => {
    const policy = compileModules([{ path: 'p.rego', source: 'package t' }]);
    expect(() => policy.query('x := lower(true)')).toThrow(/rego_type_error: lower: invalid argument\(s\)/);
  });

  it('reports arity as OPA: builtins by name, user functions by path', () => {
    expect(errorsOf('package t\np := count()')[0]).toMatch(/^p\.rego:2: rego_type_error: count: too few arguments\n\thave: \(\)\n\twant: /);
    expect(errorsOf('package t\np if count([], 1, 2)')[0]).toMatch(/count: too many arguments/);
    expect(errorsOf('package t\nf(x) := x\np if f(1, 2, 3)')).toEqual(['p.rego:3: rego_type_error: function data.t.f has arity 1, got 3 arguments']);
    expect(errorsOf('package t\np if nope(1)')).toEqual(['p.rego:2: rego_type_error: undefined function nope']);
  });
});

describe('builtins refused at compile time', () => {
  it('refuses the deprecated builtins of Rego v0', () => {
    expect(errorsOf('package t\np := any([true])')).toEqual(['p.rego:2: rego_type_error: deprecated built-in function calls in expression: any']);
  });

  it('refuses builtins that reach outside, naming the option that enables them', () => {
    const [msg] = errorsOf('package t\np := opa.runtime()');
    expect(msg).toMatch(/^p\.rego:2: rego_type_error: opa\.runtime: refused: .*allowBuiltins: \['opa\.runtime'\]/);
    const policy = compileModules([{ path: 'p.rego', source: 'package t\np := opa.runtime()' }], { allowBuiltins: ['opa.runtime'] });
    expect(toJSON(policy.evalPath('t/p')!)).toEqual({});
  });
});
