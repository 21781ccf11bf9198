import { jsonEqual } from '../json-equal.ts';
import { KubeApiError } from '../api-error.ts';
import { cloneJson } from '../clone-json.ts';
import type { KubeObject } from '../kube-types.ts';
import { formatTimestamp, isPlainObject } from '../kube-types.ts';
import type { ObjectStore, StoreEvent } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { storageKey } from '../resource-registry.ts';
import { applicationSpecOf, hasSyncOption, isAutomated, type ApplicationSpec } from './application-spec.ts';
import { comparableStatus, previousStatusOf, type AppCondition, type ApplicationStatus, type HistoryEntry, type OperationState, type PreviousStatus, type ResourceStatus, type SyncStatusCode } from './application-status.ts';
import { applyManifests, pruneObjects, TRACKING_ANNOTATION, type DesiredObject, type ResourceResult } from './apply-manifests.ts';
import { matchesDesired } from './compare-live.ts';
import type { GitSource } from './git-source.ts';
import { imagesOf } from './pod-templates.ts';
import { renderSource } from './render-source.ts';
import type { SourceType } from './render-result.ts';
import { resourceHealth, worstHealth, type HealthStatusCode } from './resource-health.ts';

export interface ArgoCdOptions {
  /** Where repositories are read (the simulated GitHub's `git`). */
  git: GitSource;
  /** How often every Application is compared with git; default 1000 ms (Argo CD polls every 3 minutes or takes a webhook). */
  pollIntervalMs?: number;
  /** How long self-heal waits after the last sync before re-applying drift; default 0 (Argo CD waits 5 s). */
  selfHealDelayMs?: number;
  /** The namespace Argo CD runs in: Applications there are tracked by bare name (default `argocd`). */
  controllerNamespace?: string;
}

export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

/** Result of comparing an Application with git at one revision. */
interface Comparison {
  revision: string | undefined;
  sourceType?: SourceType;
  desired: DesiredObject[];
  error?: string;
}

/**
 * The simulated Argo CD application controller. Each reconcile reads an Application, checks its source out at
 * `targetRevision`, renders the manifests, compares them with the live objects, and writes `status` as Argo CD
 * does (sync, health, resources, summary, conditions). With `syncPolicy.automated` it syncs when the app is
 * OutOfSync at a revision it has not tried yet (once per revision, as Argo CD's auto-sync), and with `selfHeal`
 * again whenever live objects drift. A sync applies through the store, so the sim's Deployment controller rolls
 * the change out and health follows it. An `operation` set on the Application (what `argocd app sync` does) runs
 * once and is cleared; the `argocd.argoproj.io/refresh` annotation forces a comparison and is removed.
 */
export class ApplicationController {
  readonly #store: ObjectStore;
  readonly #apps: ResourceType;
  readonly #git: GitSource;
  readonly #selfHealDelayMs: number;
  readonly #controllerNamespace: string;
  readonly #inFlight = new Set<string>();
  readonly #again = new Set<string>();
  readonly #delayed = new Map<string, NodeJS.Timeout>();
  readonly #timer: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(store: ObjectStore, applications: ResourceType, options: ArgoCdOptions) {
    this.#store = store;
    this.#apps = applications;
    this.#git = options.git;
    this.#selfHealDelayMs = options.selfHealDelayMs ?? 0;
    this.#controllerNamespace = options.controllerNamespace ?? 'argocd';
    this.#unsubscribe = store.subscribe((event) => this.#onEvent(event));
    this.#timer = setInterval(() => this.#enqueueAll(), options.pollIntervalMs ?? 1000);
    this.#timer.unref();
    this.#enqueueAll();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const timer of this.#delayed.values()) clearTimeout(timer);
    this.#delayed.clear();
    this.#unsubscribe();
  }

  #enqueueAll(): void {
    for (const app of this.#store.list(this.#apps)) this.#enqueue(keyOf(app));
  }

  #onEvent(event: StoreEvent): void {
    if (event.storageKey === storageKey(this.#apps)) {
      if (event.type === 'DELETED') return;
      const before = event.previous;
      // Our own status writes come back as events too; only a change someone else made needs a look now.
      const changedByOthers = !before || !jsonEqual(before.spec, event.object.spec) || !jsonEqual(before.operation, event.object.operation) || !jsonEqual(before.metadata.annotations, event.object.metadata.annotations);
      if (changedByOthers) this.#enqueue(keyOf(event.object));
      return;
    }
    // A managed object changed (a rollout progressing, a drifting edit): look at its Application shortly.
    const tracking = event.object.metadata.annotations?.[TRACKING_ANNOTATION];
    const instance = tracking?.split(':')[0];
    if (!instance) return;
    const [ns, name] = instance.includes('_') ? instance.split('_', 2) : [this.#controllerNamespace, instance];
    this.#enqueueAfter(`${ns ?? ''}/${name ?? ''}`, 50);
  }

  #enqueue(key: string): void {
    if (this.#closed) return;
    if (this.#inFlight.has(key)) {
      this.#again.add(key);
      return;
    }
    void this.#reconcile(key);
  }

  #enqueueAfter(key: string, delayMs: number): void {
    if (this.#closed || this.#delayed.has(key)) return;
    const timer = setTimeout(() => {
      this.#delayed.delete(key);
      this.#enqueue(key);
    }, delayMs);
    timer.unref();
    this.#delayed.set(key, timer);
  }

  async #reconcile(key: string): Promise<void> {
    if (this.#inFlight.has(key)) {
      this.#again.add(key);
      return;
    }
    this.#inFlight.add(key);
    try {
      await this.#reconcileOnce(key);
    } catch (err) {
      // A write that lost a race (409) is retried at once; anything else at the next poll, so a fault logs once a poll.
      if (err instanceof KubeApiError && err.status.code === 409) this.#again.add(key);
      else console.error(`[sim/argo-cd] reconcile of ${key} failed:`, err);
    } finally {
      this.#inFlight.delete(key);
      if (this.#again.delete(key)) this.#enqueueAfter(key, 20);
    }
  }

  async #reconcileOnce(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const app = this.#store.get(this.#apps, namespace, name);
    if (!app || this.#closed) return;
    const specResult = applicationSpecOf(app);
    if (!specResult.ok) {
      this.#writeStatus(app, this.#invalidSpecStatus(app, specResult.message), {});
      return;
    }
    const spec = specResult.spec;
    const previous = previousStatusOf(app);
    const operation = requestedOperation(app);
    const revision = operation?.revision ?? spec.source.targetRevision ?? 'HEAD';
    const comparison = await this.#compare(app, spec, revision);
    if (this.#closed) return;
    // The Application may have changed while git was read; work on the newest copy.
    const latest = this.#store.get(this.#apps, namespace, name);
    if (!latest || !jsonEqual(latest.spec, app.spec)) {
      this.#again.add(key);
      return;
    }

    let operationState = previous.operationState;
    let history = previous.history;
    const sync = this.#decideSync(spec, comparison, previous, operation !== undefined);
    if (sync.kind === 'later') this.#enqueueAfter(key, sync.afterMs);
    if (sync.kind === 'sync') {
      const initiatedBy = operation?.initiatedBy ?? { automated: true };
      const startedAt = formatTimestamp(this.#store.now());
      const running: OperationState = { operation: { sync: { revision: comparison.revision ?? revision }, initiatedBy, retry: {} }, phase: 'Running', message: 'one or more tasks are running', startedAt };
      const before = this.#statusFor(latest, spec, comparison, previous, running, history);
      const written = this.#writeStatus(latest, before, { clearOperation: false });
      const outcome = this.#runSync(written, spec, comparison, previous, running, operation?.prune ?? spec.syncPolicy?.automated?.prune ?? false);
      operationState = outcome.state;
      if (outcome.state.phase === 'Succeeded' && comparison.revision) {
        history = appendHistory(history, { revision: comparison.revision, deployedAt: outcome.state.finishedAt ?? startedAt, deployStartedAt: startedAt, source: spec.source, initiatedBy }, spec.revisionHistoryLimit ?? 10);
      }
      const current = this.#store.get(this.#apps, namespace, name) ?? written;
      const after = this.#statusFor(current, spec, comparison, previousStatusOf(current), operationState, history);
      this.#writeStatus(current, after, { clearOperation: true, clearRefresh: true });
      return;
    }
    const status = this.#statusFor(latest, spec, comparison, previous, operationState, history);
    this.#writeStatus(latest, status, { clearOperation: operation !== undefined, clearRefresh: true });
  }

  /** Checks out and renders; desired objects get their namespace and type settled. */
  async #compare(app: KubeObject, spec: ApplicationSpec, revision: string): Promise<Comparison> {
    const checkout = await this.#git.checkout(spec.source.repoURL, revision);
    if (!checkout.ok) return { revision: undefined, desired: [], error: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ${checkout.message}` };
    const rendered = renderSource(checkout.files, spec, app.metadata.name ?? '');
    if (!rendered.ok) return { revision: checkout.sha, desired: [], error: rendered.message };
    const destination = spec.destination.namespace ?? app.metadata.namespace ?? 'default';
    const desired = rendered.manifests.map((object): DesiredObject => {
      const type = this.#store.registry.lookupKind(object.apiVersion ?? '', object.kind ?? '');
      const copy = cloneJson(object);
      if (type?.namespaced === false) delete copy.metadata.namespace;
      else copy.metadata.namespace ??= destination;
      return { type, object: copy };
    });
    return { revision: checkout.sha, sourceType: rendered.sourceType, desired };
  }

  #decideSync(spec: ApplicationSpec, comparison: Comparison, previous: PreviousStatus, requested: boolean): { kind: 'sync' } | { kind: 'skip' } | { kind: 'later'; afterMs: number } {
    if (requested) return { kind: 'sync' };
    // A sync runs within one reconcile, so a stored `Running` state is one whose final write was lost: not a reason to wait.
    if (!isAutomated(spec)) return { kind: 'skip' };
    const last = previous.operationState;
    const attempted = last?.syncResult?.revision !== undefined && last.syncResult.revision === comparison.revision;
    if (comparison.error !== undefined) {
      // Argo CD skips auto-sync while the comparison fails; the sim records one failed sync per revision instead,
      // so a bad commit shows as a failed operation at that revision too (see the README).
      return comparison.revision !== undefined && !attempted ? { kind: 'sync' } : { kind: 'skip' };
    }
    if (this.#syncStatus(comparison).status !== 'OutOfSync') return { kind: 'skip' };
    if (!attempted) return { kind: 'sync' };
    if (spec.syncPolicy?.automated?.selfHeal !== true || last?.phase !== 'Succeeded') return { kind: 'skip' };
    const since = this.#store.now() - Date.parse(last.finishedAt ?? last.startedAt);
    return since >= this.#selfHealDelayMs ? { kind: 'sync' } : { kind: 'later', afterMs: this.#selfHealDelayMs - since };
  }

  #runSync(app: KubeObject, spec: ApplicationSpec, comparison: Comparison, previous: PreviousStatus, running: OperationState, prune: boolean): { state: OperationState } {
    const finish = (phase: OperationState['phase'], message: string, resources: ResourceResult[]): { state: OperationState } => ({
      state: {
        ...running, phase, message, finishedAt: formatTimestamp(this.#store.now()),
        syncResult: { resources, revision: comparison.revision ?? running.operation.sync.revision, source: spec.source },
      },
    });
    if (comparison.error !== undefined) return finish('Error', `ComparisonError: ${comparison.error}`, []);
    const namespaceResult = this.#ensureNamespace(spec, app);
    const trackingId = (obj: KubeObject) => `${this.#instanceName(app)}:${groupOf(obj)}/${obj.kind ?? ''}:${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
    const results = [...namespaceResult, ...applyManifests(this.#store, comparison.desired, trackingId)];
    if (prune) results.push(...pruneObjects(this.#store, this.#staleObjects(comparison, previous.resources, app)));
    const failed = results.find((r) => r.status === 'SyncFailed');
    return failed ? finish('Failed', `one or more objects failed to apply, reason: ${failed.message}`, results) : finish('Succeeded', 'successfully synced (all tasks run)', results);
  }

  /** `CreateNamespace=true`: the destination namespace is created when missing, as Argo CD does before applying. */
  #ensureNamespace(spec: ApplicationSpec, app: KubeObject): ResourceResult[] {
    const ns = spec.destination.namespace;
    const namespaces = this.#store.registry.lookup('v1', 'namespaces');
    if (!ns || !namespaces || !hasSyncOption(spec, 'CreateNamespace=true') || this.#store.get(namespaces, undefined, ns)) return [];
    this.#store.create(namespaces, { metadata: { name: ns, annotations: { [TRACKING_ANNOTATION]: `${this.#instanceName(app)}:/Namespace:/${ns}` } } });
    return [{ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns, status: 'Synced', message: `namespace/${ns} created`, hookPhase: 'Running', syncPhase: 'Sync' }];
  }

  /** Objects this Application tracked before that git no longer has, still live and still ours. */
  #staleObjects(comparison: Comparison, resources: ResourceStatus[], app: KubeObject): Array<{ type: ResourceType; object: KubeObject }> {
    const wanted = new Set(comparison.desired.map(({ object }) => resourceKey(groupOf(object), object.kind ?? '', object.metadata.namespace ?? '', object.metadata.name ?? '')));
    return resources.flatMap((r) => {
      if (wanted.has(resourceKey(r.group, r.kind, r.namespace, r.name))) return [];
      const type = this.#store.registry.lookupKind(r.group === '' ? r.version : `${r.group}/${r.version}`, r.kind);
      const live = type ? this.#store.get(type, r.namespace || undefined, r.name) : undefined;
      const owner = live?.metadata.annotations?.[TRACKING_ANNOTATION]?.split(':')[0];
      return type && live && owner === this.#instanceName(app) ? [{ type, object: live }] : [];
    });
  }

  #syncStatus(comparison: Comparison): { status: SyncStatusCode; resources: ResourceStatus[]; live: KubeObject[] } {
    if (comparison.error !== undefined) return { status: 'Unknown', resources: [], live: [] };
    const live: KubeObject[] = [];
    const resources = comparison.desired.map(({ type, object }): ResourceStatus => {
      const current = type ? this.#store.get(type, object.metadata.namespace, object.metadata.name ?? '') : undefined;
      if (current) live.push(current);
      const health = current ? resourceHealth(current) : { status: 'Missing' as const };
      const [group = '', version = ''] = (object.apiVersion ?? '').includes('/') ? (object.apiVersion ?? '').split('/') : ['', object.apiVersion ?? ''];
      return {
        group, version, kind: object.kind ?? '', namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '',
        status: current && matchesDesired(object, current) ? 'Synced' : 'OutOfSync',
        ...(health && { health }),
      };
    });
    return { status: resources.every((r) => r.status === 'Synced') ? 'Synced' : 'OutOfSync', resources, live };
  }

  #statusFor(app: KubeObject, spec: ApplicationSpec, comparison: Comparison, previous: PreviousStatus, operationState: OperationState | undefined, history: HistoryEntry[]): ApplicationStatus {
    const now = formatTimestamp(this.#store.now());
    const compared = this.#syncStatus(comparison);
    const stale = comparison.error === undefined ? this.#staleObjects(comparison, previous.resources, app) : [];
    const resources = [...compared.resources, ...stale.map(({ object }): ResourceStatus => {
      const [group = '', version = ''] = (object.apiVersion ?? '').includes('/') ? (object.apiVersion ?? '').split('/') : ['', object.apiVersion ?? ''];
      return { group, version, kind: object.kind ?? '', namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '', status: 'OutOfSync', requiresPruning: true };
    })];
    const syncCode: SyncStatusCode = compared.status === 'Synced' && stale.length > 0 ? 'OutOfSync' : compared.status;
    const healthCodes = resources.flatMap((r) => (r.health ? [r.health.status] : []));
    // Argo CD keeps the last known health while the comparison fails.
    const previousHealth = typeof previous.health?.status === 'string' ? previous.health.status : undefined;
    const healthCode: HealthStatusCode = comparison.error !== undefined ? toHealthCode(previousHealth) : worstHealth(healthCodes);
    const conditions = this.#conditions(comparison, previous.conditions, now);
    return {
      sync: { status: syncCode, ...(comparison.revision !== undefined && { revision: comparison.revision }), comparedTo: { source: spec.source, destination: spec.destination } },
      health: { status: healthCode, lastTransitionTime: previousHealth === healthCode && typeof previous.health?.lastTransitionTime === 'string' ? previous.health.lastTransitionTime : now },
      resources,
      summary: compared.live.length > 0 ? { images: imagesOf(compared.live) } : {},
      ...(comparison.sourceType !== undefined && { sourceType: comparison.sourceType }),
      ...(conditions.length > 0 && { conditions }),
      ...(operationState !== undefined && { operationState }),
      ...(history.length > 0 && { history }),
      reconciledAt: now,
      controllerNamespace: this.#controllerNamespace,
    };
  }

  #conditions(comparison: Comparison, previous: AppCondition[], now: string): AppCondition[] {
    if (comparison.error === undefined) return [];
    const same = previous.find((c) => c.type === 'ComparisonError' && c.message === comparison.error);
    return [{ type: 'ComparisonError', message: comparison.error, lastTransitionTime: same?.lastTransitionTime ?? now }];
  }

  #invalidSpecStatus(app: KubeObject, message: string): ApplicationStatus {
    const now = formatTimestamp(this.#store.now());
    return {
      sync: { status: 'Unknown', comparedTo: { source: isPlainObject(app.spec) ? app.spec.source : undefined, destination: isPlainObject(app.spec) ? app.spec.destination : undefined } },
      health: { status: 'Unknown', lastTransitionTime: now },
      resources: [], summary: {}, conditions: [{ type: 'InvalidSpecError', message, lastTransitionTime: now }],
      reconciledAt: now, controllerNamespace: this.#controllerNamespace,
    };
  }

  /**
   * Writes the status when anything but `reconciledAt` changed (or a refresh or operation is being answered), so
   * watchers see one event per real change, not one per poll. Answers the Application as stored.
   */
  #writeStatus(app: KubeObject, status: ApplicationStatus, o: { clearOperation?: boolean; clearRefresh?: boolean }): KubeObject {
    const next = cloneJson(app);
    const annotations = { ...next.metadata.annotations };
    const refresh = o.clearRefresh === true && REFRESH_ANNOTATION in annotations;
    if (refresh) {
      delete annotations[REFRESH_ANNOTATION];
      next.metadata.annotations = annotations;
    }
    if (o.clearOperation === true) delete next.operation;
    if (!refresh && o.clearOperation !== true && jsonEqual(comparableStatus(app.status), comparableStatus(JSON.parse(JSON.stringify(status))))) return app;
    next.status = JSON.parse(JSON.stringify(status));
    return this.#store.update(this.#apps, next);
  }

  /** How tracking ids name this Application: bare in the controller's namespace, `<ns>_<name>` elsewhere. */
  #instanceName(app: KubeObject): string {
    const ns = app.metadata.namespace ?? '';
    return ns === this.#controllerNamespace ? app.metadata.name ?? '' : `${ns}_${app.metadata.name ?? ''}`;
  }
}

/** `operation.sync` set on the Application (by `argocd app sync` or a client): sync once, then it is cleared. */
function requestedOperation(app: KubeObject): { revision?: string; prune?: boolean; initiatedBy: { automated?: boolean; username?: string } } | undefined {
  const operation = isPlainObject(app.operation) ? app.operation : undefined;
  const sync = operation && isPlainObject(operation.sync) ? operation.sync : undefined;
  if (!operation || !sync) return undefined;
  const by = isPlainObject(operation.initiatedBy) ? operation.initiatedBy : {};
  return {
    ...(typeof sync.revision === 'string' && sync.revision !== '' && { revision: sync.revision }),
    ...(typeof sync.prune === 'boolean' && { prune: sync.prune }),
    initiatedBy: { ...(typeof by.username === 'string' && { username: by.username }), ...(by.automated === true && { automated: true }) },
  };
}

function appendHistory(history: HistoryEntry[], entry: Omit<HistoryEntry, 'id'>, limit: number): HistoryEntry[] {
  const id = history.reduce((n, h) => Math.max(n, h.id), -1) + 1;
  return [...history, { id, ...entry }].slice(-Math.max(1, limit));
}

function toHealthCode(value: string | undefined): HealthStatusCode {
  const codes: HealthStatusCode[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];
  return codes.find((c) => c === value) ?? 'Unknown';
}

function groupOf(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.split('/')[0] ?? '' : '';
}

function resourceKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
