/**
 * Operand access with OPA's exact error messages (v1/topdown/builtins/builtins.go and topdown/errors.go):
 * operand problems are `eval_type_error: <name>: operand N …`; every other failure is
 * `eval_builtin_error: <name>: <message>`.
 */
import { RObject, RSet, isNumber, typeName } from '../value.ts';
import type { RNumber, Value } from '../value.ts';
import { BuiltinError } from './types.ts';
import type { Builtin, BuiltinContext } from './types.ts';

export function operandErr(name: string, pos: number, message: string): BuiltinError {
  return new BuiltinError('eval_type_error', `${name}: operand ${pos} ${message}`);
}

export function typeErr(name: string, pos: number, got: Value, ...expected: string[]): BuiltinError {
  const want = expected.length === 1 ? expected[0]! : `one of {${expected.join(', ')}}`;
  return operandErr(name, pos, `must be ${want} but got ${typeName(got)}`);
}

export function elementErr(name: string, pos: number, composite: Value, got: Value, ...expected: string[]): BuiltinError {
  const tpe = typeName(composite);
  const want = expected.length === 1 ? `${tpe} of ${expected[0]!}s` : `${tpe} of (any of) {${expected.join(', ')}}`;
  return operandErr(name, pos, `must be ${want} but got ${tpe} containing ${typeName(got)}`);
}

export function enumErr(name: string, pos: number, ...expected: string[]): BuiltinError {
  return operandErr(name, pos, expected.length === 1 ? `must be ${expected[0]!}` : `must be one of {${expected.join(', ')}}`);
}

export function builtinErr(name: string, message: string): BuiltinError {
  return new BuiltinError('eval_builtin_error', `${name}: ${message}`);
}

/** Integer-valued (exactly representable) number test, as OPA's `Number.Int()` succeeding. */
export function isIntegral(n: RNumber): boolean {
  return typeof n === 'bigint' || Number.isInteger(n);
}

/** Typed, 1-based access to a builtin's operands; every accessor throws OPA's message on a mismatch. */
export class Operands {
  readonly name: string;
  readonly args: readonly Value[];
  constructor(name: string, args: readonly Value[]) {
    this.name = name;
    this.args = args;
  }
  at(pos: number): Value {
    const v = this.args[pos - 1];
    if (v === undefined) throw new BuiltinError('eval_type_error', `${this.name}: missing operand ${pos}`);
    return v;
  }
  string(pos: number): string {
    const v = this.at(pos);
    if (typeof v !== 'string') throw typeErr(this.name, pos, v, 'string');
    return v;
  }
  number(pos: number): RNumber {
    const v = this.at(pos);
    if (!isNumber(v)) throw typeErr(this.name, pos, v, 'number');
    return v;
  }
  boolean(pos: number): boolean {
    const v = this.at(pos);
    if (typeof v !== 'boolean') throw typeErr(this.name, pos, v, 'boolean');
    return v;
  }
  /** OPA's IntOperand: a number that is an integer (as a JS number; huge values are clamped by the caller). */
  int(pos: number): number {
    const n = this.number(pos);
    if (!isIntegral(n)) throw operandErr(this.name, pos, 'must be integer number but got floating-point number');
    return Number(n);
  }
  /** OPA's BigIntOperand: a non-number is reported as "must be integer". */
  bigint(pos: number): bigint {
    const n = this.at(pos);
    if (!isNumber(n)) throw typeErr(this.name, pos, n, 'integer');
    if (!isIntegral(n)) throw operandErr(this.name, pos, 'must be integer number but got floating-point number');
    return BigInt(n);
  }
  array(pos: number): Value[] {
    const v = this.at(pos);
    if (!Array.isArray(v)) throw typeErr(this.name, pos, v, 'array');
    return v;
  }
  object(pos: number): RObject {
    const v = this.at(pos);
    if (!(v instanceof RObject)) throw typeErr(this.name, pos, v, 'object');
    return v;
  }
  set(pos: number): RSet {
    const v = this.at(pos);
    if (!(v instanceof RSet)) throw typeErr(this.name, pos, v, 'set');
    return v;
  }
  /** OPA's StringSliceOperand: an array or set of strings. */
  strings(pos: number): string[] {
    const v = this.at(pos);
    let items: Value[];
    if (Array.isArray(v)) items = v;
    else if (v instanceof RSet) items = v.sorted();
    else throw typeErr(this.name, pos, v, 'array', 'set');
    return items.map((e) => {
      if (typeof e !== 'string') throw elementErr(this.name, pos, v, e, 'string');
      return e;
    });
  }
  typeErr(pos: number, ...expected: string[]): BuiltinError {
    return typeErr(this.name, pos, this.at(pos), ...expected);
  }
  /** A type error about a value found inside operand `pos` (OPA reports the operand's position). */
  operandErrOf(pos: number, got: Value, ...expected: string[]): BuiltinError {
    return typeErr(this.name, pos, got, ...expected);
  }
  operandErr(pos: number, message: string): BuiltinError {
    return operandErr(this.name, pos, message);
  }
  fail(message: string): BuiltinError {
    return builtinErr(this.name, message);
  }
}

export type Impl = (a: Operands, ctx: BuiltinContext) => Value | undefined;

/** Declare a builtin whose body receives typed operand access. */
export function define(name: string, arity: number, impl: Impl): Builtin {
  return { name, arity, impl: (args, ctx) => impl(new Operands(name, args), ctx) };
}
