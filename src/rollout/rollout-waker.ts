import type { DeploymentChange, KubeClient } from '../kube/index.ts';
import { isPastProgressDeadline, isRolledOut } from './canary-state.ts';

export interface RolloutWakerDeps {
  kube: Pick<KubeClient, 'watchNamespaceDeployments'>;
  /** The namespaces Deckhand deploys to (one watch each: RBAC is granted per namespace). */
  namespaces: readonly string[];
  /** The deploys whose steps wait on these Deployments now (the store's waiter index); a `settled` one also wakes those that wait for its rollout to end. */
  waitersOf(deployments: readonly { namespace: string; name: string; settled: boolean }[]): Promise<string[]>;
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
 * it ends. A missed event costs only time: each wait also has a fallback delay of its own.
 */
export function startRolloutWaker(deps: RolloutWakerDeps): RolloutWaker {
  const stopping = new AbortController();
  /** Deployments changed since the last flush, by "namespace/name", as last seen. */
  const pending = new Map<string, { namespace: string; name: string; settled: boolean }>();
  const inFlight = new Set<Promise<void>>();
  let scheduled = false;

  // Everything that changed in one turn of the event loop is looked up in one read, and each deploy woken once
  // (a canary's and its stable Deployment's changes often come together).
  const flush = async (): Promise<void> => {
    const changedNow = [...pending.values()];
    pending.clear();
    try {
      const ids = new Set(await deps.waitersOf(changedNow));
      await Promise.all([...ids].map((id) => deps.wake(id).catch((err: unknown) => deps.onError?.(err))));
    } catch (err) {
      deps.onError?.(err);
    }
  };

  const changed = ({ namespace, name, status }: DeploymentChange): void => {
    pending.set(`${namespace}/${name}`, { namespace, name, settled: isSettled(status) });
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
 * Whether a Deployment's rollout is over, one way or the other: gone, rolled out its spec, or stopped progressing (its
 * deadline passed). A status that has not yet observed the current spec says nothing about that spec.
 */
function isSettled(status: DeploymentChange['status']): boolean {
  if (!status) return true;
  if (status.observedGeneration < status.generation) return false;
  return isRolledOut(status) || isPastProgressDeadline(status);
}
