import type { Deploy } from '../deploy/index.ts';
import { CanaryState, readState } from './schema.ts';

export { CanaryFailure, CanaryState } from './schema.ts';

/** The canary's recorded state, checked against its schema. */
/**
 * The current step's share for people: `25%`, or `50% of traffic, 5% asked` when the router could only come close
 * (a replica ratio on few pods). Analysis labels, holds and abort summaries say it the same way.
 */
export function stepShare(s: CanaryState): string {
  const asked = s.schedule?.[s.stepIndex ?? 0];
  if (asked === undefined) return '?';
  return s.plan && s.plan.requested === asked && s.plan.actual !== asked ? `${s.plan.actual}% of traffic, ${asked}% asked` : `${asked}%`;
}

export function canaryState(d: Deploy): CanaryState {
  return readState(CanaryState, d, 'canary');
}

/** True once the Deployment controller has given up on its rollout: the progress deadline passed (its Progressing condition). */
export function isPastProgressDeadline(s: { conditions: readonly { type: string; reason?: string }[] }): boolean {
  return s.conditions.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
}

/** True once the Deployment has rolled out its spec: every replica updated and available. */
export function isRolledOut(s: { generation: number; observedGeneration: number; desired: number; updated: number; available: number; total: number }): boolean {
  return s.observedGeneration >= s.generation && s.updated === s.desired && s.available === s.desired && s.total === s.desired;
}
