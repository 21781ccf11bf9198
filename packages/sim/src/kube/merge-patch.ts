import { isPlainObject } from './kube-types.ts';
import { cloneJson } from './clone-json.ts';

/** RFC 7386 JSON Merge Patch: objects merge recursively, `null` deletes, everything else (lists too) replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
