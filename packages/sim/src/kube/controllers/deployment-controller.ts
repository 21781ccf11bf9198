import { KubeApiError } from '../api-error.ts';
import type { Deployment, KubeObject, ReplicaSet } from '../kube-types.ts';
import { formatTimestamp } from '../kube-types.ts';
import type { ObjectStore, StoreEvent } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { storageKey } from '../resource-registry.ts';
import {
  byCreation,
  computeHash,
  equalIgnoreHash,
  getCondition,
  maxRevision,
  maxSurge,
  newCondition,
  newRSNewReplicas,
  planOldReplicaSetScaleDown,
  POD_TEMPLATE_HASH_LABEL,
  Reasons,
  REVISION_ANNOTATION,
  revisionOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  DESIRED_REPLICAS_ANNOTATION,
} from './deployment-util.ts';
import { calculateStatus, compactStatus, rolloutStatus, statusChanged } from './deployment-status.ts';
import type { EventRecorder } from './event-recorder.ts';
import { claimObjects } from './claim-objects.ts';
import { planScale } from './proportional-scale.ts';
import { WorkQueue } from './work-queue.ts';
import { cloneJson } from '../clone-json.ts';

const COMPONENT = 'deployment-controller';

/**
 * The deployment controller (pkg/controller/deployment): one ReplicaSet per pod template, revisions, rolling
 * and recreate rollouts, scaling, pause, progress deadlines, history cleanup. Each sync reads the store, makes
 * at most a few writes and returns; the next store event or timer continues the rollout, as in the real thing.
 */
export class DeploymentController {
  readonly #store: ObjectStore;
  readonly #deployments: ResourceType;
  readonly #replicaSets: ResourceType;
  readonly #pods: ResourceType;
  readonly #events: EventRecorder;
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(store: ObjectStore, types: { deployments: ResourceType; replicaSets: ResourceType; pods: ResourceType }, events: EventRecorder) {
    this.#store = store;
    this.#deployments = types.deployments;
    this.#replicaSets = types.replicaSets;
    this.#pods = types.pods;
    this.#events = events;
    this.#queue = new WorkQueue((key) => this.#sync(key));
    this.#unsubscribe = store.subscribe((event) => this.#onEvent(event));
    for (const d of store.list(this.#deployments)) this.#queue.add(keyOf(d));
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #onEvent(event: StoreEvent): void {
    if (event.storageKey === storageKey(this.#deployments)) {
      if (event.type !== 'DELETED') this.#queue.add(keyOf(event.object));
    } else if (event.storageKey === storageKey(this.#replicaSets)) {
      const owner = event.object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
      if (owner) this.#queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    } else if (event.storageKey === storageKey(this.#pods) && event.type === 'DELETED') {
      // A pod gone for good may be what a Recreate rollout is waiting for.
      const rsRef = event.object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ReplicaSet');
      const rs = rsRef ? this.#store.get(this.#replicaSets, event.object.metadata.namespace, rsRef.name) : undefined;
      const owner = rs?.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
      if (owner) this.#queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  #sync(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    const found = this.#store.get(this.#deployments, namespace, name);
    if (!found) return;
    let d = found as Deployment;
    const ownerRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
    const rsList = claimObjects(this.#store, this.#replicaSets, d, ownerRef) as ReplicaSet[];
    d = this.#checkPausedConditions(d);
    if (d.spec.paused) return this.#syncScaleAndStatus(d, rsList, true);
    if (this.#isScalingEvent(d, rsList)) return this.#syncScaleAndStatus(d, rsList, false);
    if (d.spec.strategy?.type === 'Recreate') this.#rolloutRecreate(d, rsList);
    else this.#rolloutRolling(d, rsList);
  }

  /** isScalingEvent: an active RS was stamped for a different replica count than the deployment now wants. */
  #isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    return rsList.some((rs) => {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
      return specReplicas(rs) > 0 && desired !== undefined && Number(desired) !== (d.spec.replicas ?? 1);
    });
  }

  #ownedReplicaSets(d: Deployment): ReplicaSet[] {
    return this.#store.listOwned(this.#replicaSets, d.metadata.namespace, d.metadata.uid ?? '', { shared: true, where: (rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid) ?? false }) as ReplicaSet[];
  }

  /** getAllReplicaSetsAndSyncRevision: finds (or creates) the new RS and keeps revision annotations in step. */
  #newAndOld(d: Deployment, rsList: ReplicaSet[], createIfMissing: boolean): { d: Deployment; newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
    const sorted = [...rsList].sort(byCreation);
    const existing = sorted.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
    const oldRSs = sorted.filter((rs) => rs !== existing);
    const newRevision = maxRevision(oldRSs) + 1;
    const now = formatTimestamp(this.#store.now());

    if (existing) {
      const rsCopy = cloneJson(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadyChanged = (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      let newRS = existing;
      if (annotationsChanged || minReadyChanged) {
        if (d.spec.minReadySeconds !== undefined) rsCopy.spec.minReadySeconds = d.spec.minReadySeconds;
        newRS = this.#store.update(this.#replicaSets, rsCopy) as ReplicaSet;
      }
      const updated = cloneJson(d);
      let changed = setRevision(updated, newRS.metadata.annotations?.[REVISION_ANNOTATION] ?? String(newRevision));
      if (updated.spec.progressDeadlineSeconds !== undefined && !getCondition(updated.status?.conditions, 'Progressing')) {
        updated.status = { ...updated.status, conditions: setCondition(updated.status?.conditions ?? [], newCondition('Progressing', 'True', Reasons.FoundNewReplicaSet, `Found new replica set "${newRS.metadata.name ?? ''}"`, now)) };
        changed = true;
      }
      return { d: changed ? this.#writeDeployment(updated) : d, newRS, oldRSs };
    }
    if (!createIfMissing) return { d, oldRSs };

    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    const template = cloneJson(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const draft: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name ?? ''}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas: 0,
        ...(d.spec.minReadySeconds !== undefined ? { minReadySeconds: d.spec.minReadySeconds } : {}),
        selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
        template,
      },
    };
    draft.spec.replicas = newRSNewReplicas(d, sorted, draft);
    setNewReplicaSetAnnotations(d, draft, newRevision, false);
    let created: ReplicaSet;
    try {
      created = this.#store.create(this.#replicaSets, draft) as ReplicaSet;
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status.reason === 'AlreadyExists')) throw err;
      // A ReplicaSet we do not own has this name (an orphan, or a hash collision): like the real controller,
      // bump collisionCount so the next sync hashes to a fresh name.
      const bumped = cloneJson(d);
      bumped.status = { ...bumped.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
      this.#writeDeployment(bumped);
      return { d: bumped, oldRSs };
    }
    if (specReplicas(created) > 0) this.#events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name ?? ''} from 0 to ${specReplicas(created)}`, COMPONENT);
    const updated = cloneJson(d);
    setRevision(updated, String(newRevision));
    if (updated.spec.progressDeadlineSeconds !== undefined) {
      updated.status = { ...updated.status, conditions: setCondition(updated.status?.conditions ?? [], newCondition('Progressing', 'True', Reasons.NewReplicaSetCreated, `Created new replica set "${created.metadata.name ?? ''}"`, now)) };
    }
    return { d: this.#writeDeployment(updated), newRS: created, oldRSs };
  }

  #rolloutRolling(initial: Deployment, rsList: ReplicaSet[]): void {
    const { d, newRS, oldRSs } = this.#newAndOld(initial, rsList, true);
    if (!newRS) return;
    const allRSs = [...oldRSs, newRS];
    // reconcileNewReplicaSet: grow the new RS within maxSurge (or shrink it if the deployment shrank).
    const desired = d.spec.replicas ?? 1;
    const target = specReplicas(newRS) > desired ? desired : newRSNewReplicas(d, allRSs, newRS);
    if (target !== specReplicas(newRS)) {
      this.#scaleReplicaSet(d, newRS, target);
      return this.#syncRolloutStatus(d);
    }
    // reconcileOldReplicaSets: shrink old RSs, unhealthy pods first, never below minAvailable.
    const plan = planOldReplicaSetScaleDown(d, oldRSs, newRS);
    for (const rs of oldRSs) {
      const next = plan.get(rs.metadata.name ?? '');
      if (next !== undefined && next !== specReplicas(rs)) this.#scaleReplicaSet(d, rs, next);
    }
    const scaledDown = plan.size > 0;
    if (scaledDown) return this.#syncRolloutStatus(d);
    const { status } = rolloutStatus(d, this.#ownedReplicaSets(d), newRS, this.#store.now());
    if (status.conditions?.some((c) => c.type === 'Progressing' && c.reason === Reasons.NewReplicaSetAvailable) || isComplete(d, status)) this.#cleanup(d, oldRSs);
    this.#syncRolloutStatus(d);
  }

  #rolloutRecreate(initial: Deployment, rsList: ReplicaSet[]): void {
    let { d, newRS, oldRSs } = this.#newAndOld(initial, rsList, false);
    const activeOld = oldRSs.filter((rs) => specReplicas(rs) > 0);
    if (activeOld.length > 0) {
      for (const rs of activeOld) this.#scaleReplicaSet(d, rs, 0);
      return this.#syncRolloutStatus(d);
    }
    // Recreate waits for every old pod to be gone — Terminating ones included — before the new ones start.
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    const oldPodsRemain = this.#store.list(this.#pods, d.metadata.namespace, (pod) => pod.metadata.ownerReferences?.some((r) => r.controller && oldUids.has(r.uid)) ?? false).length > 0;
    if (oldPodsRemain || oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return this.#syncRolloutStatus(d);
    if (!newRS) ({ d, newRS, oldRSs } = this.#newAndOld(d, this.#ownedReplicaSets(d), true));
    if (!newRS) return;
    const desired = d.spec.replicas ?? 1;
    if (specReplicas(newRS) !== desired) {
      this.#scaleReplicaSet(d, newRS, desired);
      return this.#syncRolloutStatus(d);
    }
    const { status } = rolloutStatus(d, this.#ownedReplicaSets(d), newRS, this.#store.now());
    if (isComplete(d, status)) this.#cleanup(d, oldRSs);
    this.#syncRolloutStatus(d);
  }

  /** The `sync` path: scaling events and paused deployments — resize without rolling out a new template. */
  #syncScaleAndStatus(initial: Deployment, rsList: ReplicaSet[], paused: boolean): void {
    const { d, newRS, oldRSs } = this.#newAndOld(initial, rsList, false);
    const plan = planScale(d, newRS, oldRSs);
    for (const rs of [...oldRSs, ...(newRS ? [newRS] : [])]) {
      const next = plan.get(rs.metadata.name ?? '');
      const stale = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] !== String(d.spec.replicas ?? 1) && specReplicas(rs) > 0;
      // Scaling also restamps the desired/max annotations, which is what ends the scaling event.
      if (next !== undefined || stale) this.#scaleReplicaSet(d, rs, next ?? specReplicas(rs));
    }
    if (paused) this.#cleanup(d, oldRSs);
    const status = calculateStatus(d, this.#ownedReplicaSets(d), newRS, this.#store.now());
    if (statusChanged(d, status)) this.#writeStatus(d, status);
  }

  /** scaleReplicaSetAndRecordEvent: resize, stamp desired/max annotations, record ScalingReplicaSet. */
  #scaleReplicaSet(d: Deployment, rs: ReplicaSet, replicas: number): void {
    const current = (this.#store.get(this.#replicaSets, rs.metadata.namespace, rs.metadata.name ?? '') as ReplicaSet | undefined) ?? rs;
    const copy = cloneJson(current);
    const from = specReplicas(copy);
    copy.spec.replicas = replicas;
    setReplicasAnnotations(copy, d.spec.replicas ?? 1, (d.spec.replicas ?? 1) + maxSurge(d));
    this.#store.update(this.#replicaSets, copy);
    if (from !== replicas) {
      const direction = replicas > from ? 'up' : 'down';
      this.#events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${copy.metadata.name ?? ''} from ${from} to ${replicas}`, COMPONENT);
    }
  }

  #syncRolloutStatus(d: Deployment): void {
    const current = (this.#store.get(this.#deployments, d.metadata.namespace, d.metadata.name ?? '') as Deployment | undefined) ?? d;
    const rsList = this.#ownedReplicaSets(current);
    const newRS = rsList.filter((rs) => equalIgnoreHash(rs.spec.template, current.spec.template)).sort(byCreation)[0];
    const { status, recheckInMs } = rolloutStatus(current, rsList, newRS, this.#store.now());
    if (statusChanged(current, status)) this.#writeStatus(current, status);
    if (recheckInMs !== undefined) this.#queue.addAfter(keyOf(current), recheckInMs);
  }

  /** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed, unless already timed out. */
  #checkPausedConditions(d: Deployment): Deployment {
    if (d.spec.progressDeadlineSeconds === undefined) return d;
    const condition = getCondition(d.status?.conditions, 'Progressing');
    if (condition?.reason === Reasons.ProgressDeadlineExceeded) return d;
    const pausedShown = condition?.reason === Reasons.DeploymentPaused;
    const now = formatTimestamp(this.#store.now());
    let next: ReturnType<typeof newCondition> | undefined;
    if (d.spec.paused && !pausedShown) next = newCondition('Progressing', 'Unknown', Reasons.DeploymentPaused, 'Deployment is paused', now);
    else if (!d.spec.paused && pausedShown) next = newCondition('Progressing', 'Unknown', Reasons.DeploymentResumed, 'Deployment is resumed', now);
    if (!next) return d;
    return this.#writeStatus(d, { ...d.status, conditions: setCondition(d.status?.conditions ?? [], next) });
  }

  /** cleanupDeployment: delete the oldest scaled-down RSs beyond revisionHistoryLimit. */
  #cleanup(d: Deployment, oldRSs: ReplicaSet[]): void {
    const limit = d.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const candidates = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b));
    let excess = candidates.length - limit;
    for (const rs of candidates) {
      if (excess <= 0) break;
      const live = this.#store.get(this.#replicaSets, rs.metadata.namespace, rs.metadata.name ?? '') as ReplicaSet | undefined;
      if (!live || (live.status?.replicas ?? 0) !== 0 || specReplicas(live) !== 0 || (live.metadata.generation ?? 0) > (live.status?.observedGeneration ?? 0)) continue;
      this.#store.delete(this.#replicaSets, live.metadata.namespace, live.metadata.name ?? '');
      excess -= 1;
    }
  }

  #writeDeployment(d: Deployment): Deployment {
    return this.#store.update(this.#deployments, d, { subresource: 'all' }) as Deployment;
  }

  #writeStatus(d: Deployment, status: NonNullable<Deployment['status']>): Deployment {
    const current = (this.#store.get(this.#deployments, d.metadata.namespace, d.metadata.name ?? '') as Deployment | undefined) ?? d;
    return this.#store.update(this.#deployments, { ...current, status: compactStatus(status) } as KubeObject, { subresource: 'all' }) as Deployment;
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

function setRevision(d: Deployment, revision: string): boolean {
  const annotations = (d.metadata.annotations ??= {});
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}

function isComplete(d: Deployment, status: NonNullable<Deployment['status']>): boolean {
  const replicas = d.spec.replicas ?? 1;
  return (status.updatedReplicas ?? 0) === replicas && (status.replicas ?? 0) === replicas && (status.availableReplicas ?? 0) === replicas;
}
