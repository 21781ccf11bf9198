import type { KubeObject } from '../kube-types.ts';
import { formatTimestamp } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';

const MAX_AGGREGATED = 10_000;

/**
 * Records core/v1 Events the way client-go's event recorder does (name `<object>.<hex nanos>`), so
 * `kubectl describe` and `kubectl get events` show the controllers' history like a real cluster's. A repeat of
 * the same reason and message for the same object bumps `count` and `lastTimestamp` instead of adding an
 * Event, as the real recorder's aggregation does — a crash-looping pod stays one line.
 */
export class EventRecorder {
  readonly #store: ObjectStore;
  readonly #events: ResourceType;
  #sequence = 0;
  readonly #recorded = new Map<string, string>();

  constructor(store: ObjectStore, events: ResourceType) {
    this.#store = store;
    this.#events = events;
  }

  /** `fieldPath` points into the object (`spec.containers{api}`), as the kubelet's container events do. */
  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string, fieldPath?: string): void {
    const now = this.#store.now();
    const timestamp = formatTimestamp(now);
    this.#sequence += 1;
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.#sequence);
    const namespace = obj.metadata.namespace ?? 'default';
    const dedupKey = `${obj.metadata.uid ?? ''}\u0000${type}\u0000${reason}\u0000${message}`;
    const previous = this.#recorded.get(dedupKey);
    const existing = previous === undefined ? undefined : this.#store.get(this.#events, namespace, previous);
    if (existing) {
      try {
        this.#store.update(this.#events, { ...existing, count: (typeof existing.count === 'number' ? existing.count : 1) + 1, lastTimestamp: timestamp });
      } catch {
        // Best effort, like the real recorder.
      }
      return;
    }
    try {
      this.#store.create(this.#events, {
        metadata: { name: `${obj.metadata.name ?? ''}.${nanos.toString(16)}`, namespace },
        involvedObject: {
          kind: obj.kind,
          namespace,
          name: obj.metadata.name,
          uid: obj.metadata.uid,
          apiVersion: obj.apiVersion,
          resourceVersion: obj.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source: { component },
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: '',
      });
      this.#recorded.set(dedupKey, `${obj.metadata.name ?? ''}.${nanos.toString(16)}`);
      // Aggregation only needs recent events; forget the oldest so a long-running sandbox stays small.
      if (this.#recorded.size > MAX_AGGREGATED) this.#recorded.delete(this.#recorded.keys().next().value ?? '');
    } catch {
      // Events are best effort, as in a real cluster (e.g. the namespace is being deleted).
    }
  }
}
