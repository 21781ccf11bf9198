import { badRequest, methodNotAllowed, notFound } from './api-error.ts';
import { parseFieldSelector } from './field-selector.ts';
import type { KubeObject, Pod } from './kube-types.ts';
import { isPlainObject } from './kube-types.ts';
import { parseLabelSelector } from './label-selector.ts';
import type { ObjectStore, PropagationPolicy } from './object-store.ts';
import { pageOf } from './list-page.ts';
import type { ResourceAccess } from './resource-access.ts';
import { accessFor } from './resource-access.ts';
import { isApplyPatch, patchObject } from './patch-object.ts';
import { renderPodLog } from './pod-logs.ts';
import type { ResourceTarget } from './request-target.ts';
import { groupVersion } from './resource-registry.ts';
import { applyScale, toScale } from './scale-subresource.ts';
import type { IncludeObject } from './table.ts';
import { renderTable } from './table.ts';
import { cloneJson } from './clone-json.ts';

/** A non-streaming answer: HTTP status and a JSON body. */
export interface HandlerResult {
  status: number;
  body: unknown;
}

export interface RequestInfo {
  method: string;
  target: ResourceTarget;
  query: URLSearchParams;
  accept: string;
  contentType: string | undefined;
  body: unknown;
}

/** Whether the client asked for a `meta.k8s.io/v1 Table` (kubectl get does, with JSON as fallback). */
export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

/** Builds the predicate for a list/watch from `labelSelector` and `fieldSelector`. */
export function selectorFor(query: URLSearchParams): (obj: KubeObject) => boolean {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  return (obj) => labels(obj.metadata.labels) && fields(obj);
}

/** Routes one non-watch request on a resource URL to the store. Throws KubeApiError for Status answers. */
export function handleResourceRequest(store: ObjectStore, info: RequestInfo): HandlerResult {
  return handleWithAccess(accessFor(store, info.target.type), info);
}

function handleWithAccess(access: ResourceAccess, info: RequestInfo): HandlerResult {
  const { target, method } = info;
  if (target.type.review) {
    if (method !== 'POST' || target.name !== undefined) throw methodNotAllowed('the server does not allow this method on the requested resource');
    const reviewed = target.type.review(objectFromBody(info));
    return { status: 201, body: { ...reviewed, apiVersion: groupVersion(target.type), kind: target.type.kind } };
  }
  const dryRun = info.query.getAll('dryRun').includes('All');
  if (target.name === undefined) {
    switch (method) {
      case 'GET':
        return listObjects(access, info);
      case 'POST':
        return { status: 201, body: access.create(objectFromBody(info), { dryRun }) };
      case 'DELETE':
        return deleteCollection(access, info, dryRun);
      default:
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
  }
  if (target.type.namespaced && target.namespace === undefined) throw notFound(target.type, target.name);
  switch (target.subresource) {
    case undefined:
    case 'status':
      return handleObject(access, info, dryRun);
    case 'scale':
      if (!(target.type.subresources ?? []).includes('scale')) throw notFound(target.type, target.name);
      return handleScale(access, info, dryRun);
    case 'log':
      if (target.type.kind !== 'Pod' || info.method !== 'GET') throw notFound(target.type, target.name);
      return { status: 200, body: renderPodLog(access.require(target.namespace, target.name) as Pod, info.query) };
    case 'finalize':
      return handleObject(access, { ...info, target: { ...target, subresource: undefined } }, dryRun);
    case 'exec':
    case 'portforward':
    case 'attach':
      // Served on the upgrade path (streaming/stream-upgrade.ts); a plain request gets the API server's answer.
      if (target.type.kind !== 'Pod') throw notFound(target.type, target.name);
      throw badRequest('Upgrade request required');
    default:
      throw notFound(target.type, target.name);
  }
}

function listObjects(access: ResourceAccess, info: RequestInfo): HandlerResult {
  const { type, namespace } = info.target;
  const { store } = access;
  const matches = selectorFor(info.query);
  // The stored objects are only read here: the answer is serialized, never changed.
  const page = pageOf(access.viewAll(namespace, matches).filter(matches), info.query);
  const { items } = page;
  const resourceVersion = String(store.resourceVersion);
  const listMeta = { resourceVersion, ...(page.continue ? { continue: page.continue, remainingItemCount: page.remainingItemCount } : {}) };
  if (wantsTable(info.accept)) {
    const table = renderTable(type, items, { resourceVersion, includeObject: includeObjectParam(info.query), now: store.now() });
    return { status: 200, body: { ...table, metadata: listMeta } };
  }
  // Items of a list carry no kind/apiVersion on the wire; the list does.
  const bare = items.map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item);
  return { status: 200, body: { kind: type.listKind, apiVersion: groupVersion(type), metadata: listMeta, items: bare } };
}

function handleObject(access: ResourceAccess, info: RequestInfo, dryRun: boolean): HandlerResult {
  const { type, namespace, subresource } = info.target;
  const { store } = access;
  const name = info.target.name ?? '';
  const asStatus = subresource === 'status' ? ({ subresource: 'status' } as const) : {};
  switch (info.method) {
    case 'GET': {
      const obj = access.view(namespace, name);
      if (!obj) throw notFound(type, name);
      if (wantsTable(info.accept)) return { status: 200, body: renderTable(type, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '', includeObject: includeObjectParam(info.query), now: store.now() }) };
      return { status: 200, body: obj };
    }
    case 'PUT': {
      const obj = objectFromBody(info);
      if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
      return { status: 200, body: access.update(obj, { dryRun, ...asStatus }) };
    }
    case 'PATCH': {
      // Read only: every kind of patch is applied to a copy.
      const found = access.view(namespace, name);
      // Server-side apply creates what does not exist yet.
      if (!found && isApplyPatch(info.contentType)) return { status: 201, body: access.create(objectFromBody(info), { dryRun }) };
      const existing = found ?? access.require(namespace, name);
      const patched = patchObject(existing, info.body, info.contentType);
      if (!isPlainObject(patched)) throw badRequest('the patch produced something that is not an object');
      const obj = patched as KubeObject;
      obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
      // The patch addresses the URL's object; a changed name or namespace is rejected like the real server does.
      if (obj.metadata.name !== name) throw badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${name})`);
      if (type.namespaced) obj.metadata.namespace = namespace;
      return { status: 200, body: access.update(obj, { dryRun, ...asStatus }) };
    }
    case 'DELETE':
      return deleteObject(access, info, dryRun);
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
}

function handleScale(access: ResourceAccess, info: RequestInfo, dryRun: boolean): HandlerResult {
  const { namespace } = info.target;
  const name = info.target.name ?? '';
  const existing = access.require(namespace, name);
  switch (info.method) {
    case 'GET':
      return { status: 200, body: toScale(existing) };
    case 'PUT':
    case 'PATCH': {
      const scale = info.method === 'PUT' ? info.body : patchObject(toScale(existing), info.body, info.contentType);
      const updated = access.update(applyScale(existing, scale), { dryRun });
      return { status: 200, body: toScale(updated) };
    }
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
}

function deleteOptions(info: RequestInfo): { propagationPolicy?: PropagationPolicy; preconditionUid?: string; gracePeriodSeconds?: number } {
  const body = isPlainObject(info.body) ? info.body : {};
  const policy = info.query.get('propagationPolicy') ?? body.propagationPolicy;
  const orphan = info.query.get('orphanDependents') === 'true' || body.orphanDependents === true;
  const preconditions = isPlainObject(body.preconditions) ? body.preconditions : {};
  const grace = info.query.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  return {
    ...(grace !== undefined && grace !== null && grace !== '' ? { gracePeriodSeconds: Number(grace) } : {}),
    propagationPolicy: orphan ? 'Orphan' : policy === 'Orphan' || policy === 'Foreground' || policy === 'Background' ? policy : undefined,
    preconditionUid: typeof preconditions.uid === 'string' ? preconditions.uid : undefined,
  };
}

function deleteObject(access: ResourceAccess, info: RequestInfo, dryRun: boolean): HandlerResult {
  const { type, namespace } = info.target;
  const deleted = access.delete(namespace, info.target.name ?? '', { dryRun, ...deleteOptions(info) });
  // A graceful delete answers with the object, now carrying its deletionTimestamp (as for pods on a real cluster).
  if (deleted.metadata.deletionTimestamp) return { status: 200, body: deleted };
  return {
    status: 200,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: deleted.metadata.name, group: type.group, kind: type.resource, uid: deleted.metadata.uid } },
  };
}

function deleteCollection(access: ResourceAccess, info: RequestInfo, dryRun: boolean): HandlerResult {
  const { type, namespace } = info.target;
  const { store } = access;
  const matches = selectorFor(info.query);
  const deleted = access.list(namespace, matches).filter(matches).map((obj) => access.delete(obj.metadata.namespace, obj.metadata.name ?? '', { dryRun, ...deleteOptions(info) }));
  for (const item of deleted) {
    delete item.kind;
    delete item.apiVersion;
  }
  return { status: 200, body: { kind: type.listKind, apiVersion: groupVersion(type), metadata: { resourceVersion: String(store.resourceVersion) }, items: deleted } };
}

/** The request body as an object of the URL's type, its namespace taken from the URL when absent. */
function objectFromBody(info: RequestInfo): KubeObject {
  const { type, namespace } = info.target;
  if (!isPlainObject(info.body)) throw badRequest('the request body must be a JSON object');
  const obj = cloneJson(info.body) as KubeObject;
  if (obj.kind !== undefined && obj.kind !== type.kind) throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${groupVersion(type)}) or kind ${String(obj.kind)} does not match ${type.kind}`);
  obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
  if (type.namespaced) {
    if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = namespace ?? obj.metadata.namespace;
  }
  return obj;
}

