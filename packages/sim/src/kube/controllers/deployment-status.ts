import { jsonEqual } from '../json-equal.ts';
import type { Deployment, ReplicaSet } from '../kube-types.ts';
import { formatTimestamp } from '../kube-types.ts';
import {
  deploymentComplete,
  deploymentProgressing,
  getCondition,
  maxUnavailable,
  msUntilProgressDeadline,
  newCondition,
  Reasons,
  removeCondition,
  replicaCount,
  setCondition,
} from './deployment-util.ts';
import { cloneJson } from '../clone-json.ts';

export type DeploymentStatus = NonNullable<Deployment['status']>;

/**
 * calculateStatus (sync.go): counts from the ReplicaSets and the Available condition. Zero counts are left out,
 * as Go's `omitempty` leaves them out on a real cluster.
 */
export function calculateStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const sum = (pick: (rs: ReplicaSet) => number | undefined) => allRSs.reduce((total, rs) => total + (pick(rs) ?? 0), 0);
  const availableReplicas = sum((rs) => rs.status?.availableReplicas);
  const totalReplicas = replicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas,
    unavailableReplicas: Math.max(0, totalReplicas - availableReplicas),
    conditions: cloneJson(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const timestamp = formatTimestamp(now);
  const available = availableReplicas >= (d.spec.replicas ?? 1) - maxUnavailable(d);
  status.conditions = setCondition(
    status.conditions ?? [],
    available
      ? newCondition('Available', 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', timestamp)
      : newCondition('Available', 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', timestamp),
  );
  return status;
}

/**
 * syncRolloutStatus (progress.go): the Progressing condition — NewReplicaSetAvailable when complete,
 * ReplicaSetUpdated on any progress (refreshing lastUpdateTime, which the deadline counts from),
 * ProgressDeadlineExceeded once progressDeadlineSeconds pass without progress. Returns the status and, when a
 * deadline is pending, how long until it should be checked again.
 */
export function rolloutStatus(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, now: number): { status: DeploymentStatus; recheckInMs?: number } {
  const status = calculateStatus(d, allRSs, newRS, now);
  const timestamp = formatTimestamp(now);
  const current = getCondition(d.status?.conditions, 'Progressing');
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === Reasons.NewReplicaSetAvailable;
  let conditions = status.conditions ?? [];
  if (d.spec.progressDeadlineSeconds !== undefined && !isComplete) {
    const rsName = newRS?.metadata.name ?? '';
    if (deploymentComplete(d, status)) {
      conditions = setCondition(conditions, newCondition('Progressing', 'True', Reasons.NewReplicaSetAvailable, `ReplicaSet "${rsName}" has successfully progressed.`, timestamp));
    } else if (deploymentProgressing(d, status)) {
      const message = newRS ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name ?? ''}" is progressing.`;
      const condition = newCondition('Progressing', 'True', Reasons.ReplicaSetUpdated, message, timestamp);
      if (current?.status === 'True' && current.lastTransitionTime) condition.lastTransitionTime = current.lastTransitionTime;
      conditions = [...removeCondition(conditions, 'Progressing'), condition];
    } else {
      const left = msUntilProgressDeadline(d, { ...status, conditions }, now);
      if (current?.reason === Reasons.ProgressDeadlineExceeded || (left !== undefined && left < 0)) {
        conditions = setCondition(conditions, newCondition('Progressing', 'False', Reasons.ProgressDeadlineExceeded, `ReplicaSet "${rsName}" has timed out progressing.`, timestamp));
      }
    }
  }
  status.conditions = conditions;
  const left = msUntilProgressDeadline(d, status, now);
  return left === undefined ? { status } : { status, recheckInMs: Math.max(0, left) + 50 };
}

/** Whether a computed status differs from the stored one (so a write is needed). */
export function statusChanged(d: Deployment, status: DeploymentStatus): boolean {
  return !jsonEqual(compactStatus(d.status ?? {}), compactStatus(status));
}

/** Drops zero counts so the stored status reads like a real one (`readyReplicas` absent at 0). */
export function compactStatus(status: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = { ...status };
  for (const key of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (!out[key]) delete out[key];
  }
  if (out.conditions && out.conditions.length === 0) delete out.conditions;
  return out;
}
