import { jsonEqual } from '../json-equal.ts';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';

/**
 * Whether a live object matches what git wants: every field the manifest sets (outside `status`) has that value
 * live, labels and annotations included; fields only the live object has — server defaults, status, what
 * controllers add — do not matter. That is the effect of Argo CD's diff against the last applied configuration,
 * without keeping one: a field Argo CD applied and someone changed (`kubectl set image`) shows as drift.
 */
export function matchesDesired(desired: KubeObject, live: KubeObject): boolean {
  for (const [key, value] of Object.entries(desired)) {
    if (key === 'status' || key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    if (!isSubset(value, live[key])) return false;
  }
  return isSubset(desired.metadata.labels ?? {}, live.metadata.labels ?? {}) && isSubset(desired.metadata.annotations ?? {}, live.metadata.annotations ?? {});
}

function isSubset(want: unknown, have: unknown): boolean {
  if (isPlainObject(want)) {
    if (!isPlainObject(have)) return Object.keys(want).length === 0 && have === undefined;
    return Object.entries(want).every(([k, v]) => (v === null ? have[k] === undefined || have[k] === null : isSubset(v, have[k])));
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length) return false;
    return want.every((item, i) => isSubset(item, have[i]));
  }
  // YAML lets `port: "8080"` stand for 8080 where the API server would convert; compare such scalars as text.
  return jsonEqual(want, have) || (typeof want !== typeof have && (typeof want === 'number' || typeof want === 'string') && String(want) === String(have));
}
