export { assessRollout, type RolloutAssessment, type RolloutObservation } from './assess-rollout.ts';
export { createRollingDriver, type RollingDeps } from './rolling-driver.ts';
export { createRollbackDriver } from './rollback-driver.ts';
export type { RolloutDriver } from './types.ts';
export { createCanaryDriver, scheduleFor } from './canary-driver.ts';
export { createBlueGreenDriver } from './bluegreen-driver.ts';
export { checksOf, WAIT_FALLBACK_MS, type ProgressiveDeps, type ProgressiveSettings } from './progressive-deps.ts';
export { httpRouteRouter, planReplicas, replicaRouter, type TrafficRouter, type TrafficRouters, type TrafficScope, type TrafficSnapshot } from './traffic/index.ts';
export { startRolloutWaker, waiterLookup, type RolloutWaker, type RolloutWakerDeps } from './rollout-waker.ts';
