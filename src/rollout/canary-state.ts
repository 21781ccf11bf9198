import type { Deploy } from '../deploy/index.ts';
import type { TrafficScope, TrafficSnapshot, WeightPlan } from './traffic/index.ts';

/** Why a canary is being taken down: the check that failed (with its value), a deadline, or a person. */
export type CanaryFailure =
  | { kind: 'check'; check: string; value?: number; threshold: number; unit: 'ratio' | 'ms' | 'count'; detail?: string; text: string }
  | { kind: 'deadline'; text: string }
  | { kind: 'manual'; by: string; text: string };

/**
 * What a canary deploy has recorded (in `Deploy.state`). Written only by its steps; what people ask of it from chat
 * is `Deploy.steering`.
 */
export interface CanaryState {
  fromImage?: string;
  toImage?: string;
  scope?: TrafficScope;
  /** The service before the deploy: what an abort puts back. */
  snapshot?: TrafficSnapshot;
  /** Traffic percentages; the last is 100. */
  schedule?: number[];
  stepIndex?: number;
  plan?: WeightPlan;
  weightSetAt?: number;
  holdUntil?: number;
  nextAnalysisAt?: number;
  /** Verdict of the latest analysis round of this step (reset when the weight changes). */
  lastVerdict?: 'pass' | 'fail' | 'inconclusive' | 'failing';
  streaks?: Record<string, number>;
  rounds?: number;
  /** Paused because analysis was inconclusive: a person decides (Promote / Abort). */
  pausedInconclusive?: boolean;
  failure?: CanaryFailure;
  /** When the failing evaluation happened, and when traffic was back on stable (ms since epoch). */
  failedAt?: number;
  trafficRestoredAt?: number;
  /** Set once the stable Deployment was given the new image (full promotion started). */
  promotingAt?: number;
  /** Where a promote request sends `advance` (the request itself, in `Deploy.steering`, is cleared when taken). */
  promoteTarget?: 'next' | 'full';
}

export function canaryState(d: Deploy): CanaryState {
  return d.state as CanaryState;
}

/** True once the Deployment has rolled out its spec: every replica updated and available. */
export function isRolledOut(s: { generation: number; observedGeneration: number; desired: number; updated: number; available: number; total: number }): boolean {
  return s.observedGeneration >= s.generation && s.updated === s.desired && s.available === s.desired && s.total === s.desired;
}
