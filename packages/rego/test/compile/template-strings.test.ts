/** Template strings: parse positions and errors (their values are covered by test/cases/stringinterpolation). */
import { describe, expect, it } from 'vitest';
import { compileModules, RegoCompileError, toJSON } from '../../src/index.ts';

function firstError(source: string): string {
  try { compileModules([{ path: 't.rego', source }]); } catch (e) {
    if (e instanceof RegoCompileError) return e.errors[0]!.message;
    throw e;
  }
  return '';
}

describe('template strings', () => {
  it('locates errors inside an expression at their place in the file', () => {
    expect(firstError('package t\n\np := $"ok {nope(1)}"')).toBe('t.rego:3: rego_type_error: undefined function nope');
    try { compileModules([{ path: 't.rego', source: 'package t\np := $`line\n  {input.x +}`' }]); } catch (e) {
      if (!(e instanceof RegoCompileError)) throw e;
      expect(e.errors[0]!.location).toEqual({ file: 't.rego', row: 3, col: 13 });
    }
  });

  it('rejects unterminated strings and empty expressions', () => {
    expect(firstError('package t\np := $"abc')).toBe('t.rego:2: rego_parse_error: non-terminated template string');
    expect(firstError('package t\np := $"a{}"')).toBe('t.rego:2: rego_parse_error: empty template string expression');
  });

  it('type-checks calls inside expressions', () => {
    expect(firstError('package t\np := $"{upper(1)}"')).toMatch(/^t\.rego:2: rego_type_error: upper: invalid argument\(s\)/);
  });

  it('an unused variable inside the expression is unsafe, as anywhere else', () => {
    expect(firstError('package t\np := $"{x}"')).toBe('t.rego:2: rego_unsafe_var_error: var x is unsafe');
  });

  it('works in queries', () => {
    const policy = compileModules([{ path: 't.rego', source: 'package t\nname := "api"' }]);
    expect(policy.query('x := $"svc={data.t.name}"').rows.map((r) => toJSON(r.get('x')!))).toEqual(['svc=api']);
  });
});
