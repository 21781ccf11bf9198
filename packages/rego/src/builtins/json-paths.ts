/**
 * json.filter, json.remove and json.patch: v1/topdown/json.go. Paths are JSON pointers ("/a/0/b", with ~0 and
 * ~1 escapes) or arrays of segments. json.patch follows RFC 6902; as in OPA, a failing patch is undefined.
 */
import { RObject, RSet, equal, isNumber, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { define, operandErr, typeErr } from './operands.ts';
import type { Operands } from './operands.ts';
import type { Builtin } from './types.ts';

function parsePath(name: string, p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p.replace(/^\/+/, '').split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  }
  if (Array.isArray(p)) return p;
  throw operandErr(name, 2, `must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`);
}

function paths(a: Operands): Value[][] {
  const v = a.at(2);
  if (Array.isArray(v)) return v.map((p) => parsePath(a.name, p));
  if (v instanceof RSet) return v.sorted().map((p) => parsePath(a.name, p));
  throw typeErr(a.name, 2, v, 'set', 'array');
}

/** OPA's pathsToObject: a tree whose null leaves mark the selected paths; a shorter path subsumes longer ones. */
function pathTree(ps: Value[][]): RObject {
  const root = new RObject();
  for (const path of ps) {
    if (path.length === 0) continue;
    let node = root;
    let done = false;
    for (let i = 0; i < path.length - 1 && !done; i++) {
      const child = node.get(path[i]!);
      if (child === undefined) {
        const obj = new RObject();
        node.set(path[i]!, obj);
        node = obj;
      } else if (child instanceof RObject) {
        node = child;
      } else {
        done = true;
      }
    }
    if (!done) node.set(path[path.length - 1]!, null);
  }
  return root;
}

function filter(v: Value, f: Value): Value {
  if (f === null || !(f instanceof RObject)) return v;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const sub = f.get(String(i));
      if (sub !== undefined) out.push(filter(x, sub));
    });
    return out;
  }
  if (v instanceof RSet) return new RSet(v.sorted().filter((x) => f.has(x)).map((x) => filter(x, f.get(x)!)));
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.pairs()) {
      const sub = f.get(k);
      if (sub !== undefined) out.set(k, filter(x, sub));
    }
    return out;
  }
  return v;
}

/** OPA's jsonRemove: undefined means "removed". */
function remove(v: Value, f: Value | undefined): Value | undefined {
  if (f === undefined) return v;
  if (f === null) return undefined;
  if (!(f instanceof RObject)) return v;
  if (Array.isArray(v)) return v.flatMap((x, i) => { const r = remove(x, f.get(String(i))); return r === undefined ? [] : [r]; });
  if (v instanceof RSet) return new RSet(v.sorted().flatMap((x) => { const r = remove(x, f.get(x)); return r === undefined ? [] : [r]; }));
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.pairs()) {
      const r = remove(x, f.get(k));
      if (r !== undefined) out.set(k, r);
    }
    return out;
  }
  return v;
}

class PatchError extends Error {}

function arrayIndex(seg: Value, length: number, allowEnd: boolean): number {
  if (allowEnd && seg === '-') return length;
  const n = typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : isNumber(seg) ? Number(seg) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > (allowEnd ? length : length - 1)) throw new PatchError('bad index');
  return n;
}

function get(doc: Value, path: Value[]): Value {
  let cur = doc;
  for (const seg of path) {
    if (cur instanceof RObject) {
      const next = cur.get(seg);
      if (next === undefined) throw new PatchError('missing');
      cur = next;
    } else if (Array.isArray(cur)) {
      cur = cur[arrayIndex(seg, cur.length, false)]!;
    } else if (cur instanceof RSet) {
      if (!cur.has(seg)) throw new PatchError('missing');
      cur = seg;
    } else {
      throw new PatchError('missing');
    }
  }
  return cur;
}

/** A copy of doc with `edit` applied to the container at path's parent. */
function update(doc: Value, path: Value[], edit: (parent: Value, last: Value) => Value): Value {
  if (path.length === 0) throw new PatchError('root');
  const [head, ...rest] = path as [Value, ...Value[]];
  if (rest.length === 0) return edit(doc, head);
  if (doc instanceof RObject) {
    const child = doc.get(head);
    if (child === undefined) throw new PatchError('missing');
    return new RObject(doc.pairs()).set(head, update(child, rest, edit));
  }
  if (Array.isArray(doc)) {
    const i = arrayIndex(head, doc.length, false);
    const out = [...doc];
    out[i] = update(doc[i]!, rest, edit);
    return out;
  }
  if (doc instanceof RSet && doc.has(head)) {
    const out = new RSet([...doc.values()].filter((x) => !equal(x, head)));
    return out.add(update(head, rest, edit));
  }
  throw new PatchError('missing');
}

function add(doc: Value, path: Value[], value: Value): Value {
  if (path.length === 0) return value;
  return update(doc, path, (parent, last) => {
    if (parent instanceof RObject) return new RObject(parent.pairs()).set(last, value);
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, true);
      return [...parent.slice(0, i), value, ...parent.slice(i)];
    }
    if (parent instanceof RSet) return new RSet(parent.values()).add(value);
    throw new PatchError('not a container');
  });
}

function del(doc: Value, path: Value[]): Value {
  return update(doc, path, (parent, last) => {
    if (parent instanceof RObject) {
      if (!parent.has(last)) throw new PatchError('missing');
      const out = new RObject(parent.pairs());
      out.delete(last);
      return out;
    }
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, false);
      return [...parent.slice(0, i), ...parent.slice(i + 1)];
    }
    if (parent instanceof RSet && parent.has(last)) return new RSet([...parent.values()].filter((x) => !equal(x, last)));
    throw new PatchError('missing');
  });
}

function applyPatch(name: string, doc: Value, op: Value): Value {
  if (!(op instanceof RObject)) throw new PatchError('not an object');
  const attr = (k: string): Value => {
    const v = op.get(k);
    if (v === undefined) throw new PatchError(`missing '${k}' attribute`);
    return v;
  };
  const pointer = (v: Value): Value[] => {
    if (typeof v !== 'string' && !Array.isArray(v)) throw new PatchError('bad path');
    return parsePath(name, v);
  };
  const kind = attr('op');
  const path = pointer(attr('path'));
  switch (kind) {
    case 'add': return add(doc, path, attr('value'));
    case 'remove': return del(doc, path);
    case 'replace': return path.length === 0 ? attr('value') : add(del(doc, path), path, attr('value'));
    case 'move': {
      const from = pointer(attr('from'));
      const chunk = get(doc, from);
      return add(del(doc, from), path, chunk);
    }
    case 'copy': return add(doc, path, get(doc, pointer(attr('from'))));
    case 'test':
      if (!equal(get(doc, path), attr('value'))) throw new PatchError('test failed');
      return doc;
    default: throw new PatchError('unrecognized op');
  }
}

export const jsonPathBuiltins: readonly Builtin[] = [
  define('json.filter', 2, (a) => filter(a.object(1), pathTree(paths(a)))),
  define('json.remove', 2, (a) => remove(a.object(1), pathTree(paths(a)))),
  define('json.patch', 2, (a) => {
    let doc = a.at(1);
    try {
      for (const op of a.array(2)) doc = applyPatch(a.name, doc, op);
    } catch (e) {
      if (e instanceof PatchError) return undefined;
      throw e;
    }
    return doc;
  }),
];
