import type { KubeClient } from '../../kube/index.ts';
import type { TrafficScope, TrafficSnapshot, WeightPlan } from '../schema.ts';

export type { TrafficScope, TrafficSnapshot, WeightPlan } from '../schema.ts';

/**
 * A way of giving the canary its share of traffic. Every method is idempotent ("set to"), so a step that
 * crashed half-way is simply run again.
 */
export interface TrafficRouter {
  readonly kind: TrafficSnapshot['kind'];
  /** Labels of the canary pods: whether the stable Service selects them decides who sends them traffic. */
  canaryPodLabels(scope: TrafficScope): Record<string, string>;
  snapshot(kube: KubeClient, scope: TrafficScope): Promise<TrafficSnapshot>;
  /** How many pods the canary runs at a share: `setWeight` sizes it so, and it is created at its first step's size. */
  canaryReplicas(scope: TrafficScope, percent: number): number;
  /** Creates what the canary needs besides its Deployment (a Service for a route backend). */
  prepare(kube: KubeClient, scope: TrafficScope): Promise<void>;
  setWeight(kube: KubeClient, scope: TrafficScope, snapshot: TrafficSnapshot, percent: number): Promise<WeightPlan>;
  /** All traffic back to stable exactly as in `snapshot`, stable at its old size, canary at zero. */
  restore(kube: KubeClient, scope: TrafficScope, snapshot: TrafficSnapshot): Promise<void>;
  /** Removes what `prepare` created. */
  cleanup(kube: KubeClient, scope: TrafficScope): Promise<void>;
}

/** Routers by traffic kind, built once in the composition root. */
export type TrafficRouters = ReadonlyMap<TrafficSnapshot['kind'], TrafficRouter>;
