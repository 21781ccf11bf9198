/**
 * rand.intn and uuid.rfc4122: random, but stable within one evaluation — OPA caches the result per query under
 * the arguments. The evaluator passes one BuiltinContext object per query, so the cache is keyed on it.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Value } from '../value.ts';
import { define } from './operands.ts';
import type { Builtin, BuiltinContext } from './types.ts';

const perQuery = new WeakMap<BuiltinContext, Map<string, Value>>();

function cached(ctx: BuiltinContext, key: string, make: () => Value): Value {
  let cache = perQuery.get(ctx);
  if (!cache) { cache = new Map(); perQuery.set(ctx, cache); }
  let v = cache.get(key);
  if (v === undefined) { v = make(); cache.set(key, v); }
  return v;
}

export const randomBuiltins: readonly Builtin[] = [
  define('rand.intn', 2, (a, ctx) => {
    const s = a.string(1);
    let n = a.int(2);
    if (n === 0) return 0;
    if (n < 0) n = -n;
    return cached(ctx, `rand.intn:${s}-${n}`, () => (n > 2 ** 48 - 1 ? Math.floor(Math.random() * n) : randomInt(n)));
  }),
  define('uuid.rfc4122', 1, (a, ctx) => cached(ctx, `uuid.rfc4122:${a.string(1)}`, () => randomUUID())),
];
