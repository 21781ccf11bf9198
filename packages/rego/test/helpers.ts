import { compileModules, toJSON } from '../src/index.ts';
import type { CompiledPolicy, QueryOptions } from '../src/index.ts';

/** Compiles one module (`package test` prepended unless the source has a package). */
export function policyOf(...sources: string[]): CompiledPolicy {
  return compileModules(sources.map((s, i) => ({ path: `test-${i}.rego`, source: s.includes('package ') ? s : `package test\n${s}` })));
}

/** Rows of a query as plain JSON objects. */
export function rowsOf(p: CompiledPolicy, query: string, opts?: QueryOptions): unknown[] {
  const r = p.query(query, opts);
  if (r.error) throw r.error;
  return r.rows.map((row) => Object.fromEntries([...row].map(([k, v]) => [k, toJSON(v)])));
}

/** The single value of `data.test.<rule>` as JSON, or undefined. */
export function valueOf(p: CompiledPolicy, rule: string, opts?: QueryOptions): unknown {
  const rows = rowsOf(p, `__x := data.test.${rule}`, opts) as { __x: unknown }[];
  return rows.length === 0 ? undefined : rows[0]!.__x;
}
