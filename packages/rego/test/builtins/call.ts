/** Test helper: call a registered builtin by name and render the outcome as comparable text. */
import { createBuiltinRegistry } from '../../src/builtins/index.ts';
import { BuiltinError } from '../../src/builtins/types.ts';
import type { BuiltinContext } from '../../src/builtins/types.ts';
import { toJSONText } from '../../src/value.ts';
import { regoText } from '../../src/builtins/rego-text.ts';
import type { Value } from '../../src/value.ts';

const registry = createBuiltinRegistry();
const ctx: BuiltinContext = { nowNs: 1_700_000_000_000_000_000n, strict: true };

/** The result as compact JSON text, 'undefined', or `<code>: <message>` when the builtin throws. */
export function call(name: string, ...args: Value[]): string {
  const b = registry.get(name);
  if (!b) throw new Error(`no builtin ${name}`);
  if (b.arity !== args.length) throw new Error(`${name} takes ${b.arity} operands, got ${args.length}`);
  try {
    const v = b.impl(args, ctx);
    return v === undefined ? 'undefined' : toJSONText(v);
  } catch (e) {
    if (e instanceof BuiltinError) return `${e.code}: ${e.message}`;
    throw e;
  }
}

/** The raw result value (for checks on representation, e.g. bigint vs number). */
export function value(name: string, ...args: Value[]): Value | undefined {
  return registry.get(name)!.impl(args, ctx);
}

export { registry };

export type Row = [name: string, args: Value[], want: string];

/** Rows labelled with Rego text (vitest's %j cannot print bigints). */
export function rows(table: Row[]): [string, string, Value[], string][] {
  return table.map(([n, a, w]) => [`${n}(${a.map(regoText).join(', ')}) → ${w}`, n, a, w]);
}
