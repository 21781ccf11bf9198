export { assessRollout, type RolloutAssessment, type RolloutObservation } from './assess-rollout.ts';
export { followRollout, type FollowOutcome } from './follow-rollout.ts';
export { createRollingDriver, type RollingDeps } from './rolling-driver.ts';
export { createRollbackDriver } from './rollback-driver.ts';
export type { RolloutDriver } from './types.ts';
export { createCanaryDriver, scheduleFor } from './canary-driver.ts';
export { checksOf, type ProgressiveDeps, type ProgressiveSettings } from './progressive-deps.ts';
export { httpRouteRouter, planReplicas, replicaRouter, type TrafficRouter, type TrafficRouters, type TrafficScope, type TrafficSnapshot } from './traffic/index.ts';
