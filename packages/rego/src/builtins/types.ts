/**
 * The contract between the evaluator and the builtin functions.
 * A builtin receives its operands already evaluated and returns a value, `undefined` (OPA's "undefined"),
 * or throws `BuiltinError` carrying OPA's own code and message.
 */
import type { Value } from '../value.ts';

export interface BuiltinContext {
  /** The evaluation's single clock reading, so `time.now_ns` is stable within one query. */
  readonly nowNs: bigint;
  readonly strict: boolean;
}

export interface Builtin {
  /** Full dotted name: 'plus', 'count', 'strings.replace_n', 'time.now_ns'. */
  readonly name: string;
  /** Operands, not counting the output. */
  readonly arity: number;
  /** The result, or undefined when the result is undefined. Throws BuiltinError on failure. */
  impl(args: readonly Value[], ctx: BuiltinContext): Value | undefined;
}

export type BuiltinErrorCode = 'eval_type_error' | 'eval_builtin_error';

export class BuiltinError extends Error {
  readonly code: BuiltinErrorCode;
  constructor(code: BuiltinErrorCode, message: string) {
    super(message);
    this.name = 'BuiltinError';
    this.code = code;
  }
}
