import { jsonEqual } from './json-equal.ts';
import { KubeApiError } from './api-error.ts';
import { isPlainObject } from './kube-types.ts';
import { cloneJson } from './clone-json.ts';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** A patch the server could not apply is a 422 in the API server's words (it reports the failing op). */
function unprocessable(message: string): KubeApiError {
  return new KubeApiError({ message, reason: 'Invalid', code: 422 });
}

/** Applies an RFC 6902 JSON Patch to a copy of `document`. Used by `kubectl rollout undo` (replace /spec/template). */
export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new KubeApiError({ message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch', reason: 'BadRequest', code: 400 });
  let doc = cloneJson(document);
  for (const raw of operations as JsonPatchOperation[]) {
    const { op, path } = raw;
    switch (op) {
      case 'add':
        doc = setAt(doc, parsePointer(path), cloneJson(raw.value), 'add');
        break;
      case 'replace':
        getAt(doc, parsePointer(path), op);
        doc = setAt(doc, parsePointer(path), cloneJson(raw.value), 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, parsePointer(path));
        break;
      case 'move': {
        const value = getAt(doc, parsePointer(raw.from ?? ''), op);
        doc = removeAt(doc, parsePointer(raw.from ?? ''));
        doc = setAt(doc, parsePointer(path), value, 'add');
        break;
      }
      case 'copy':
        doc = setAt(doc, parsePointer(path), cloneJson(getAt(doc, parsePointer(raw.from ?? ''), op)), 'add');
        break;
      case 'test':
        if (!jsonEqual(getAt(doc, parsePointer(path), op), raw.value)) throw unprocessable(`the server rejected our request due to an error in our request: testing value ${path} failed`);
        break;
      default:
        throw unprocessable(`Unexpected kind: ${String(op)}`);
    }
  }
  return doc;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw unprocessable(`invalid JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function getAt(doc: unknown, path: string[], op: string): unknown {
  let current = doc;
  for (const segment of path) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isPlainObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else current = undefined;
    if (current === undefined) throw unprocessable(`the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  }
  return current;
}

function setAt(doc: unknown, path: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (path.length === 0) return value;
  const parent = getAt(doc, path.slice(0, -1), mode);
  const last = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw unprocessable(`index out of range: ${last}`);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isPlainObject(parent)) {
    parent[last] = value;
  } else {
    throw unprocessable(`doc is missing path: "/${path.join('/')}"`);
  }
  return doc;
}

function removeAt(doc: unknown, path: string[]): unknown {
  const parent = getAt(doc, path.slice(0, -1), 'remove');
  const last = path[path.length - 1] ?? '';
  getAt(doc, path, 'remove');
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isPlainObject(parent)) delete parent[last];
  return doc;
}
