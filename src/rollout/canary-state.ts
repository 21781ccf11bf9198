import type { Deploy } from '../deploy/index.ts';
import { CanaryState, readState } from './schema.ts';

export { CanaryFailure, CanaryState } from './schema.ts';

/** The canary's recorded state, checked against its schema. */
export function canaryState(d: Deploy): CanaryState {
  return readState(CanaryState, d, 'canary');
}

/** True once the Deployment has rolled out its spec: every replica updated and available. */
export function isRolledOut(s: { generation: number; observedGeneration: number; desired: number; updated: number; available: number; total: number }): boolean {
  return s.observedGeneration >= s.generation && s.updated === s.desired && s.available === s.desired && s.total === s.desired;
}
