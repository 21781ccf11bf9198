import type { RolloutSpec, RolloutStatus } from './rollout-types.ts';

export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

/**
 * CalculateRolloutPhase (utils/rollout/rolloututil.go), for the canary and blue-green strategies: InvalidSpec or an aborted /
 * timed-out Progressing condition is Degraded; spec.paused or a pause condition is Paused; replicas still
 * coming up, or steps not all done, are Progressing; otherwise Healthy.
 */
export function calculateRolloutPhase(spec: RolloutSpec, status: RolloutStatus): { phase: RolloutPhase; message: string } {
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${condition.message ?? ''}` };
    if (condition.reason === 'RolloutAborted' || condition.reason === 'ProgressDeadlineExceeded') return { phase: 'Degraded', message: `${condition.reason}: ${condition.message ?? ''}` };
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const pause = status.pauseConditions?.[0];
  if (pause) return { phase: 'Paused', message: pause.reason };
  const replicas = spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < replicas) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  if (spec.strategy.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) return { phase: 'Progressing', message: 'active service cutover pending' };
    if (!status.stableRS || status.stableRS !== status.currentPodHash) return { phase: 'Progressing', message: 'waiting for post-promotion verification to complete' };
    return { phase: 'Healthy', message: '' };
  }
  if (!spec.strategy.canary?.trafficRouting && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) return { phase: 'Progressing', message: 'old replicas are pending termination' };
  if (!status.stableRS || status.stableRS !== status.currentPodHash) return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  return { phase: 'Healthy', message: '' };
}
