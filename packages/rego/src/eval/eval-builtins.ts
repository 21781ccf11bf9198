/**
 * Builtins that live in the evaluator because they need more than a value in and a value out: `walk` yields many
 * results, `print` tolerates undefined operands, `trace` and `test.sleep` (OPA's test harness) are side effects.
 * Their `impl` is never called; the registry entries exist so the compiler knows their names and arities.
 */
import type { Builtin } from '../builtins/types.ts';
import type { Value } from '../value.ts';
import { iterate } from './value-ops.ts';

function handledByEvaluator(name: string, arity: number): Builtin {
  return { name, arity, impl: () => { throw new Error(`${name} is evaluated by the evaluator`); } };
}

export const EVAL_BUILTINS: readonly Builtin[] = [
  handledByEvaluator('walk', 1),
  handledByEvaluator('print', 0),
  handledByEvaluator('trace', 1),
  handledByEvaluator('test.sleep', 1),
];

export const EVAL_BUILTIN_NAMES: ReadonlySet<string> = new Set(EVAL_BUILTINS.map((b) => b.name));

/** Every [path, value] pair of `v`, pre-order, as OPA's `walk`. */
export function walkValue(v: Value, path: Value[], emit: (pair: Value[]) => void): void {
  emit([path.slice(), v]);
  iterate(v, (k, child) => {
    path.push(k);
    walkValue(child, path, emit);
    path.pop();
  });
}

/** Parses a Go duration like `10ms` or `1.5s` to milliseconds (for test.sleep). */
export function durationMs(s: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of s.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (units[m[2]!] ?? 0);
  return total;
}
