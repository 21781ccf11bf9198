/** graph.reachable and graph.reachable_paths: v1/topdown/reachable.go (graphs are objects of node → array/set). */
import { RSet } from '../value.ts';
import type { RObject, Value } from '../value.ts';
import { define } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

function vertices(v: Value | undefined): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  return [];
}

function initial(a: Operands): Value[] {
  const v = a.at(2);
  if (!Array.isArray(v) && !(v instanceof RSet)) throw a.typeErr(2, '{array, set}');
  return vertices(v);
}

function reachable(graph: RObject, start: Value[]): RSet {
  const reached = new RSet();
  const queue = [...start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    const edges = graph.get(node);
    if (edges === undefined) continue;
    for (const n of vertices(edges)) if (!reached.has(n)) queue.push(n);
    reached.add(node);
  }
  return reached;
}

function buildPaths(graph: RObject, root: Value, path: Value[], out: RSet, reached: RSet): void {
  const edges = graph.get(root);
  if (edges === undefined) { out.add(path); return; }
  const here = [...path, root];
  const next = vertices(edges);
  if (next.length === 0) { out.add(here); return; }
  const seen = new RSet(reached.values()).add(root);
  for (const n of next) {
    if (seen.has(n)) out.add(here);
    else buildPaths(graph, n, here, out, seen);
  }
}

export const graphBuiltins: readonly Builtin[] = [
  define('graph.reachable', 2, (a) => reachable(a.object(1), initial(a))),
  define('graph.reachable_paths', 2, (a) => {
    const graph = a.object(1);
    const out = new RSet();
    for (const node of initial(a)) {
      const edges = graph.get(node);
      if (edges === undefined) continue;
      const next = vertices(edges);
      if (next.length === 0) out.add([node]);
      for (const n of next) buildPaths(graph, n, [node], out, new RSet([node]));
    }
    return out;
  }),
];
