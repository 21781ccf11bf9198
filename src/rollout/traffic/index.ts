export { httpRouteRouter } from './httproute-router.ts';
export { planReplicas, replicaRouter } from './replica-router.ts';
export type { TrafficRouter, TrafficRouters, TrafficScope, TrafficSnapshot, WeightPlan } from './types.ts';
export { createIstioRouter } from './istio-router.ts';
