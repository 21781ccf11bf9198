/** Array builtins: v1/topdown/array.go. */
import { define } from './operands.ts';
import type { Builtin } from './types.ts';

export const arrayBuiltins: readonly Builtin[] = [
  define('array.concat', 2, (a) => [...a.array(1), ...a.array(2)]),
  define('array.slice', 3, (a) => {
    const arr = a.array(1);
    let start = a.int(2), stop = a.int(3);
    // OPA clamps rather than failing: out-of-range bounds give the overlapping part, possibly empty.
    if (start < 0) start = 0;
    if (stop > arr.length) stop = arr.length;
    if (stop < start) return [];
    return arr.slice(start, stop);
  }),
  define('array.reverse', 1, (a) => [...a.array(1)].reverse()),
  /** One level only: nested arrays inside inner arrays stay as they are; non-array elements pass through. */
  define('array.flatten', 1, (a) => a.array(1).flatMap((x) => (Array.isArray(x) ? x : [x]))),
];
