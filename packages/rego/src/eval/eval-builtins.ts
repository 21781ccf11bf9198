/**
 * Builtins that live in the evaluator because they need more than a value in and a value out: `walk` yields many
 * results, `print` tolerates undefined operands, `trace` and `test.sleep` (OPA's test harness) are side effects.
 * Their `impl` is never called; the registry entries exist so the compiler knows their names and arities.
 * `internal.template_string` is an ordinary builtin kept here because the language itself produces its calls.
 */
import type { Builtin } from '../builtins/types.ts';
import { BuiltinError } from '../builtins/types.ts';
import { conflict } from '../errors.ts';
import { RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { formatValue } from './format-value.ts';
import { iterate } from './value-ops.ts';

function handledByEvaluator(name: string, arity: number): Builtin {
  return { name, arity, impl: () => { throw new Error(`${name} is evaluated by the evaluator`); } };
}

/**
 * `$"…"` strings compile to this call (ast/term-parser.ts): literal text stays a string, each expression arrives
 * as the set of its values. Empty is OPA's `<undefined>`; more than one value is a conflict, as in OPA.
 */
const templateString: Builtin = {
  name: 'internal.template_string',
  arity: 1,
  impl: ([parts]) => {
    if (!Array.isArray(parts)) throw new BuiltinError('eval_type_error', `operand 1 must be array but got ${typeName(parts!)}`);
    let out = '';
    for (const p of parts) {
      if (!(p instanceof RSet)) { out += typeof p === 'string' ? p : formatValue(p); continue; }
      if (p.size > 1) throw conflict('template-strings must not produce multiple outputs', undefined);
      const [v] = p.sorted();
      out += v === undefined ? '<undefined>' : typeof v === 'string' ? v : formatValue(v);
    }
    return out;
  },
};

export const EVAL_BUILTINS: readonly Builtin[] = [
  handledByEvaluator('walk', 1),
  handledByEvaluator('print', 0),
  handledByEvaluator('trace', 1),
  handledByEvaluator('test.sleep', 1),
  templateString,
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
