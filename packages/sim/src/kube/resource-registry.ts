import type { KubeObject } from './kube-types.ts';

/** One column of a `meta.k8s.io/v1 Table`; priority 0 shows by default, 1 only with `-o wide`. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  priority: 0 | 1;
  /** Computes this column's cell. `now` is passed so AGE columns are testable. */
  cell: (obj: KubeObject, now: number) => string | number | boolean;
}

/**
 * Everything the server needs to know about one resource. Adding a type to the sim (Gateway API HTTPRoute, a
 * CRD) is one `ResourceType` registered in `createResourceRegistry`; storage, CRUD, watch, patch, tables and
 * discovery all read from here.
 */
export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  resource: string; // plural, lower case: 'deployments'
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served, e.g. ['status', 'scale']. */
  subresources?: string[];
  columns?: TableColumn[];
  /** Fills server-side defaults, as the API server's defaulting does on every write. */
  applyDefaults?: (obj: KubeObject) => void;
  /** Returns field problems that make the write 422 Invalid. */
  validate?: (obj: KubeObject) => Array<{ field: string; message: string; reason?: string }>;
  /** Extra checks on update, against the stored object (immutable fields). */
  validateUpdate?: (obj: KubeObject, old: KubeObject) => Array<{ field: string; message: string; reason?: string }>;
  /** Verbs in discovery; default: all of them. */
  verbs?: string[];
  /** A review-style type: POST answers with the computed object and stores nothing (access reviews). */
  review?: (obj: KubeObject) => KubeObject;
  /** Served as another representation of a stored type (events.k8s.io/v1 over core/v1 events). */
  storedAs?: {
    groupVersion: string;
    resource: string;
    toStorage: (obj: KubeObject) => KubeObject;
    fromStorage: (obj: KubeObject) => KubeObject;
  };
  /** Whether changes to `spec` bump metadata.generation (true for workloads). */
  tracksGeneration?: boolean;
  /**
   * Graceful deletion: the grace period (seconds) a delete without an explicit one gets, or undefined to delete
   * at once. Pods answer their terminationGracePeriodSeconds and linger as Terminating until the kubelet is done.
   */
  gracefulDeletion?: (obj: KubeObject) => number | undefined;
  /** Whether the main endpoint ignores `status` (it is written via the /status subresource only). */
  statusIsSubresource?: boolean;
  /**
   * A read-only type computed from stored objects on each read and never stored (metrics.k8s.io PodMetrics):
   * get and list answer from here, every other verb is 405.
   */
  computeItems?: (source: ComputeSource, namespace: string | undefined) => KubeObject[];
}

/** What a computed type reads: other types' objects, and the clock. */
export interface ComputeSource {
  list(groupVersion: string, resource: string, namespace?: string): KubeObject[];
  now(): number;
}

export function groupVersion(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Key under which the store keeps a type's objects; independent of version. */
export function storageKey(type: Pick<ResourceType, 'group' | 'resource'>): string {
  return `${type.group}/${type.resource}`;
}

export class ResourceRegistry {
  readonly #byGroupVersion = new Map<string, Map<string, ResourceType>>();

  register(type: ResourceType): void {
    const gv = groupVersion(type);
    let resources = this.#byGroupVersion.get(gv);
    if (!resources) {
      resources = new Map();
      this.#byGroupVersion.set(gv, resources);
    }
    resources.set(type.resource, type);
  }

  lookup(groupVersionName: string, resource: string): ResourceType | undefined {
    return this.#byGroupVersion.get(groupVersionName)?.get(resource);
  }

  /** Finds a type by its kind, for `kind`-typed references such as ownerReferences. */
  lookupKind(apiVersion: string, kind: string): ResourceType | undefined {
    for (const type of this.#byGroupVersion.get(apiVersion)?.values() ?? []) {
      if (type.kind === kind) return type;
    }
    return undefined;
  }

  groupVersions(): string[] {
    return [...this.#byGroupVersion.keys()];
  }

  resourcesIn(groupVersionName: string): ResourceType[] {
    return [...(this.#byGroupVersion.get(groupVersionName)?.values() ?? [])];
  }

  all(): ResourceType[] {
    return [...this.#byGroupVersion.values()].flatMap((m) => [...m.values()]);
  }
}
