import { KubeApiError } from '../api-error.ts';
import type { KubeObject } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { matchesDesired } from './compare-live.ts';

/** Argo CD's (v3 default) resource tracking: which Application owns a live object. */
export const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/** One entry of `operationState.syncResult.resources`. */
export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: 'Synced' | 'SyncFailed' | 'Pruned';
  message: string;
  hookPhase: 'Running' | 'Succeeded' | 'Failed';
  syncPhase: 'Sync';
}

/** A manifest with the type that serves it, its namespace settled. */
export interface DesiredObject {
  type: ResourceType | undefined;
  object: KubeObject;
}

/**
 * Applies desired objects as `kubectl apply` would for what the sim compares: create when missing, otherwise the
 * manifest's top-level fields replace the live ones and its labels and annotations are merged in; an object that
 * already matches is left alone ("unchanged"). Namespaces first, so a namespace and its contents sync together.
 */
export function applyManifests(store: ObjectStore, desired: DesiredObject[], trackingId: (obj: KubeObject) => string): ResourceResult[] {
  const ordered = [...desired].sort((a, b) => rank(a.object) - rank(b.object));
  return ordered.map(({ type, object }) => {
    const base = resultBase(type, object);
    if (!type) return { ...base, status: 'SyncFailed', message: `the server could not find the requested resource (${object.apiVersion ?? ''} ${object.kind ?? ''})`, hookPhase: 'Failed' };
    const tracked: KubeObject = { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [TRACKING_ANNOTATION]: trackingId(object) } } };
    try {
      const live = store.get(type, object.metadata.namespace, object.metadata.name ?? '');
      if (!live) {
        store.create(type, tracked);
        return { ...base, status: 'Synced', message: `${qualified(type)}/${object.metadata.name ?? ''} created`, hookPhase: 'Running' };
      }
      if (matchesDesired(tracked, live)) return { ...base, status: 'Synced', message: `${qualified(type)}/${object.metadata.name ?? ''} unchanged`, hookPhase: 'Running' };
      const next: KubeObject = { ...live };
      for (const [key, value] of Object.entries(tracked)) if (key !== 'metadata' && key !== 'status') next[key] = value;
      next.metadata = {
        ...live.metadata,
        labels: { ...live.metadata.labels, ...tracked.metadata.labels },
        annotations: { ...live.metadata.annotations, ...tracked.metadata.annotations },
      };
      store.update(type, next);
      return { ...base, status: 'Synced', message: `${qualified(type)}/${object.metadata.name ?? ''} configured`, hookPhase: 'Running' };
    } catch (err) {
      return { ...base, status: 'SyncFailed', message: err instanceof KubeApiError ? err.status.message : String(err), hookPhase: 'Failed' };
    }
  });
}

/** Deletes live objects the Application tracked that git no longer has (automated `prune`, or a sync with prune). */
export function pruneObjects(store: ObjectStore, stale: Array<{ type: ResourceType; object: KubeObject }>): ResourceResult[] {
  return stale.map(({ type, object }) => {
    const base = resultBase(type, object);
    try {
      store.delete(type, object.metadata.namespace, object.metadata.name ?? '');
      return { ...base, status: 'Pruned', message: 'pruned', hookPhase: 'Succeeded' };
    } catch (err) {
      return { ...base, status: 'SyncFailed', message: err instanceof KubeApiError ? err.status.message : String(err), hookPhase: 'Failed' };
    }
  });
}

function resultBase(type: ResourceType | undefined, object: KubeObject): Omit<ResourceResult, 'status' | 'message' | 'hookPhase'> {
  const [group, version] = (object.apiVersion ?? '').includes('/') ? (object.apiVersion ?? '').split('/') : ['', object.apiVersion ?? ''];
  return { group: type?.group ?? group ?? '', version: type?.version ?? version ?? '', kind: object.kind ?? '', namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '', syncPhase: 'Sync' };
}

function qualified(type: ResourceType): string {
  return type.group === '' ? type.kind.toLowerCase() : `${type.kind.toLowerCase()}.${type.group}`;
}

function rank(obj: KubeObject): number {
  return obj.kind === 'Namespace' ? 0 : 1;
}
