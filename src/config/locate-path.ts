import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';

export type Position = { line: number; col: number };

type Found = {
  /** The deepest node that exists along the path. */
  node: Node | null;
  /** The pair holding `node` as its value, when `node` is a map value. */
  pair: Pair | null;
  /** How many path segments were resolved; less than the path length when a key is missing. */
  depth: number;
};

function walk(doc: Document, path: readonly PropertyKey[]): Found {
  let node = (doc.contents ?? null) as Node | null;
  let pair: Pair | null = null;
  let depth = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const next = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!next) break;
      pair = next;
      node = (next.value ?? null) as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const next = node.items[segment];
      if (next === undefined) break;
      pair = null;
      node = next as Node;
    } else {
      break;
    }
    depth += 1;
  }
  return { node, pair, depth };
}

function startOf(node: unknown, counter: LineCounter): Position | undefined {
  const range = node !== null && typeof node === 'object' && 'range' in node ? (node as { range?: readonly number[] | null }).range : undefined;
  const start = range?.[0];
  return start === undefined ? undefined : counter.linePos(start);
}

/**
 * Where a path of a parsed YAML document is written. A value points at the value itself; a path that does
 * not exist (a missing key) points at the key of its deepest existing parent, or the document start.
 * With `atKey`, points at the key rather than its value (used for unknown and invalid keys).
 */
export function locatePath(doc: Document, counter: LineCounter, path: readonly PropertyKey[], options: { atKey?: boolean } = {}): { position: Position; exists: boolean } {
  const found = walk(doc, path);
  const exists = found.depth === path.length;
  const wantKey = options.atKey === true || !exists;
  const position = (wantKey && found.pair ? startOf(found.pair.key, counter) : undefined)
    ?? (exists && found.node ? startOf(found.node, counter) : undefined)
    ?? (found.pair ? startOf(found.pair.key, counter) : undefined)
    ?? startOf(found.node, counter)
    ?? { line: 1, col: 1 };
  return { position, exists };
}
