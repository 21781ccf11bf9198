/**
 * `with` modifiers: values are evaluated in the outer scope, then the expression runs in a derived scope
 * (input patched, data overridden, functions replaced, fresh document cache). The continuation runs back in
 * the outer scope, so the replacement never leaks into later expressions, even across backtracking.
 */
import type { Expr } from '../ast/types.ts';
import type { Value } from '../value.ts';
import type { Bindings, Ctx, EvalHost, Mock } from './types.ts';
import { setPath } from './value-ops.ts';

export function evalWith(ev: EvalHost, e: Expr, b: Bindings, k: () => void): void {
  const vals: (Value | undefined)[] = [];
  const step = (i: number): void => {
    if (i === e.withs.length) { inWithScope(ev, e, vals, b, k); return; }
    const w = e.withs[i]!;
    if (w.fnValue) { vals[i] = undefined; step(i + 1); return; }
    ev.evalTerm(w.value, b, (v) => { vals[i] = v; step(i + 1); });
  };
  step(0);
}

function inWithScope(ev: EvalHost, e: Expr, vals: (Value | undefined)[], b: Bindings, k: () => void): void {
  const outer = ev.ctx;
  const next: Ctx = { input: outer.input, data: outer.data, overlays: [...outer.overlays], mocks: new Map(outer.mocks), cache: new Map() };
  e.withs.forEach((w, i) => {
    const r = w.resolved!;
    const v = vals[i];
    const mock: Mock = w.fnValue ? { kind: 'fn', target: w.fnValue } : { kind: 'value', value: v! };
    switch (r.kind) {
      case 'input': next.input = setPath(next.input, r.path, v!); break;
      case 'data': next.overlays.push({ path: r.path, value: v! }); break;
      case 'builtin': next.mocks.set('b:' + r.name, mock); break;
      case 'func': next.mocks.set('f:' + JSON.stringify(r.path), mock); break;
    }
  });
  ev.ctx = next;
  try {
    ev.evalExprInScope(e, b, () => {
      ev.ctx = outer;
      try { k(); } finally { ev.ctx = next; }
    });
  } finally {
    ev.ctx = outer;
  }
}
