import { getCondition, newCondition, removeCondition, setCondition } from '../controllers/deployment-util.ts';
import type { Condition } from '../kube-types.ts';
import type { RolloutPhase } from './rollout-phase.ts';

export interface ConditionFacts {
  now: string;
  rsName: string;
  revision: number;
  hash: string;
  aborted: boolean;
  abortMessage: string | undefined;
  retried: boolean;
  paused: boolean;
  wasPaused: boolean;
  promoted: boolean;
  available: boolean;
  invalidSpec: string | undefined;
  /** Replica counts, the step or the pod hash moved since the last status: the progress deadline starts again. */
  progressed: boolean;
  /** spec.progressDeadlineSeconds (600), or undefined where it does not apply (an analysis step is running). */
  deadlineSeconds: number | undefined;
  nowMs: number;
}

const TIMED_OUT = 'ProgressDeadlineExceeded';

/**
 * The Rollout conditions (utils/conditions): Progressing (its reason carries RolloutAborted, which makes the phase
 * Degraded), Available, Paused, Completed and InvalidSpec. Healthy is set after the phase is known.
 */
export function rolloutConditions(current: Condition[], facts: ConditionFacts): Condition[] {
  let conditions = current;
  const set = (type: string, status: Condition['status'], reason: string, message: string): void => {
    const updated = setCondition(conditions, newCondition(type, status, reason, message, facts.now));
    // setCondition ignores message-only changes; an abort's message names the failed analysis, so keep it fresh.
    conditions = updated.map((c) => (c.type === type && c.reason === reason && c.message !== message ? { ...c, message, lastUpdateTime: facts.now } : c));
  };
  if (facts.invalidSpec) set('InvalidSpec', 'True', 'InvalidSpec', facts.invalidSpec);
  else conditions = removeCondition(conditions, 'InvalidSpec');
  if (facts.aborted) set('Progressing', 'False', 'RolloutAborted', facts.abortMessage ?? `Rollout aborted update to revision ${facts.revision}`);
  else if (facts.retried) set('Progressing', 'True', 'RolloutRetry', 'Retrying Rollout after abort');
  else if (facts.paused) set('Progressing', 'Unknown', 'RolloutPaused', 'Rollout is paused');
  else if (facts.promoted && facts.available) set('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${facts.rsName}" has successfully progressed.`);
  else conditions = progressingOrTimedOut(conditions, facts);
  set('Available', facts.available ? 'True' : 'False', 'AvailableReason', facts.available ? 'Rollout has minimum availability' : 'Rollout does not have minimum availability');
  if (facts.paused) set('Paused', 'True', 'RolloutPaused', 'Rollout is paused');
  else if (facts.wasPaused) set('Paused', 'False', 'RolloutResumed', 'Rollout is resumed');
  if (facts.promoted) set('Completed', 'True', 'RolloutCompleted', `Rollout completed update to revision ${facts.revision} (${facts.hash})`);
  else set('Completed', 'False', 'RolloutCompleted', `Rollout not completed, started update to revision ${facts.revision} (${facts.hash})`);
  return conditions;
}

/**
 * RolloutTimedOut (utils/conditions): an update that makes no progress for progressDeadlineSeconds turns
 * Progressing False with ProgressDeadlineExceeded (the phase becomes Degraded), until it progresses again.
 */
function progressingOrTimedOut(conditions: Condition[], facts: ConditionFacts): Condition[] {
  const current = getCondition(conditions, 'Progressing');
  const progressing = newCondition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${facts.rsName}" is progressing.`, facts.now);
  if (facts.progressed || (current?.reason !== 'ReplicaSetUpdated' && current?.reason !== TIMED_OUT)) {
    return [...conditions.filter((c) => c.type !== 'Progressing'), { ...progressing, lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime ?? facts.now : facts.now }];
  }
  if (current?.reason === TIMED_OUT || facts.deadlineSeconds === undefined) return conditions;
  const since = Date.parse(current?.lastUpdateTime ?? facts.now);
  if (facts.nowMs - since <= facts.deadlineSeconds * 1000) return conditions;
  return setCondition(conditions, newCondition('Progressing', 'False', TIMED_OUT, `ReplicaSet "${facts.rsName}" has timed out progressing.`, facts.now));
}

/** When a progressing update times out if nothing moves (for the controller's wake-up), or undefined. */
export function progressDeadlineAt(conditions: Condition[] | undefined, deadlineSeconds: number | undefined): number | undefined {
  const current = getCondition(conditions, 'Progressing');
  if (deadlineSeconds === undefined || current?.reason !== 'ReplicaSetUpdated' || !current.lastUpdateTime) return undefined;
  return Date.parse(current.lastUpdateTime) + deadlineSeconds * 1000;
}

export function withHealthy(conditions: Condition[], phase: RolloutPhase, now: string): Condition[] {
  const healthy = phase === 'Healthy';
  return setCondition(conditions, newCondition('Healthy', healthy ? 'True' : 'False', 'RolloutHealthy', healthy ? 'Rollout is healthy' : 'Rollout is not healthy', now));
}
