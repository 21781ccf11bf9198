import type { RolloutProgress } from '../deploy/index.ts';
import type { WorkloadStatus } from '../kube/index.ts';

/** The fields of a Deployment's status that decide where its rollout stands. */
export type RolloutObservation = Pick<WorkloadStatus, 'generation' | 'observedGeneration' | 'desired' | 'total' | 'updated' | 'ready' | 'available' | 'conditions'>;

export type RolloutAssessment =
  | { kind: 'progressing'; progress: RolloutProgress; message: string }
  | { kind: 'complete'; progress: RolloutProgress; message: string }
  | { kind: 'failed'; progress: RolloutProgress; reason: 'progress_deadline'; message: string };

/**
 * The same judgement as `kubectl rollout status` (kubectl's DeploymentStatusViewer), so Deckhand and kubectl
 * agree on when a rollout is done: spec observed, all replicas updated, no old ones left, all updated available.
 */
export function assessRollout(s: RolloutObservation): RolloutAssessment {
  const progress = { desired: s.desired, updated: s.updated, ready: s.ready, available: s.available };
  if (s.generation > s.observedGeneration) {
    return { kind: 'progressing', progress, message: 'Waiting for the rollout to be picked up by the cluster' };
  }
  const progressing = s.conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { kind: 'failed', progress, reason: 'progress_deadline', message: 'The rollout exceeded its progress deadline: new pods did not become ready in time' };
  }
  if (s.updated < s.desired) {
    return { kind: 'progressing', progress, message: `${s.updated} of ${s.desired} new replicas updated` };
  }
  if (s.total > s.updated) {
    return { kind: 'progressing', progress, message: `${s.total - s.updated} old replicas pending termination` };
  }
  if (s.available < s.updated) {
    return { kind: 'progressing', progress, message: `${s.available} of ${s.updated} updated replicas available` };
  }
  return { kind: 'complete', progress, message: `All ${s.desired} replicas updated and available` };
}
