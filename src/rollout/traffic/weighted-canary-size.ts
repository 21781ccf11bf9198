import type { TrafficScope } from './types.ts';

/**
 * The canary's pods where route weights (an HTTPRoute, Istio) give it its share: enough to carry that share of the
 * stable side's load, at least one. The stable Deployment keeps its size.
 */
export function weightedCanarySize(scope: TrafficScope, percent: number): number {
  return Math.max(1, Math.ceil((scope.replicas * percent) / 100));
}
