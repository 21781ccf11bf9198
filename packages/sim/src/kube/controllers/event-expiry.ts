import type { ObjectStore, StoreEvent } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { storageKey } from '../resource-registry.ts';

/** kube-apiserver's `--event-ttl` default: an Event lives an hour after its last write. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60 * 1000;

/**
 * Expires Events as kube-apiserver does: each write of an Event (a new one, or a repeat that bumps its count)
 * gives it `ttlMs` more to live (its etcd lease), after which it is gone — a DELETED watch event, and no longer in
 * `kubectl get events`. Without it a sandbox left running kept every pod's Scheduled/Pulled/Started lines forever.
 */
export class EventExpiry {
  readonly #store: ObjectStore;
  readonly #events: ResourceType;
  readonly #ttlMs: number;
  /** When each stored Event was last written, by namespace/name: the lease the next sweep checks. */
  readonly #writtenAt = new Map<string, number>();
  readonly #unsubscribe: () => void;
  readonly #timer: NodeJS.Timeout;

  constructor(store: ObjectStore, events: ResourceType, ttlMs = DEFAULT_EVENT_TTL_MS) {
    this.#store = store;
    this.#events = events;
    this.#ttlMs = ttlMs;
    const key = storageKey(events);
    for (const e of store.list(events)) this.#writtenAt.set(nameOf(e), store.now());
    this.#unsubscribe = store.subscribe((event: StoreEvent) => {
      if (event.storageKey !== key) return;
      if (event.type === 'DELETED') this.#writtenAt.delete(nameOf(event.object));
      else this.#writtenAt.set(nameOf(event.object), store.now());
    });
    // A lease ends within a tenth of its length (at most a minute) of its due time, as etcd's lease checks do.
    this.#timer = setInterval(() => this.sweep(), Math.max(10, Math.min(ttlMs / 10, 60_000)));
    this.#timer.unref();
  }

  /** Deletes every Event whose last write is `ttlMs` or more ago. */
  sweep(): void {
    const now = this.#store.now();
    for (const [name, at] of this.#writtenAt) {
      if (now - at < this.#ttlMs) continue;
      this.#writtenAt.delete(name);
      const [namespace = '', eventName = ''] = name.split('/');
      try {
        this.#store.delete(this.#events, namespace, eventName);
      } catch {
        // Already gone (its namespace was deleted): nothing to expire.
      }
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#unsubscribe();
  }
}

function nameOf(e: { metadata: { namespace?: string; name?: string } }): string {
  return `${e.metadata.namespace ?? 'default'}/${e.metadata.name ?? ''}`;
}
