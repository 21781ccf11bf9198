import {
  AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, VersionApi, Watch, setHeaderOptions,
  type V1Deployment, type V1PodTemplateSpec, type V1ReplicaSet,
} from '@kubernetes/client-node';
import { DeckhandError } from '../errors.ts';
import { kubeError, toStatus } from './kube-status.ts';
import { poolDispatchers } from './pooled-dispatchers.ts';
import { withPlainDeploymentBodies } from './plain-deployment-bodies.ts';
import { makeApiClient } from './request-http-library.ts';
import { createWorkloadsClient } from './workloads-client.ts';
import { createRetrier, withTimeout } from './request-options.ts';
import { DEFAULT_RETRY_POLICY, backoffMs, failureCode, withRetry, type RetryPolicy } from './retry-policy.ts';
import type { KubeClient, RolloutRevision } from './types.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** kubectl's rollback.go: annotations that describe the Deployment itself and never travel with a template. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to',
]);

export interface KubeSource {
  /** Path of a kubeconfig file; absent = the default chain (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfigPath?: string;
  kubeconfigYaml?: string;
  /**
   * Retries of transient API failures (5xx, 429, network, timeouts) and the time limit of each request; tests
   * shorten them. Every call Deckhand makes goes through this policy.
   */
  retry?: Partial<RetryPolicy>;
  /** Told about every failed attempt that will be retried (`http_503`, `http_429`, `timeout`, …): metrics count them. */
  onRetry?: (code: string) => void;
}

export function loadKubeConfig(source: KubeSource): KubeConfig {
  const kc = new KubeConfig();
  if (source.kubeconfigYaml) kc.loadFromString(source.kubeconfigYaml);
  else if (source.kubeconfigPath) kc.loadFromFile(source.kubeconfigPath);
  else kc.loadFromDefault();
  return poolDispatchers(kc);
}

function imagesOf(template: V1PodTemplateSpec | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of template?.spec?.containers ?? []) out[c.name] = c.image ?? '';
  return out;
}

function ownedBy(rs: V1ReplicaSet, d: V1Deployment): boolean {
  return (rs.metadata?.ownerReferences ?? []).some((o) => o.uid === d.metadata?.uid);
}

/** Pod templates compared without the pod-template-hash label, as the deployment controller does. */
function sameTemplate(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  const strip = (t: V1PodTemplateSpec | undefined): string => {
    const copy = structuredClone(t ?? {});
    if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
    return JSON.stringify(copy, Object.keys(flattenKeys(copy)).sort());
  };
  return strip(a) === strip(b);
}

function flattenKeys(value: unknown, out: Record<string, true> = {}): Record<string, true> {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out[k] = true; flattenKeys(v, out); }
  }
  return out;
}

export function createKubeClient(source: KubeSource): KubeClient {
  const kc = loadKubeConfig(source);
  const apps = makeApiClient(kc, AppsV1Api);
  // Calls whose Deployment answer is only flattened to a status (or dropped) skip the model mapping; a rollback's
  // template comparison keeps the models on both sides.
  const deployments = withPlainDeploymentBodies(makeApiClient(kc, AppsV1Api));
  const version = makeApiClient(kc, VersionApi);
  const watcher = new Watch(kc);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...source.retry };
  const onRetry = source.onRetry;
  const reportRetry = onRetry ? (_f: unknown, _attempt: number, _delay: number, err: unknown): void => onRetry(failureCode(err)) : undefined;
  const retry = createRetrier(policy, reportRetry);
  const workloads = createWorkloadsClient(deployments, makeApiClient(kc, CoreV1Api), makeApiClient(kc, CustomObjectsApi), retry);
  /** Consecutive watches that ended in an error: the next reopen waits a jittered backoff (a flaky server is not hammered). */
  let watchFailures = 0;

  /** `through` the models (`apps`, the default) or the plain JSON (`deployments`). */
  async function read(namespace: string, name: string, through: AppsV1Api = apps): Promise<V1Deployment> {
    try {
      return await retry((o) => through.readNamespacedDeployment({ name, namespace }, o));
    } catch (err) {
      throw kubeError(err, `deployment ${namespace}/${name}`);
    }
  }

  async function ownedReplicaSets(d: V1Deployment): Promise<V1ReplicaSet[]> {
    const namespace = d.metadata?.namespace ?? '';
    const labels = d.spec?.selector?.matchLabels ?? {};
    const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    try {
      const list = await retry((o) => apps.listNamespacedReplicaSet({ namespace, labelSelector }, o));
      return list.items.filter((rs) => ownedBy(rs, d));
    } catch (err) {
      throw kubeError(err, `replicasets of ${namespace}/${d.metadata?.name}`);
    }
  }

  /**
   * One watch of a namespace's Deployments (narrowed by `query`). Resolves when `signal` aborts or the watch ends; a
   * watch that ends in an error (5xx, reset, idle timeout) resolves after a jittered backoff, so the caller's re-read
   * and re-watch does not spin against a failing server; a clean end resolves at once.
   */
  function watchDeployments(namespace: string, query: { fieldSelector?: string; resourceVersion?: string }, onEvent: (type: string, obj: V1Deployment) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let controller: AbortController | undefined;
      const stop = (): void => { controller?.abort(); resolve(); };
      signal.addEventListener('abort', stop, { once: true });
      watcher.watch(
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
        { ...query, allowWatchBookmarks: true },
        (type, obj: V1Deployment) => { if (type !== 'BOOKMARK') onEvent(type, obj); },
        (err: unknown) => { void ended(err); },
      ).then((c) => { controller = c; if (signal.aborted) c.abort(); }, (err: unknown) => { void ended(err ?? new Error('watch failed')); });
      async function ended(err: unknown): Promise<void> {
        signal.removeEventListener('abort', stop);
        if (err && !signal.aborted) {
          watchFailures++;
          await abortableSleep(backoffMs(Math.min(watchFailures - 1, 6), policy), signal);
        } else {
          watchFailures = 0;
        }
        resolve();
      }
    });
  }

  return {
    ...workloads,
    async readDeployment(namespace, name) {
      return toStatus(await read(namespace, name, deployments));
    },

    async setImage(namespace, name, container, image, changeCause) {
      const body = {
        metadata: { annotations: { [CHANGE_CAUSE]: changeCause } },
        spec: { template: { spec: { containers: [{ name: container, image }] } } },
      };
      try {
        // A strategic merge patch of the image is idempotent: sending it again (after a 5xx, a timeout whose answer
        // was lost, or a 409) leaves the Deployment as one send would, so it is retried as it is.
        const d = await retry((o) => deployments.patchNamespacedDeployment({ name, namespace, body }, o),
          { options: setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch), retryConflict: true });
        return toStatus(d);
      } catch (err) {
        throw kubeError(err, `deployment ${namespace}/${name}`);
      }
    },

    watchDeployment(namespace, name, fromResourceVersion, onChange, signal) {
      return watchDeployments(namespace, { fieldSelector: `metadata.name=${name}`, resourceVersion: fromResourceVersion }, (type, obj) => {
        if (type === 'ADDED' || type === 'MODIFIED') onChange(toStatus(obj));
      }, signal);
    },

    watchNamespaceDeployments(namespace, onChange, signal) {
      return watchDeployments(namespace, {}, (type, obj) => onChange({ namespace, name: obj.metadata?.name ?? '', ...(type !== 'DELETED' && { status: toStatus(obj) }) }), signal);
    },

    async listRevisions(namespace, name) {
      const d = await read(namespace, name);
      const sets = await ownedReplicaSets(d);
      const revisions: RolloutRevision[] = sets.map((rs) => ({
        revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0),
        replicaSet: rs.metadata?.name ?? '',
        images: imagesOf(rs.spec?.template),
        changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE],
        createdAt: rs.metadata?.creationTimestamp ? new Date(rs.metadata.creationTimestamp).toISOString() : undefined,
        replicas: rs.status?.replicas ?? 0,
      }));
      return revisions.sort((a, b) => a.revision - b.revision);
    },

    async undo(namespace, name, toRevision) {
      // The whole read-modify-write is one retried unit: after a 409, a 5xx or a timeout whose answer was lost,
      // the Deployment and its ReplicaSets are read again, so a patch that did land is seen (skipped: true) and
      // never sent twice; a conflicting change is merged from fresh state. Reads inside retry on their own.
      try {
        return await withRetry(() => undoOnce(namespace, name, toRevision), policy, { retryConflict: true, onRetry: reportRetry });
      } catch (err) {
        throw kubeError(err, `deployment ${namespace}/${name}`);
      }
    },

    async ping() {
      try {
        // One attempt with a short limit, no retries: readiness reports the API as it is now, within a probe's timeout.
        await version.getCode(withTimeout(Math.min(policy.requestTimeoutMs, 3000)));
      } catch (err) {
        throw kubeError(err, 'the cluster version endpoint');
      }
    },
  };

  async function undoOnce(namespace: string, name: string, toRevision: number | undefined): Promise<{ restored: number; skipped: boolean }> {
    const d = await read(namespace, name);
    const sets = await ownedReplicaSets(d);
    const byRevision = new Map(sets.map((rs) => [Number(rs.metadata?.annotations?.[REVISION] ?? 0), rs]));
    const current = Number(d.metadata?.annotations?.[REVISION] ?? 0);
    const target = toRevision ?? Math.max(0, ...[...byRevision.keys()].filter((r) => r < current));
    const rs = byRevision.get(target);
    if (!rs || target === 0) {
      throw new DeckhandError('rollback_no_revision', toRevision
        ? `Revision ${toRevision} of ${namespace}/${name} no longer exists (the cluster keeps only recent ReplicaSets).`
        : `${namespace}/${name} has no previous revision to roll back to.`);
    }
    if (sameTemplate(rs.spec?.template, d.spec?.template)) return { restored: target, skipped: true };
    const template = structuredClone(rs.spec?.template ?? {});
    if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    const body = [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ];
    // One attempt, errors raw: the caller's loop decides whether to read again and retry.
    await apps.patchNamespacedDeployment({ name, namespace, body }, withTimeout(policy.requestTimeoutMs, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)));
    return { restored: target, skipped: false };
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
