import { randomUUID } from 'node:crypto';
import { jsonEqual } from './json-equal.ts';
import { alreadyExists, conflict, gone, invalid, namespaceTerminating, notFound } from './api-error.ts';
import type { KubeObject } from './kube-types.ts';
import { formatTimestamp } from './kube-types.ts';
import type { ResourceRegistry, ResourceType } from './resource-registry.ts';
import { groupVersion, storageKey } from './resource-registry.ts';
import { validateObjectMeta } from './validate-object-meta.ts';
import { cloneJson } from './clone-json.ts';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as etcd would report it: the object after the change (before it, for DELETED) at its revision. */
export interface StoreEvent {
  type: StoreEventType;
  storageKey: string;
  resourceVersion: number;
  object: KubeObject;
  /** The object before a MODIFIED change: lets a selector watch tell "entered", "changed" and "left" apart. */
  previous?: KubeObject;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface WriteOptions {
  /** `dryRun=All`: validate and answer as if written, change nothing. */
  dryRun?: boolean;
}

export interface ObjectStoreOptions {
  /** How many events to keep for watches that resume from a resourceVersion; older ones answer 410 Gone. */
  historyLimit?: number;
  now?: () => number;
}

const FIRST_RESOURCE_VERSION = 100;

/**
 * The etcd of the sim: every object of every registered type, one global monotonically increasing
 * resourceVersion, and a bounded history of changes that watches replay. Everything handed out is a copy, so
 * callers can mutate what they get without touching the store.
 */
export class ObjectStore {
  readonly registry: ResourceRegistry;
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #history: StoreEvent[] = [];
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  /** Owner uid → the objects whose ownerReferences name it: garbage collection without scanning the store. */
  readonly #dependents = new Map<string, Map<string, { type: ResourceType; key: string }>>();
  /** Per type, the keys of objects without a controller reference: what a controller may adopt. */
  readonly #uncontrolled = new Map<string, Set<string>>();
  readonly #historyLimit: number;
  readonly #now: () => number;
  #resourceVersion = FIRST_RESOURCE_VERSION;
  /** The newest resourceVersion whose event has been dropped from history; a watch from before it is too old. */
  #compactedThrough = FIRST_RESOURCE_VERSION;

  constructor(registry: ResourceRegistry, options: ObjectStoreOptions = {}) {
    this.registry = registry;
    this.#historyLimit = options.historyLimit ?? 5000;
    this.#now = options.now ?? Date.now;
  }

  get resourceVersion(): number {
    return this.#resourceVersion;
  }

  now(): number {
    return this.#now();
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.#bucket(type).get(objectKey(type, namespace, name));
    return found ? cloneJson(found) : undefined;
  }

  /**
   * The stored object itself (frozen), for a reader that only looks at it or serializes it — the API server's GET
   * and LIST answers: a copy per answer was the largest part of the sim's work with hundreds of rollouts at once.
   */
  peek(type: ResourceType, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined {
    return this.#bucket(type).get(objectKey(type, namespace, name));
  }

  require(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  /**
   * Objects of a type, in one namespace or (namespace undefined) all of them, sorted like etcd keys. `where`
   * filters before copying — controllers looking for their own few pods should not copy everyone's.
   */
  list(type: ResourceType, namespace?: string, where?: (obj: Readonly<KubeObject>) => boolean): KubeObject[] {
    return this.peekAll(type, namespace, where).map((obj) => cloneJson(obj));
  }

  /** What `list` returns, as the stored objects themselves (see `peek`): never change them. */
  peekAll(type: ResourceType, namespace?: string, where?: (obj: Readonly<KubeObject>) => boolean): readonly Readonly<KubeObject>[] {
    const matches: Array<[string, KubeObject]> = [];
    for (const [key, obj] of this.#bucket(type)) {
      if (namespace !== undefined && type.namespaced && obj.metadata.namespace !== namespace) continue;
      if (where && !where(obj)) continue;
      matches.push([key, obj]);
    }
    return matches.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, obj]) => obj);
  }

  /**
   * What `list` would return for objects that name `ownerUid` in their ownerReferences (and, with
   * `uncontrolled`, objects no controller owns), found through the owner index: a controller's sync reads its
   * own few objects, not the whole store. With `shared`, the stored objects themselves instead of copies, for a
   * sync that only reads them and copies the one it changes (like a real controller's informer cache): a
   * Deployment's sync looks at every ReplicaSet it ever had, many times during each rollout. Never change them.
   */
  listOwned(type: ResourceType, namespace: string | undefined, ownerUid: string, options: { uncontrolled?: boolean; shared?: boolean; where?: (obj: Readonly<KubeObject>) => boolean } = {}): KubeObject[] {
    const bucket = this.#bucket(type);
    const keys = new Set<string>();
    const prefix = `${storageKey(type)} `;
    for (const entry of this.#dependents.get(ownerUid)?.keys() ?? []) if (entry.startsWith(prefix)) keys.add(entry.slice(prefix.length));
    if (options.uncontrolled) for (const key of this.#uncontrolled.get(storageKey(type)) ?? []) keys.add(key);
    const matches: Array<[string, KubeObject]> = [];
    for (const key of keys) {
      const obj = bucket.get(key);
      if (!obj) continue;
      if (namespace !== undefined && type.namespaced && obj.metadata.namespace !== namespace) continue;
      if (options.where && !options.where(obj)) continue;
      matches.push([key, obj]);
    }
    const sorted = matches.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return sorted.map(([, obj]) => (options.shared ? obj : cloneJson(obj)));
  }

  create(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const obj = cloneJson(input);
    obj.apiVersion = groupVersion(type);
    obj.kind = type.kind;
    const meta = (obj.metadata ??= {});
    if (!type.namespaced) delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    this.#validate(type, obj);
    if (type.namespaced) this.#requireNamespace(type, meta.name ?? '', meta.namespace ?? '');
    const key = objectKey(type, meta.namespace, meta.name ?? '');
    if (this.#bucket(type).has(key)) throw alreadyExists(type, meta.name ?? '');
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTimestamp(this.#now());
    delete meta.deletionTimestamp;
    if (type.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (type.statusIsSubresource) delete obj.status;
    type.applyDefaults?.(obj);
    if (options.dryRun) return obj;
    return this.#commit(type, key, obj, 'ADDED');
  }

  /**
   * Replaces an object (PUT semantics). A set `metadata.resourceVersion` is a precondition (409 Conflict when
   * stale). On the main resource, `status` is kept from the stored object for types whose status is a
   * subresource; on the status subresource only `status` is taken from the input. `all` is for the sim's own
   * controllers, which (like the real ones' status writes) set annotations and status in one go.
   */
  update(type: ResourceType, input: KubeObject, options: WriteOptions & { subresource?: 'status' | 'all' } = {}): KubeObject {
    const name = input.metadata?.name ?? '';
    const namespace = type.namespaced ? input.metadata?.namespace : undefined;
    const key = objectKey(type, namespace, name);
    const existing = this.#bucket(type).get(key);
    if (!existing) throw notFound(type, name);
    const precondition = input.metadata.resourceVersion;
    if (precondition !== undefined && precondition !== '' && precondition !== existing.metadata.resourceVersion) throw conflict(type, name);

    let obj: KubeObject;
    if (options.subresource === 'status') {
      obj = cloneJson(existing);
      obj.status = cloneJson(input.status);
    } else {
      obj = cloneJson(input);
      obj.apiVersion = groupVersion(type);
      obj.kind = type.kind;
      if (type.statusIsSubresource && options.subresource !== 'all') {
        if (existing.status === undefined) delete obj.status;
        else obj.status = cloneJson(existing.status);
      }
      if (!type.namespaced) delete obj.metadata.namespace;
      obj.metadata.uid = existing.metadata.uid;
      obj.metadata.creationTimestamp = existing.metadata.creationTimestamp;
      obj.metadata.generation = existing.metadata.generation;
      if (obj.metadata.generation === undefined) delete obj.metadata.generation;
      type.applyDefaults?.(obj);
      this.#validate(type, obj, existing);
      if (type.tracksGeneration && !jsonEqual(obj.spec, existing.spec)) obj.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    }
    obj.metadata.resourceVersion = existing.metadata.resourceVersion;
    // A no-op write does not bump the resourceVersion or wake watchers — as with the real API server.
    if (jsonEqual(obj, existing) || options.dryRun) return cloneJson(obj);
    return this.#commit(type, key, obj, 'MODIFIED', existing);
  }

  /**
   * Deletes an object; dependents (by ownerReferences) are deleted too unless the policy is Orphan. For types
   * with graceful deletion (pods) a non-zero grace period only marks the object (deletionTimestamp,
   * deletionGracePeriodSeconds) and returns it: whoever runs it (the kubelet) deletes it for good with grace 0.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string, options: WriteOptions & { propagationPolicy?: PropagationPolicy; preconditionUid?: string; gracePeriodSeconds?: number } = {}): KubeObject {
    const key = objectKey(type, type.namespaced ? namespace : undefined, name);
    const existing = this.#bucket(type).get(key);
    if (!existing) throw notFound(type, name);
    if (options.preconditionUid && options.preconditionUid !== existing.metadata.uid) throw conflict(type, name);
    if (options.dryRun) return cloneJson(existing);
    if (type.kind === 'Namespace' && type.group === '') return this.#deleteNamespace(type, key, existing);
    const grace = options.gracePeriodSeconds ?? type.gracefulDeletion?.(existing);
    if (grace !== undefined && grace > 0) {
      if (existing.metadata.deletionTimestamp) return cloneJson(existing);
      const marked = cloneJson(existing);
      marked.metadata.deletionTimestamp = formatTimestamp(this.#now() + grace * 1000);
      marked.metadata.deletionGracePeriodSeconds = grace;
      return this.#commit(type, key, marked, 'MODIFIED', existing);
    }
    this.#bucket(type).delete(key);
    this.#reindex(type, key, existing, undefined);
    const deleted = cloneJson(existing);
    this.#record({ type: 'DELETED', storageKey: storageKey(type), resourceVersion: this.#nextResourceVersion(), object: deleted });
    this.#collectDependents(existing, options.propagationPolicy ?? 'Background');
    if (type.namespaced && existing.metadata.namespace) this.#finalizeNamespace(existing.metadata.namespace);
    return cloneJson(deleted);
  }

  /** Calls `listener` synchronously after every committed change. Listeners must not mutate the event. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events of one type after `resourceVersion`, or 410 Gone when history no longer reaches back that far. */
  eventsSince(type: ResourceType, resourceVersion: number): StoreEvent[] {
    if (resourceVersion < this.#compactedThrough) {
      throw gone(`too old resource version: ${resourceVersion} (${this.#compactedThrough + 1})`);
    }
    const key = storageKey(type);
    return this.#history.filter((e) => e.resourceVersion > resourceVersion && e.storageKey === key).map((e) => cloneJson(e));
  }

  #commit(type: ResourceType, key: string, obj: KubeObject, eventType: StoreEventType, previous?: KubeObject): KubeObject {
    const resourceVersion = this.#nextResourceVersion();
    obj.metadata.resourceVersion = String(resourceVersion);
    // Frozen: stored objects are shared with events and with `shared` reads, so a change is an error, not a corruption.
    deepFreeze(obj);
    this.#bucket(type).set(key, obj);
    this.#reindex(type, key, previous, obj);
    // The event holds the stored objects themselves: a stored object is never changed in place (every write stores
    // a new one), so the history, the listeners and the bucket can share them; only callers get copies.
    this.#record({ type: eventType, storageKey: storageKey(type), resourceVersion, object: obj, ...(previous ? { previous } : {}) });
    return cloneJson(obj);
  }

  #nextResourceVersion(): number {
    this.#resourceVersion += 1;
    return this.#resourceVersion;
  }

  #record(event: StoreEvent): void {
    if (event.type === 'DELETED') event.object.metadata.resourceVersion = String(event.resourceVersion);
    this.#history.push(event);
    while (this.#history.length > this.#historyLimit) {
      const dropped = this.#history.shift();
      if (dropped) this.#compactedThrough = dropped.resourceVersion;
    }
    // Listeners read events, never change them (see `subscribe`): they get the recorded event itself.
    for (const listener of this.#listeners) listener(event);
  }

  #collectDependents(owner: KubeObject, policy: PropagationPolicy): void {
    const uid = owner.metadata.uid ?? '';
    for (const { type, key } of [...(this.#dependents.get(uid)?.values() ?? [])]) {
      const obj = this.#bucket(type).get(key);
      if (!obj) continue;
      const refs = obj.metadata.ownerReferences ?? [];
      if (policy === 'Orphan') {
        const orphan = cloneJson(obj);
        orphan.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
        if (orphan.metadata.ownerReferences.length === 0) delete orphan.metadata.ownerReferences;
        this.#commit(type, key, orphan, 'MODIFIED', obj);
      } else {
        this.delete(type, obj.metadata.namespace, obj.metadata.name ?? '', { propagationPolicy: policy });
      }
    }
  }

  #reindex(type: ResourceType, key: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const entry = `${storageKey(type)} ${key}`;
    let uncontrolled = this.#uncontrolled.get(storageKey(type));
    if (!uncontrolled) this.#uncontrolled.set(storageKey(type), (uncontrolled = new Set()));
    if (after && !after.metadata.ownerReferences?.some((r) => r.controller)) uncontrolled.add(key);
    else uncontrolled.delete(key);
    for (const ref of before?.metadata.ownerReferences ?? []) {
      const set = this.#dependents.get(ref.uid);
      set?.delete(entry);
      if (set?.size === 0) this.#dependents.delete(ref.uid);
    }
    for (const ref of after?.metadata.ownerReferences ?? []) {
      let set = this.#dependents.get(ref.uid);
      if (!set) this.#dependents.set(ref.uid, (set = new Map()));
      set.set(entry, { type, key });
    }
  }

  #deleteNamespaceContents(namespace: string): void {
    for (const type of this.registry.all()) {
      if (!type.namespaced) continue;
      for (const obj of this.list(type, namespace)) {
        if (this.#bucket(type).has(objectKey(type, namespace, obj.metadata.name ?? ''))) this.delete(type, namespace, obj.metadata.name ?? '');
      }
    }
  }

  #requireNamespace(type: ResourceType, name: string, namespace: string): void {
    const namespaces = this.registry.lookup('v1', 'namespaces');
    if (!namespaces || namespace === '') return;
    const found = this.#bucket(namespaces).get(objectKey(namespaces, undefined, namespace));
    if (!found) throw notFound(namespaces, namespace);
    if (found.metadata.deletionTimestamp) throw namespaceTerminating(type, name, namespace);
  }

  /**
   * The namespace controller's part: a namespace being deleted is Terminating until nothing is left in it
   * (pods stop gracefully), then it goes.
   */
  #deleteNamespace(type: ResourceType, key: string, existing: KubeObject): KubeObject {
    const name = existing.metadata.name ?? '';
    if (!existing.metadata.deletionTimestamp) {
      const marked = cloneJson(existing);
      marked.metadata.deletionTimestamp = formatTimestamp(this.#now());
      marked.status = { ...(marked.status as object | undefined), phase: 'Terminating' };
      this.#commit(type, key, marked, 'MODIFIED', existing);
    }
    const terminating = cloneJson(this.#bucket(type).get(key) ?? existing);
    this.#deleteNamespaceContents(name);
    this.#finalizeNamespace(name);
    return terminating;
  }

  #finalizeNamespace(namespace: string): void {
    const namespaces = this.registry.lookup('v1', 'namespaces');
    const ns = namespaces ? this.#bucket(namespaces).get(namespace) : undefined;
    if (!namespaces || !ns?.metadata.deletionTimestamp) return;
    const occupied = this.registry.all().some((t) => t.namespaced && [...this.#bucket(t).values()].some((o) => o.metadata.namespace === namespace));
    if (occupied) return;
    this.#bucket(namespaces).delete(namespace);
    this.#reindex(namespaces, namespace, ns, undefined);
    this.#record({ type: 'DELETED', storageKey: storageKey(namespaces), resourceVersion: this.#nextResourceVersion(), object: cloneJson(ns) });
  }

  #validate(type: ResourceType, obj: KubeObject, old?: KubeObject): void {
    const problems = [...validateObjectMeta(obj.metadata, type.namespaced), ...(type.validate?.(obj) ?? []), ...(old && type.validateUpdate ? type.validateUpdate(obj, old) : [])];
    if (problems.length > 0) throw invalid(type.kind, type.group, obj.metadata.name ?? '', problems);
  }

  #bucket(type: ResourceType): Map<string, KubeObject> {
    const key = storageKey(type);
    let bucket = this.#objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(key, bucket);
    }
    return bucket;
  }
}

function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ''}/${name}` : name;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from the alphabet apimachinery uses for generateName, so names look like a real cluster's. */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return out;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
}
