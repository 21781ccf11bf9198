import { badRequest } from './api-error.ts';
import { isPlainObject } from './kube-types.ts';
import { cloneJson } from './clone-json.ts';

/**
 * Strategic merge patch without an OpenAPI schema: the few list fields whose `patchMergeKey` matters for the
 * types the sim serves are listed here (from the k8s.io/api struct tags). Lists not listed are replaced, as
 * they would be for an atomic list; maps merge as in a JSON merge patch.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  containerStatuses: 'name',
};

/** Lists of scalars whose patch strategy is `merge` (union) rather than replace. */
const PRIMITIVE_MERGE_LISTS = new Set(['finalizers']);

/** Container ports merge on containerPort; Service ports on port. Same field name, different key. */
function mergeKeyFor(path: readonly string[], field: string): string | undefined {
  if (field === 'ports') {
    const parent = path[path.length - 1];
    return parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers' ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

/** Applies a strategic merge patch (`application/strategic-merge-patch+json`) to a copy of `original`. */
export function applyStrategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(isPlainObject(original) ? original : {}, patch, []) ?? {};
}

function mergeMap(original: Record<string, unknown>, patch: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  const directive = patch.$patch;
  if (directive === 'replace') return stripDirectives(patch) as Record<string, unknown>;
  if (directive === 'delete') return undefined;
  const result = cloneJson(original);
  const retainKeys = patch.$retainKeys;
  if (Array.isArray(retainKeys)) {
    for (const key of Object.keys(result)) if (!retainKeys.includes(key) && !(key in patch)) delete result[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) result[field] = current.filter((v) => !value.includes(v));
      continue;
    }
    // Other directives (e.g. $setElementOrder without a field) only order or annotate; they never land in the object.
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const merged = mergeMap(isPlainObject(result[key]) ? result[key] : {}, value, [...path, key]);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(result[key]) ? result[key] : [], value, path, key);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function mergeList(original: unknown[], patch: unknown[], path: string[], field: string): unknown[] {
  if (patch.some((item) => isPlainObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isPlainObject(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  const mergeKey = mergeKeyFor(path, field);
  if (!mergeKey) {
    if (PRIMITIVE_MERGE_LISTS.has(field)) return [...original, ...patch.filter((v) => !original.includes(v))];
    return patch.map(stripDirectives);
  }
  const result = cloneJson(original);
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const keyValue = item[mergeKey];
    const index = result.findIndex((existing) => isPlainObject(existing) && existing[mergeKey] === keyValue);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const existing = index >= 0 ? result[index] : undefined;
    const merged = mergeMap(isPlainObject(existing) ? existing : {}, item, [...path, field]);
    if (merged === undefined) {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = merged;
    } else {
      result.push(merged);
    }
  }
  return result;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    out[key] = stripDirectives(inner);
  }
  return out;
}
