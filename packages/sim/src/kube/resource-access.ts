import { SimError } from '../errors.ts';
import { methodNotAllowed, notFound } from './api-error.ts';
import type { KubeObject } from './kube-types.ts';
import type { ObjectStore, PropagationPolicy, StoreEvent, WriteOptions } from './object-store.ts';
import type { ComputeSource, ResourceType } from './resource-registry.ts';
import { groupVersion, storageKey } from './resource-registry.ts';

/**
 * The store as seen through one served resource. Most types are stored as served; a type with `storedAs`
 * (events.k8s.io/v1 Event over core/v1 Event) is converted on the way in and out, so both versions read and
 * write the same objects, as the API server does with one storage version.
 */
export interface ResourceAccess {
  readonly type: ResourceType;
  readonly store: ObjectStore;
  get(namespace: string | undefined, name: string): KubeObject | undefined;
  require(namespace: string | undefined, name: string): KubeObject;
  /**
   * Objects of the namespace (all, when undefined). `where` may narrow them before they are copied — a hint, not a
   * filter: the caller still filters what it gets (a converted type is copied whole, then filtered by the caller).
   */
  list(namespace?: string, where?: (obj: Readonly<KubeObject>) => boolean): KubeObject[];
  /** `get` and `list` for answers that are only serialized: the stored objects where the type is stored as served. */
  view(namespace: string | undefined, name: string): Readonly<KubeObject> | undefined;
  viewAll(namespace?: string, where?: (obj: Readonly<KubeObject>) => boolean): readonly Readonly<KubeObject>[];
  create(obj: KubeObject, options?: WriteOptions): KubeObject;
  update(obj: KubeObject, options?: WriteOptions & { subresource?: 'status' }): KubeObject;
  delete(namespace: string | undefined, name: string, options?: WriteOptions & { propagationPolicy?: PropagationPolicy; preconditionUid?: string; gracePeriodSeconds?: number }): KubeObject;
  /** Store events for this resource, converted; `previous` too. */
  convertEvent(event: StoreEvent): StoreEvent | undefined;
  eventsSince(resourceVersion: number): StoreEvent[];
}

export function accessFor(store: ObjectStore, type: ResourceType): ResourceAccess {
  if (type.computeItems) return computedAccess(store, type, type.computeItems);
  const conversion = type.storedAs;
  const stored = conversion ? store.registry.lookup(conversion.groupVersion, conversion.resource) : type;
  if (!stored) throw new SimError(`${type.resource} is stored as ${conversion?.resource ?? ''}, which is not registered.`);
  const out = (obj: KubeObject): KubeObject => (conversion ? { ...conversion.fromStorage(obj), apiVersion: groupVersion(type), kind: type.kind } : obj);
  const into = (obj: KubeObject): KubeObject => (conversion ? conversion.toStorage(obj) : obj);
  const key = storageKey(stored);
  const convertEvent = (event: StoreEvent): StoreEvent | undefined => {
    if (event.storageKey !== key) return undefined;
    if (!conversion) return event;
    return { ...event, object: out(event.object), ...(event.previous ? { previous: out(event.previous) } : {}) };
  };
  return {
    type,
    store,
    get: (namespace, name) => {
      const found = store.get(stored, namespace, name);
      return found ? out(found) : undefined;
    },
    require: (namespace, name) => out(store.require(stored, namespace, name)),
    // A selector reads the served form; only an unconverted type's stored form is that.
    list: (namespace, where) => store.list(stored, namespace, conversion ? undefined : where).map(out),
    view: (namespace, name) => {
      if (!conversion) return store.peek(stored, namespace, name);
      const found = store.get(stored, namespace, name);
      return found ? out(found) : undefined;
    },
    viewAll: (namespace, where) => (conversion ? store.list(stored, namespace).map(out) : store.peekAll(stored, namespace, where)),
    create: (obj, options) => out(store.create(stored, into(obj), options)),
    update: (obj, options) => out(store.update(stored, into(obj), options)),
    delete: (namespace, name, options) => out(store.delete(stored, namespace, name, options)),
    convertEvent,
    eventsSince: (resourceVersion) => store.eventsSince(stored, resourceVersion).map((e) => convertEvent(e)).filter((e): e is StoreEvent => e !== undefined),
  };
}

/** A computed type (metrics): reads answer from the computation, writes are not allowed, nothing is watched. */
function computedAccess(store: ObjectStore, type: ResourceType, compute: NonNullable<ResourceType['computeItems']>): ResourceAccess {
  const source: ComputeSource = {
    list: (gv, resource, namespace) => {
      const other = store.registry.lookup(gv, resource);
      return other ? store.list(other, namespace) : [];
    },
    now: () => store.now(),
  };
  const list = (namespace?: string): KubeObject[] => compute(source, namespace).map((obj) => ({ ...obj, apiVersion: groupVersion(type), kind: type.kind }));
  const get = (namespace: string | undefined, name: string): KubeObject | undefined => list(namespace).find((obj) => obj.metadata.name === name);
  const readOnly = (): never => {
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  };
  return {
    type,
    store,
    get,
    require: (namespace, name) => get(namespace, name) ?? (() => { throw notFound(type, name); })(),
    list,
    view: get,
    viewAll: list,
    create: readOnly,
    update: readOnly,
    delete: readOnly,
    convertEvent: () => undefined,
    eventsSince: () => [],
  };
}
