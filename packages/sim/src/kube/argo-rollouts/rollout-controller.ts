import { jsonEqual } from '../json-equal.ts';
import { KubeApiError } from '../api-error.ts';
import { cloneJson } from '../clone-json.ts';
import type { EventRecorder } from '../controllers/event-recorder.ts';
import { WorkQueue } from '../controllers/work-queue.ts';
import type { KubeObject, ReplicaSet } from '../kube-types.ts';
import { formatTimestamp, isPlainObject } from '../kube-types.ts';
import { formatLabelSelector, labelSelectorMatcher } from '../label-selector.ts';
import type { ObjectStore, StoreEvent } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { storageKey } from '../resource-registry.ts';
import { advanceCanarySteps } from './advance-canary-steps.ts';
import type { BlueGreenStrategy } from './blue-green.ts';
import { advanceBlueGreen, parseBlueGreen } from './blue-green.ts';
import type { CanaryStep } from './canary-steps.ts';
import { toCanaryStep, weightAtStep, desiredReplicaCounts } from './canary-steps.ts';
import { reconcileIstio } from './istio-traffic.ts';
import { calculateRolloutPhase } from './rollout-phase.ts';
import { progressDeadlineAt, rolloutConditions, withHealthy } from './rollout-conditions.ts';
import { cleanUpHistory, createRolloutReplicaSet, ownedReplicaSets, podHashOf, rolloutPodHash, rolloutRevisionOf, scaleReplicaSet, setReplicaSetRevision } from './rollout-replica-sets.ts';
import type { Rollout, RolloutStatus } from './rollout-types.ts';
import { ROLLOUT_REVISION_ANNOTATION } from './rollout-types.ts';
import { ensureStepRun, terminateStepRunsOtherThan } from './step-analysis-runs.ts';
import { pointService } from './point-service.ts';

const COMPONENT = 'rollouts-controller';
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export interface RolloutControllerTypes {
  rollouts: ResourceType;
  replicaSets: ResourceType;
  services: ResourceType;
  analysisRuns: ResourceType;
  analysisTemplates: ResourceType;
  clusterAnalysisTemplates: ResourceType;
  virtualServices: ResourceType;
  destinationRules: ResourceType;
}

/** Narrows a stored Rollout: the API server validated it against the CRD schema before storing it. */
export function asRollout(obj: KubeObject): Rollout {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const status = isPlainObject(obj.status) ? obj.status : undefined;
  return { ...obj, spec: { selector: {}, template: {}, strategy: {}, ...spec }, ...(status ? { status: { ...status } } : {}) };
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16);
}

function describeStep(step: CanaryStep): string {
  switch (step.kind) {
    case 'setWeight':
      return `setWeight: ${step.weight}`;
    case 'pause':
      return step.durationMs === undefined ? 'pause' : `pause: ${step.durationMs / 1000}s`;
    case 'analysis':
      return 'analysis';
    case 'unsupported':
      return step.field;
    default: {
      const never: never = step;
      return never;
    }
  }
}

/**
 * The Argo Rollouts controller (rollout/controller.go, canary.go, bluegreen.go, replicaset.go, trafficrouting.go,
 * analysis.go), reconciling each Rollout in one idempotent pass (blue-green branches off after step 1):
 * 1. the ReplicaSet of the current template (`<name>-<hash>`, revision annotation; a template seen before reuses
 *    its ReplicaSet with a new revision — which is how `kubectl argo rollouts undo` works); a new template resets
 *    the steps, the abort and the pauses;
 * 2. the steps (advance-canary-steps.ts), unless spec.paused, aborted or fully promoted; `status.promoteFull`
 *    skips them; the last step done and the canary available makes it the stable (status.stableRS);
 * 3. `status.abort` (the plugin's abort, or a failed step analysis): weight 0, canary scaled to 0, step index 0,
 *    phase Degraded with RolloutAborted; clearing it (retry) starts the steps again;
 * 4. replica counts from the weight, Service selectors (canaryService / stableService), Istio weights and
 *    DestinationRule subsets; then status (phase, message, conditions, counts, progress deadline) as the real
 *    controller writes it.
 * Running it twice changes nothing: every write compares with what is stored first.
 */
export class RolloutController {
  readonly #store: ObjectStore;
  readonly #types: RolloutControllerTypes;
  readonly #events: EventRecorder;
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(store: ObjectStore, types: RolloutControllerTypes, events: EventRecorder) {
    this.#store = store;
    this.#types = types;
    this.#events = events;
    this.#queue = new WorkQueue((key) => this.#sync(key));
    this.#unsubscribe = store.subscribe((event) => this.#onEvent(event));
    for (const ro of store.list(types.rollouts)) this.#queue.add(keyOf(ro));
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #onEvent(event: StoreEvent): void {
    const t = this.#types;
    if (event.storageKey === storageKey(t.rollouts)) {
      if (event.type !== 'DELETED') this.#queue.add(keyOf(event.object));
    } else if (event.storageKey === storageKey(t.replicaSets) || event.storageKey === storageKey(t.analysisRuns)) {
      const owner = event.object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Rollout');
      if (owner) this.#queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    } else if ([t.analysisTemplates, t.clusterAnalysisTemplates, t.virtualServices, t.destinationRules].some((type) => storageKey(type) === event.storageKey) && event.type === 'ADDED') {
      // A Rollout waiting on a template or a route that did not exist yet (InvalidSpec) tries again.
      for (const ro of this.#store.list(t.rollouts, event.object.metadata.namespace)) this.#queue.add(keyOf(ro));
    }
  }

  #sync(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    const found = this.#store.get(this.#types.rollouts, namespace, name);
    if (!found || found.metadata.deletionTimestamp) return;
    const rollout = asRollout(found);
    const status: RolloutStatus = cloneJson(rollout.status ?? {});
    const nowMs = this.#store.now();
    const now = formatTimestamp(nowMs);
    const canary = rollout.spec.strategy.canary;
    const blueGreen = parseBlueGreen(rollout.spec.strategy.blueGreen);
    if (!canary && !blueGreen) {
      this.#writeStatus(found, rollout, { ...status, phase: 'Degraded', message: 'InvalidSpec: The simulated cluster runs the canary strategy, and blue-green with an activeService', observedGeneration: String(rollout.metadata.generation ?? 1) }, undefined);
      return;
    }
    const selector = rollout.spec.selector;
    const hasSelector = Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0;
    if (!hasSelector || !labelSelectorMatcher(selector)(rollout.spec.template.metadata?.labels ?? {})) {
      // Argo's spec validation (InvalidSpec) rather than a ReplicaSet the API server would refuse.
      const problem = hasSelector ? 'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`' : 'spec.selector: Required value: Rollout has missing field \'.spec.selector\'';
      this.#writeStatus(found, rollout, { ...status, phase: 'Degraded', message: `InvalidSpec: The Rollout "${name}" is invalid: ${problem}`, observedGeneration: String(rollout.metadata.generation ?? 1) }, undefined);
      return;
    }
    const steps = (canary?.steps ?? []).map(toCanaryStep);
    const replicas = rollout.spec.replicas ?? 1;
    const trafficRouted = canary?.trafficRouting !== undefined;

    // 1. The ReplicaSet of the current template.
    let owned = ownedReplicaSets(this.#store, this.#types.replicaSets, rollout);
    const hash = rolloutPodHash(rollout);
    const maxRevision = owned.reduce((max, rs) => Math.max(max, rolloutRevisionOf(rs)), 0);
    const templateChanged = status.currentPodHash !== hash;
    let newRS = owned.find((rs) => podHashOf(rs) === hash);
    if (!newRS) {
      try {
        newRS = createRolloutReplicaSet(this.#store, this.#types.replicaSets, rollout, hash, maxRevision + 1);
      } catch (err) {
        if (!(err instanceof KubeApiError) || err.status.reason !== 'AlreadyExists') throw err;
        // A ReplicaSet of that name that is not ours: hash again with a bumped collisionCount, as the real one does.
        this.#writeStatus(found, rollout, { ...status, collisionCount: (status.collisionCount ?? 0) + 1 }, undefined);
        return;
      }
      this.#events.record(found, 'Normal', 'NewReplicaSetCreated', `Created ReplicaSet ${newRS.metadata.name ?? ''} (revision ${maxRevision + 1})`, COMPONENT);
      owned = [...owned, newRS];
    } else if (templateChanged && rolloutRevisionOf(newRS) < maxRevision) {
      const renumbered = setReplicaSetRevision(this.#store, this.#types.replicaSets, newRS, maxRevision + 1);
      owned = owned.map((rs) => (rs.metadata.name === renumbered.metadata.name ? renumbered : rs));
      newRS = renumbered;
    }
    const current: ReplicaSet = newRS;
    const revision = rolloutRevisionOf(current);
    if (templateChanged) {
      if (status.currentPodHash !== undefined) {
        for (const field of ['abort', 'abortedAt', 'pauseConditions', 'controllerPause', 'promoteFull'] as const) delete status[field];
        if (status.canary) delete status.canary.currentStepAnalysisRunStatus;
        this.#events.record(found, 'Normal', 'RolloutUpdated', `Rollout updated to revision ${revision}`, COMPONENT);
      }
      status.currentPodHash = hash;
      status.currentStepIndex = 0;
    }
    let stable = owned.find((rs) => podHashOf(rs) === status.stableRS);
    if (!stable) {
      // The first revision (or a lost stable): there is nothing to canary against, it is stable at once.
      status.stableRS = hash;
      stable = current;
    }
    // A cleared abort (`retry`) is forgotten before anything else, so the failed step analysis is not read again.
    const retried = this.#forgetRetriedAbort(status);
    if (!canary) {
      if (blueGreen) this.#syncBlueGreen({ key, found, rollout, status, blueGreen, owned, current, stable, hash, revision, nowMs, retried });
      return;
    }

    // 2. The steps.
    let invalidSpec: string | undefined;
    let abortMessage: string | undefined;
    const isPromoted = (): boolean => status.stableRS === hash;
    if (!isPromoted() && status.abort !== true && !rollout.spec.paused) {
      if (status.promoteFull) {
        status.currentStepIndex = steps.length;
        delete status.pauseConditions;
        delete status.controllerPause;
      } else {
        const outcome = advanceCanarySteps({
          steps, status, replicas, trafficRouted, newRS: current, stableRS: stable, revision, now: nowMs,
          stepRun: (index, analysis) => ensureStepRun(this.#store, this.#types, rollout, status, index, analysis, hash, revision),
          requeueAfter: (ms) => this.#queue.addAfter(key, ms + 5),
          completed: (index, step) => this.#events.record(found, 'Normal', 'RolloutStepCompleted', `Rollout step ${index + 1}/${steps.length} completed (${describeStep(step)})`, COMPONENT),
        });
        invalidSpec = outcome.invalidSpec;
        if (outcome.abortMessage !== undefined) {
          status.abort = true;
          abortMessage = outcome.abortMessage;
        }
      }
      terminateStepRunsOtherThan(this.#store, this.#types.analysisRuns, rollout, status.currentStepIndex ?? 0, hash);
      const available = current.status?.availableReplicas ?? 0;
      if (status.abort !== true && (status.currentStepIndex ?? 0) >= steps.length && (current.spec.replicas ?? 0) >= replicas && available >= replicas) {
        status.stableRS = hash;
        stable = current;
        delete status.promoteFull;
        this.#events.record(found, 'Normal', 'RolloutCompleted', `Rollout completed update to revision ${revision} (${hash}): Completed all ${steps.length} canary steps`, COMPONENT);
      }
    }
    if (isPromoted()) {
      if (steps.length > 0) status.currentStepIndex = steps.length;
      delete status.promoteFull;
      delete status.pauseConditions;
      delete status.controllerPause;
    }

    // 3. Abort and retry.
    const { aborted, message: abortReason } = this.#abort(found, rollout, status, { hash, revision, abortMessage });
    if (aborted && steps.length > 0) status.currentStepIndex = 0;

    // 4. Replicas, Services, traffic.
    const promoted = isPromoted();
    const stepWeight = aborted || promoted ? 0 : weightAtStep(steps, status.currentStepIndex ?? 0);
    const want = promoted ? { canary: replicas, stable: replicas } : aborted ? { canary: 0, stable: replicas } : desiredReplicaCounts(replicas, stepWeight, trafficRouted);
    for (const rs of owned) {
      const target = rs === current ? want.canary : rs === stable ? want.stable : 0;
      scaleReplicaSet(this.#store, this.#types.replicaSets, rs, target);
    }
    cleanUpHistory(this.#store, this.#types.replicaSets, rollout, owned, new Set([current.metadata.name ?? '', stable.metadata.name ?? '']));
    const stableHash = status.stableRS ?? hash;
    pointService(this.#store, this.#types.services, namespace, canary.canaryService, hash, name);
    pointService(this.#store, this.#types.services, namespace, canary.stableService, stableHash, name);
    if (trafficRouted) {
      // The weight moves up only once the canary can take it (the real controller holds it until the canary
      // ReplicaSet is available); it drops at once (abort, promotion).
      const prior = status.canary?.weights?.canary.weight ?? 0;
      const canaryAvailable = current.status?.availableReplicas ?? 0;
      const weight = stepWeight > prior && canaryAvailable < desiredReplicaCounts(replicas, stepWeight, true).canary ? prior : stepWeight;
      const istio = canary.trafficRouting?.istio;
      if (canary.canaryService !== undefined && canary.canaryService === canary.stableService) {
        invalidSpec ??= 'This rollout uses the same service for the stable and canary services, but two different services are required.';
      } else if (istio) {
        const problem = reconcileIstio(this.#store, { virtualServices: this.#types.virtualServices, destinationRules: this.#types.destinationRules }, istio, {
          namespace, rollout: name, canaryHash: hash, stableHash, canaryWeight: weight,
          ...(canary.canaryService ? { canaryService: canary.canaryService } : {}),
          ...(canary.stableService ? { stableService: canary.stableService } : {}),
        });
        invalidSpec ??= problem;
      }
      status.canary = {
        ...status.canary,
        weights: {
          canary: { weight, podTemplateHash: hash, ...(canary.canaryService ? { serviceName: canary.canaryService } : {}) },
          stable: { weight: 100 - weight, podTemplateHash: stableHash, ...(canary.stableService ? { serviceName: canary.stableService } : {}) },
        },
      };
    } else {
      status.canary = { ...status.canary };
      delete status.canary.weights;
    }

    // 5. Status.
    status.currentStepHash = fnv(JSON.stringify(canary.steps ?? []));
    const onAnalysis = steps[status.currentStepIndex ?? 0]?.kind === 'analysis';
    this.#finishStatus(found, rollout, status, { key, hash, revision, rsName: current.metadata.name ?? '', aborted, abortMessage: abortReason, retried, invalidSpec, now, deadlineApplies: !onAnalysis });
  }

  /**
   * `status.abort` (the plugin's abort, or a failed analysis): stamps abortedAt, stops the step analysis, clears the
   * pauses. Ignored once the update is promoted (there is nothing left to abort).
   */
  #abort(found: KubeObject, rollout: Rollout, status: RolloutStatus, facts: { hash: string; revision: number; abortMessage: string | undefined }): { aborted: boolean; message: string | undefined } {
    if (status.abort !== true || status.stableRS === facts.hash) return { aborted: false, message: undefined };
    let message = facts.abortMessage;
    if (status.abortedAt === undefined) {
      status.abortedAt = formatTimestamp(this.#store.now());
      this.#events.record(found, 'Warning', 'RolloutAborted', message ?? `Rollout aborted update to revision ${facts.revision}`, COMPONENT);
      terminateStepRunsOtherThan(this.#store, this.#types.analysisRuns, rollout, -1, facts.hash);
    }
    message ??= rollout.status?.conditions?.find((c) => c.reason === 'RolloutAborted')?.message;
    delete status.pauseConditions;
    delete status.controllerPause;
    return { aborted: true, message };
  }

  /** `retry` cleared `status.abort`: the update starts over (step 0, a new step analysis). Returns whether it did. */
  #forgetRetriedAbort(status: RolloutStatus): boolean {
    if (status.abort === true || status.abortedAt === undefined) return false;
    delete status.abortedAt;
    if (status.canary) delete status.canary.currentStepAnalysisRunStatus;
    return status.stableRS !== status.currentPodHash;
  }

  /** Replica counts, phase, message and conditions, as the real controller reports them; then the write. */
  #finishStatus(found: KubeObject, rollout: Rollout, status: RolloutStatus, facts: { key: string; hash: string; revision: number; rsName: string; aborted: boolean; abortMessage: string | undefined; retried: boolean; invalidSpec: string | undefined; now: string; deadlineApplies: boolean }): void {
    const replicas = rollout.spec.replicas ?? 1;
    const counted = ownedReplicaSets(this.#store, this.#types.replicaSets, rollout);
    const sum = (pick: (rs: ReplicaSet) => number | undefined): number => counted.reduce((n, rs) => n + (pick(rs) ?? 0), 0);
    const updated = counted.find((rs) => podHashOf(rs) === facts.hash);
    status.replicas = sum((rs) => rs.status?.replicas);
    status.updatedReplicas = updated?.status?.replicas ?? 0;
    status.readyReplicas = sum((rs) => rs.status?.readyReplicas);
    status.availableReplicas = sum((rs) => rs.status?.availableReplicas);
    status.HPAReplicas = status.replicas;
    status.selector = formatLabelSelector(rollout.spec.selector);
    status.observedGeneration = String(rollout.metadata.generation ?? 1);
    if (status.pauseConditions?.length === 0) delete status.pauseConditions;
    const paused = rollout.spec.paused === true || (status.pauseConditions?.length ?? 0) > 0;
    const before = rollout.status;
    const progressed = (['updatedReplicas', 'readyReplicas', 'availableReplicas', 'replicas', 'currentStepIndex', 'currentPodHash'] as const).some((field) => before?.[field] !== status[field]);
    const deadlineSeconds = facts.deadlineApplies ? rollout.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS : undefined;
    const nowMs = this.#store.now();
    status.conditions = rolloutConditions(status.conditions ?? [], {
      progressed, deadlineSeconds, nowMs,
      now: facts.now, rsName: facts.rsName, revision: facts.revision, hash: facts.hash, aborted: facts.aborted, abortMessage: facts.abortMessage, retried: facts.retried, paused,
      wasPaused: (rollout.status?.conditions ?? []).some((c) => c.type === 'Paused' && c.status === 'True'),
      promoted: status.stableRS === facts.hash, available: (status.availableReplicas ?? 0) >= replicas, invalidSpec: facts.invalidSpec,
    });
    const timedOut = status.conditions.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
    // progressDeadlineAbort: a timed-out update aborts (the next pass scales it away) instead of only being Degraded.
    if (timedOut && rollout.spec.progressDeadlineAbort === true && !facts.aborted && status.stableRS !== facts.hash) status.abort = true;
    const deadline = progressDeadlineAt(status.conditions, deadlineSeconds);
    if (deadline !== undefined) this.#queue.addAfter(facts.key, deadline - nowMs + 1000);
    const { phase, message } = calculateRolloutPhase(rollout.spec, status);
    status.phase = phase;
    status.message = message;
    status.conditions = withHealthy(status.conditions, phase, facts.now);
    if (!status.message) delete status.message;
    this.#writeStatus(found, rollout, status, facts.revision);
  }

  /**
   * The blue-green strategy (blue-green.ts decides when to promote): the new ReplicaSet beside the active one,
   * the preview Service on it, the active Service switched at promotion; abort scales it away and points both
   * Services at the stable.
   */
  #syncBlueGreen(ctx: { key: string; found: KubeObject; rollout: Rollout; status: RolloutStatus; blueGreen: BlueGreenStrategy; owned: ReplicaSet[]; current: ReplicaSet; stable: ReplicaSet; hash: string; revision: number; nowMs: number; retried: boolean }): void {
    const { status, rollout, hash, current } = ctx;
    const replicas = rollout.spec.replicas ?? 1;
    const namespace = rollout.metadata.namespace ?? '';
    const name = rollout.metadata.name ?? '';
    let newReplicas = replicas;
    let stable = ctx.stable;
    if (status.stableRS !== hash && status.abort !== true) {
      newReplicas = advanceBlueGreen({
        strategy: ctx.blueGreen, status, replicas, hash, newRS: current, paused: rollout.spec.paused === true, now: ctx.nowMs,
        requeueAfter: (ms) => this.#queue.addAfter(ctx.key, ms + 5),
      });
      if (status.stableRS === hash) {
        stable = current;
        this.#events.record(ctx.found, 'Normal', 'RolloutCompleted', `Rollout completed update to revision ${ctx.revision} (${hash}): Completed blue-green update`, COMPONENT);
      }
    }
    const { aborted, message } = this.#abort(ctx.found, rollout, status, { hash, revision: ctx.revision, abortMessage: undefined });
    const promoted = status.stableRS === hash;
    if (promoted) {
      delete status.promoteFull;
      delete status.pauseConditions;
      delete status.controllerPause;
    }
    for (const rs of ctx.owned) {
      const target = rs === current ? (aborted ? 0 : promoted ? replicas : newReplicas) : rs === stable ? replicas : 0;
      scaleReplicaSet(this.#store, this.#types.replicaSets, rs, target);
    }
    cleanUpHistory(this.#store, this.#types.replicaSets, rollout, ctx.owned, new Set([current.metadata.name ?? '', stable.metadata.name ?? '']));
    const stableHash = status.stableRS ?? hash;
    const activeSelector = status.blueGreen?.activeSelector ?? stableHash;
    const previewSelector = aborted ? stableHash : hash;
    status.blueGreen = { ...status.blueGreen, activeSelector, previewSelector };
    pointService(this.#store, this.#types.services, namespace, ctx.blueGreen.activeService, activeSelector, name);
    pointService(this.#store, this.#types.services, namespace, ctx.blueGreen.previewService, previewSelector, name);
    delete status.canary;
    delete status.currentStepIndex;
    this.#finishStatus(ctx.found, rollout, status, { key: ctx.key, deadlineApplies: true, hash, revision: ctx.revision, rsName: current.metadata.name ?? '', aborted, abortMessage: message, retried: ctx.retried, invalidSpec: undefined, now: formatTimestamp(ctx.nowMs) });
  }

  /** Writes status (and the revision annotation the real controller keeps on the Rollout) when either changed. */
  #writeStatus(found: KubeObject, rollout: Rollout, status: RolloutStatus, revision: number | undefined): void {
    const annotations = { ...rollout.metadata.annotations };
    if (revision !== undefined) annotations[ROLLOUT_REVISION_ANNOTATION] = String(revision);
    if (jsonEqual(status, rollout.status) && jsonEqual(annotations, rollout.metadata.annotations ?? {})) return;
    this.#store.update(this.#types.rollouts, { ...found, metadata: { ...found.metadata, annotations }, status }, { subresource: 'all' });
  }
}

