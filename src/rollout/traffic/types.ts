import type { KubeClient, RouteBackend } from '../../kube/index.ts';

/** Everything a router needs to know about the service it steers, recorded when the deploy starts. */
export interface TrafficScope {
  namespace: string;
  /** The stable Deployment and its Service (same name). */
  stable: string;
  canary: string;
  /** The stable Deployment's replicas before the deploy: what an abort restores. */
  replicas: number;
  /** The stable Service's selector. */
  serviceSelector: Record<string, string>;
  /** The HTTPRoute carrying the weights (httproute traffic only). */
  route?: string;
}

/** What the router must put back on abort, read before anything changed. */
export type TrafficSnapshot =
  | { kind: 'replicas'; stableReplicas: number }
  | { kind: 'httproute'; route: string; rules: RouteBackend[][] };

/** Where traffic stands after `setWeight`: the share asked for, and what the cluster gives. */
export interface WeightPlan {
  requested: number;
  /** The canary's real share of requests, in percent (rounded). */
  actual: number;
  canaryReplicas: number;
  stableReplicas: number;
  /** How the share is reached, for the card. */
  how: string;
}

/**
 * A way of giving the canary its share of traffic. Every method is idempotent ("set to"), so a step that
 * crashed half-way is simply run again.
 */
export interface TrafficRouter {
  readonly kind: TrafficSnapshot['kind'];
  /** Labels of the canary pods: whether the stable Service selects them decides who sends them traffic. */
  canaryPodLabels(scope: TrafficScope): Record<string, string>;
  snapshot(kube: KubeClient, scope: TrafficScope): Promise<TrafficSnapshot>;
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
