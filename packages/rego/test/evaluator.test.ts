import { describe, expect, it } from 'vitest';
import { compileModules, fromJSON, RegoCompileError } from '../src/index.ts';
import { policyOf, rowsOf, valueOf } from './helpers.ts';

describe('rules and documents', () => {
  it('evaluates complete, partial set, partial object and ref-head rules', () => {
    const p = policyOf(`
      a := 1
      s contains x if some x in [1, 2, 2]
      o[k] := v if some k, v in {"x": 1, "y": 2}
      r.b[c].d := c if c := "q"
    `);
    expect(valueOf(p, 'a')).toBe(1);
    expect(valueOf(p, 's')).toEqual([1, 2]);
    expect(valueOf(p, 'o')).toEqual({ x: 1, y: 2 });
    expect(valueOf(p, 'r')).toEqual({ b: { q: { d: 'q' } } });
    expect(valueOf(p, 'r.b.q.d')).toBe('q');
  });

  it('merges virtual and base documents under data', () => {
    const p = policyOf('p := 1');
    expect(rowsOf(p, 'x := data', { data: fromJSON({ base: { k: true } }) })).toEqual([{ x: { base: { k: true }, test: { p: 1 } } }]);
  });

  it('uses default when no body matches and else chains in order', () => {
    const p = policyOf(`
      default d := "none"
      d := "big" if input.n > 10
      e := "a" if input.n == 1 else := "b" if input.n == 2 else := "c"
    `);
    expect(valueOf(p, 'd', { input: fromJSON({ n: 1 }) })).toBe('none');
    expect(valueOf(p, 'd', { input: fromJSON({ n: 11 }) })).toBe('big');
    expect(valueOf(p, 'e', { input: fromJSON({ n: 2 }) })).toBe('b');
    expect(valueOf(p, 'e', { input: fromJSON({ n: 9 }) })).toBe('c');
  });

  it('falls through to else when the head value is undefined (OPA moves head refs into the body)', () => {
    const p = policyOf('p := input.x if true else := "fallback"\nf(a) := input.y if true else := "ff"\nq := f(1)');
    expect(valueOf(p, 'p')).toBe('fallback');
    expect(valueOf(p, 'q')).toBe('ff');
  });

  it('reports complete-rule conflicts as eval_conflict_error with the rule location', () => {
    const p = policyOf('p := x if x := [1, 2][_]');
    const r = p.query('data.test.p');
    expect(r.error?.code).toBe('eval_conflict_error');
    expect(r.error?.message).toBe('test-0.rego:2: eval_conflict_error: complete rules must not produce multiple outputs');
  });

  it('reports object key conflicts', () => {
    const p = policyOf('o[k] := v if { some v in [1, 2]; k := "a" }');
    expect(p.query('data.test.o').error?.detail).toBe('object keys must be unique');
  });
});

describe('functions', () => {
  it('supports multiple definitions, patterns and else', () => {
    const p = policyOf(`
      f(1) := "one"
      f(x) := "other" if x != 1
      g([a, b]) := a + b
      h(x) := "pos" if x > 0 else := "non-pos"
    `);
    expect(rowsOf(p, 'a := data.test.f(1); b := data.test.f(2)')).toEqual([{ a: 'one', b: 'other' }]);
    expect(rowsOf(p, 'x := data.test.g([1, 2])')).toEqual([{ x: 3 }]);
    expect(rowsOf(p, 'x := data.test.h(-1)')).toEqual([{ x: 'non-pos' }]);
  });

  it('rejects different outputs for the same input', () => {
    const p = policyOf('f(x) := 1\nf(x) := 2');
    expect(p.query('data.test.f(1)').error?.detail).toBe('functions must not produce multiple outputs for same inputs');
  });

  it('passes the extra argument as output', () => {
    const p = policyOf('f(x) := x * 2');
    expect(rowsOf(p, 'data.test.f(2, y)')).toEqual([{ y: 4 }]);
  });
});

describe('expressions', () => {
  it('unifies arrays and objects in both directions', () => {
    expect(rowsOf(policyOf('p := 1'), '[x, {"k": y}] = [1, {"k": [2, z]}]; z = 3')).toEqual([{ x: 1, y: [2, 3], z: 3 }]);
  });

  it('iterates refs with variables and binds them', () => {
    const data = fromJSON({ servers: [{ id: 'a', ports: [1, 2] }, { id: 'b', ports: [3] }] });
    const rows = rowsOf(policyOf('p := 1'), 'data.servers[i].ports[_] = 3; id := data.servers[i].id', { data });
    expect(rows).toEqual([{ i: 1, id: 'b' }]);
  });

  it('handles not, every, some-in and comprehensions', () => {
    const p = policyOf(`
      all_pos if every x in input.xs { x > 0 }
      none_neg if not any_neg
      any_neg if { some x in input.xs; x < 0 }
      doubled := [y | some x in input.xs; y := x * 2]
      keyed := {k: v | some k, v in {"a": 1}}
      uniq := {x | some x in input.xs}
    `);
    const input = fromJSON({ xs: [1, 2, 2] });
    expect(valueOf(p, 'all_pos', { input })).toBe(true);
    expect(valueOf(p, 'none_neg', { input })).toBe(true);
    expect(valueOf(p, 'doubled', { input })).toEqual([2, 4, 4]);
    expect(valueOf(p, 'keyed', { input })).toEqual({ a: 1 });
    expect(valueOf(p, 'uniq', { input })).toEqual([1, 2]);
    expect(valueOf(p, 'all_pos', { input: fromJSON({ xs: [1, -1] }) })).toBeUndefined();
  });

  it('shadows outer names with := inside comprehensions', () => {
    const p = policyOf('p := [x | some x in [1, 2]]\nx := 10\nq := x');
    expect(valueOf(p, 'p')).toEqual([1, 2]);
    expect(valueOf(p, 'q')).toBe(10);
  });

  it('allows wildcards in negation', () => {
    const p = policyOf('deny contains "x" if input.bad\nallow if not deny[_]');
    expect(valueOf(p, 'allow')).toBe(true);
    expect(valueOf(p, 'allow', { input: fromJSON({ bad: true }) })).toBeUndefined();
  });

  it('treats undefined as failure, not false', () => {
    const p = policyOf('p if input.missing == 1\nq if not input.missing');
    expect(valueOf(p, 'p')).toBeUndefined();
    expect(valueOf(p, 'q')).toBe(true);
  });

  it('iterates objects and sets in sorted order, as OPA does', () => {
    const p = policyOf('keys := [k | some k, _ in input.o]\nelems := [x | some x in {3, 1, 2}]');
    const input = fromJSON({ o: { b: 1, a: 2, c: 3 } });
    expect(valueOf(p, 'keys', { input })).toEqual(['a', 'b', 'c']);
    expect(valueOf(p, 'elems')).toEqual([1, 2, 3]);
  });

  it('evaluates a literal array of thousands of computed items', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `input.a + ${i}`).join(', ');
    const p = policyOf(`xs := [${items}]`);
    expect((valueOf(p, 'xs', { input: fromJSON({ a: 1 }) }) as number[]).at(-1)).toBe(5000);
  });

  it('keeps big integers exact through arithmetic', () => {
    expect(rowsOf(policyOf('p := 1'), 'x := 9007199254740993 + 1')).toEqual([{ x: 9007199254740994n }]);
  });
});

describe('with', () => {
  it('replaces input, data, functions and builtins for one expression', () => {
    const p = policyOf(`
      p := input.x
      q := data.d
      f(x) := x
      r := f(1)
      s := count([1, 2])
    `);
    expect(rowsOf(p, 'x := data.test.p with input.x as 5')).toEqual([{ x: 5 }]);
    expect(rowsOf(p, 'x := data.test.q with data.d as "over"')).toEqual([{ x: 'over' }]);
    expect(rowsOf(p, 'x := data.test.r with data.test.f as 7')).toEqual([{ x: 7 }]);
    expect(rowsOf(p, 'x := data.test.s with count as 99')).toEqual([{ x: 99 }]);
    expect(rowsOf(p, 'x := data.test.s')).toEqual([{ x: 2 }]);
  });
});

describe('builtins in evaluation', () => {
  it('makes a failing builtin undefined, and reports it in strict mode', () => {
    const p = policyOf('p := 1 / 0\nq := 2');
    expect(p.query('data.test.p').rows).toEqual([]);
    const strict = p.query('x := data.test.q; y := data.test.p', { strict: true });
    expect(strict.error?.message).toBe('test-0.rego:2: eval_builtin_error: div: divide by zero');
  });

  it('yields every path from walk', () => {
    const rows = rowsOf(policyOf('p := 1'), 'walk({"a": [1]}, [path, v])');
    expect(rows).toContainEqual({ path: ['a', 0], v: 1 });
    expect(rows).toHaveLength(3);
  });

  it('fixes time.now_ns for the whole query', () => {
    const p = policyOf('a := time.now_ns()\nb := time.now_ns()');
    expect(rowsOf(p, 'data.test.a == data.test.b', { nowNs: 5n })).toEqual([{}]);
    expect(rowsOf(p, 'x := data.test.a', { nowNs: 5n })).toEqual([{ x: 5 }]);
  });

  it('prints through the print hook', () => {
    const out: string[] = [];
    policyOf('p if { print("n =", input.n, input.missing) }').query('data.test.p', { input: fromJSON({ n: 1 }), print: (m) => out.push(m) });
    expect(out).toEqual(['n = 1 <undefined>']);
  });
});

describe('compile errors', () => {
  function compileErrors(src: string): string[] {
    try { compileModules([{ path: 'x.rego', source: src }]); } catch (e) {
      // The first line: OPA appends `have:`/`want:` detail lines to argument errors.
      if (e instanceof RegoCompileError) return e.errors.map((x) => x.message.split('\n')[0]!);
      throw e;
    }
    return [];
  }

  it.each([
    ['package t\np if { x > 1 }', 'x.rego:2: rego_unsafe_var_error: var x is unsafe'],
    ['package t\np contains x if { true }', 'x.rego:2: rego_unsafe_var_error: var x is unsafe'],
    ['package t\np if { nope(1) }', 'x.rego:2: rego_type_error: undefined function nope'],
    ['package t\np if count(1, 2, 3)', 'x.rego:2: rego_type_error: count: too many arguments'],
    ['package t\nf(a, b) := a\np if f(1)', 'x.rego:3: rego_type_error: function data.t.f has arity 2, got 1 arguments'],
    ['package t\np if { x := 1; x := 2 }', 'x.rego:2: rego_compile_error: var x assigned above'],
    ['package t\np if q\nq if p', 'x.rego:2: rego_recursion_error: rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.p'],
    ['package t\nf(x) := f(x)', 'x.rego:2: rego_recursion_error: rule data.t.f is recursive: data.t.f -> data.t.f'],
    ['package t\np if not q[x]\nq contains 1', 'x.rego:2: rego_unsafe_var_error: var x is unsafe'],
    ['package t\np := 1\np contains 2', 'x.rego:2: rego_type_error: conflicting rules data.t.p found'],
    ['package t\ndefault p := 1\ndefault p := 2', 'x.rego:2: rego_type_error: multiple default rules data.t.p found at x.rego:2, x.rego:3'],
  ])('%j', (src, want) => {
    expect(compileErrors(src)).toContain(want);
  });
});

describe('evalPath', () => {
  it('returns the document at a slash path', () => {
    const p = policyOf('package deckhand.deploy\ndecision := {"allow": input.ok}');
    expect(p.evalPath('deckhand/deploy/decision', { input: fromJSON({ ok: true }) })).toEqual(fromJSON({ allow: true }));
    expect(p.evalPath('deckhand/deploy/missing')).toBeUndefined();
    expect(p.evalPath('data.deckhand.deploy.decision', { input: fromJSON({ ok: false }) })).toEqual(fromJSON({ allow: false }));
  });
});
