import type { ServerResponse } from 'node:http';
import { KubeApiError, toKubeStatus } from './api-error.ts';
import type { KubeObject } from './kube-types.ts';
import type { ObjectStore, StoreEvent } from './object-store.ts';
import type { ResourceType } from './resource-registry.ts';
import { accessFor } from './resource-access.ts';
import { groupVersion } from './resource-registry.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchRequest {
  type: ResourceType;
  /** Namespace scope; undefined watches all namespaces. */
  namespace?: string;
  matches: (obj: KubeObject) => boolean;
  /** Absent or '0': synthetic ADDED for the current state, then live. Otherwise: replay history after it. */
  resourceVersion?: string;
  allowBookmarks: boolean;
  /** `sendInitialEvents=true` (streaming lists): initial state, then a bookmark marking its end. */
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  /** Renders each event's object (plain, or a one-row Table for `kubectl get --watch`). */
  encode: (obj: KubeObject, first: boolean) => unknown;
  bookmarkIntervalMs: number;
}

/**
 * Streams watch events as newline-delimited JSON over a chunked 200 response, the framing client-go,
 * client-node and kubectl decode. Selector watches see an object enter (ADDED) and leave (DELETED) the
 * selection as the real watch cache reports it, also when replaying history after a resourceVersion.
 * Returns a function that ends the stream (used on shutdown).
 */
export function serveWatch(store: ObjectStore, request: WatchRequest, res: ServerResponse): () => void {
  const { type } = request;
  const access = accessFor(store, type);
  const inScope = (obj: KubeObject) => !type.namespaced || request.namespace === undefined || obj.metadata.namespace === request.namespace;
  const selected = (obj: KubeObject) => inScope(obj) && request.matches(obj);
  let first = true;
  let ended = false;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  const send = (eventType: WatchEventType, object: unknown) => {
    if (ended) return;
    res.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const sendObject = (eventType: WatchEventType, obj: KubeObject) => {
    send(eventType, request.encode(obj, first));
    first = false;
  };
  const bookmark = (annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(store.resourceVersion) };
    if (annotations) metadata.annotations = annotations;
    send('BOOKMARK', { kind: type.kind, apiVersion: groupVersion(type), metadata });
  };
  // Like the watch cache: an object entering the selection is ADDED, leaving it is DELETED, judged on the
  // object before and after each change.
  const deliver = (event: StoreEvent) => {
    const before = event.type === 'ADDED' ? false : selected(event.type === 'MODIFIED' ? (event.previous ?? event.object) : event.object);
    const after = event.type !== 'DELETED' && selected(event.object);
    if (before && after) sendObject('MODIFIED', event.object);
    else if (after) sendObject('ADDED', event.object);
    else if (before) sendObject('DELETED', event.object);
  };

  const rv = request.resourceVersion;
  const fromCurrentState = rv === undefined || rv === '' || rv === '0' || request.sendInitialEvents;
  if (fromCurrentState) {
    for (const obj of access.list(type.namespaced ? request.namespace : undefined, selected).filter(selected)) sendObject('ADDED', obj);
    if (request.sendInitialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    let backlog: StoreEvent[];
    try {
      const since = Number(rv);
      if (!Number.isFinite(since)) throw new KubeApiError({ message: `Invalid value: "${rv}": resourceVersion must be an integer`, reason: 'BadRequest', code: 400 });
      backlog = access.eventsSince(since);
    } catch (err) {
      send('ERROR', toKubeStatus(err));
      ended = true;
      res.end();
      return () => {};
    }
    for (const event of backlog) deliver(event);
  }

  const unsubscribe = store.subscribe((event) => {
    const converted = access.convertEvent(event);
    if (converted) deliver(converted);
  });
  const timers: NodeJS.Timeout[] = [];
  if (request.allowBookmarks) timers.push(setInterval(() => bookmark(), request.bookmarkIntervalMs));
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    for (const t of timers) clearInterval(t);
    res.end();
  };
  if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) {
    const timeout = setTimeout(end, request.timeoutSeconds * 1000);
    timers.push(timeout);
  }
  res.on('close', end);
  return end;
}
