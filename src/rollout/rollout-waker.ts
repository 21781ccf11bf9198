import type { KubeClient } from '../kube/index.ts';

export interface RolloutWakerDeps {
  kube: Pick<KubeClient, 'watchNamespaceDeployments'>;
  /** The namespaces Deckhand deploys to (one watch each: RBAC is granted per namespace). */
  namespaces: readonly string[];
  /** The deploy whose step is waiting on this Deployment right now, if any (`Deploy.waitingFor`). */
  waiterOf(namespace: string, name: string): Promise<string | undefined>;
  wake(deployId: string): Promise<void>;
  /**
   * One watcher per installation: every worker process starts a waker, and the one holding this lease watches (it
   * renews it; another takes over when it expires). Absent: this process always watches.
   */
  lease?: { hold(): Promise<boolean>; release(): Promise<void>; renewMs: number };
  onError?(err: unknown): void;
}

export interface RolloutWaker {
  stop(): Promise<void>;
}

/**
 * Wakes the steps that wait on a Deployment (pods becoming ready, a canary going away) the moment the Deployment
 * changes, so no step polls and no worker is held while a rollout progresses. One watch per namespace, reopened when
 * it ends; changes to one Deployment that arrive together wake its waiter once. A missed event costs only time: each
 * wait also has a fallback delay of its own.
 */
export function startRolloutWaker(deps: RolloutWakerDeps): RolloutWaker {
  const stopping = new AbortController();
  const pending = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let scheduled = false;

  const flush = async (): Promise<void> => {
    const keys = [...pending];
    pending.clear();
    await Promise.all(keys.map(async (key) => {
      const slash = key.indexOf('/');
      try {
        const id = await deps.waiterOf(key.slice(0, slash), key.slice(slash + 1));
        if (id) await deps.wake(id);
      } catch (err) {
        deps.onError?.(err);
      }
    }));
  };

  const changed = (namespace: string, name: string): void => {
    pending.add(`${namespace}/${name}`);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const run = flush();
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    });
  };

  /** Watches every namespace until `signal` aborts, reopening each watch when it ends. */
  const watch = (signal: AbortSignal): Promise<void>[] => deps.namespaces.map(async (namespace) => {
    while (!signal.aborted) {
      try {
        await deps.kube.watchNamespaceDeployments(namespace, changed, signal);
      } catch (err) {
        deps.onError?.(err);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  });

  const lease = deps.lease;
  let watching: { stop: AbortController; loops: Promise<void>[] } | undefined;
  const startWatching = (): void => {
    if (watching || stopping.signal.aborted) return;
    const stop = new AbortController();
    stopping.signal.addEventListener('abort', () => stop.abort(), { once: true });
    watching = { stop, loops: watch(stop.signal) };
  };
  const stopWatching = async (): Promise<void> => {
    const w = watching;
    watching = undefined;
    w?.stop.abort();
    await Promise.all(w?.loops ?? []);
  };
  let ticker: NodeJS.Timeout | undefined;
  if (!lease) {
    startWatching();
  } else {
    const tick = async (): Promise<void> => {
      const held = await lease.hold().catch((err: unknown) => { deps.onError?.(err); return false; });
      if (held) startWatching();
      else await stopWatching();
    };
    void tick();
    ticker = setInterval(() => void tick(), lease.renewMs);
  }

  return {
    async stop() {
      clearInterval(ticker);
      stopping.abort();
      await stopWatching();
      await Promise.all([...inFlight]);
      await lease?.release().catch(() => {});
    },
  };
}

/**
 * The Deployments a deploy of a service's environment works with: its own, the canary and green ones it adds, and
 * the copy of the previous version a rolling deploy keeps warm while it soaks.
 */
const DERIVED_SUFFIXES = ['', '-canary', '-green', '-previous'] as const;

export interface WaiterLookup {
  /** Where each service's environment runs. */
  targets: Iterable<{ service: string; env: string; namespace: string; deployment: string }>;
  /** The deploy holding the service+environment lock (the one in flight there). */
  holderOf(service: string, env: string): Promise<string | undefined>;
  /** What the deploy's step waits on (read alone, not the whole record: this runs on every change of every Deployment). */
  waitingFor(id: string): Promise<{ namespace: string; name: string } | 'time' | undefined>;
}

/**
 * `waiterOf` for the waker: from a Deployment to the service+environment it belongs to, to the deploy in flight
 * there, when its step waits on exactly that Deployment. A step waiting on another Deployment, or only for time, or
 * still running, is left alone.
 */
export function waiterLookup(l: WaiterLookup): { namespaces: string[]; waiterOf: RolloutWakerDeps['waiterOf'] } {
  const owners = new Map<string, { service: string; env: string }>();
  for (const t of l.targets) {
    for (const suffix of DERIVED_SUFFIXES) owners.set(`${t.namespace}/${t.deployment}${suffix}`, { service: t.service, env: t.env });
  }
  return {
    namespaces: [...new Set([...owners.keys()].map((k) => k.slice(0, k.indexOf('/'))))],
    async waiterOf(namespace, name) {
      const owner = owners.get(`${namespace}/${name}`);
      if (!owner) return undefined;
      const id = await l.holderOf(owner.service, owner.env);
      if (!id) return undefined;
      // Only a step recorded as waiting on this Deployment is woken. A change that lands while the step that is about
      // to wait on it still runs is caught by the wait's own short fallback delay: waking every running step on
      // every change cost more (measured with `npm run bench -- canary`) than it saved.
      const w = await l.waitingFor(id);
      return w !== undefined && w !== 'time' && w.namespace === namespace && w.name === name ? id : undefined;
    },
  };
}
