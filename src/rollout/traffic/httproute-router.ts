import { DeckhandError } from '../../errors.ts';
import type { RouteBackend } from '../../kube/index.ts';
import type { TrafficRouter, TrafficScope, TrafficSnapshot } from './types.ts';
import { weightedCanarySize } from './weighted-canary-size.ts';

/** The rule that carries the stable Service: the weights Deckhand sets live there; other rules are left alone. */
function withWeights(rules: RouteBackend[][], scope: TrafficScope, percent: number): RouteBackend[][] {
  return rules.map((rule) => rule.some((b) => b.name === scope.stable)
    ? [{ name: scope.stable, weight: 100 - percent }, { name: scope.canary, weight: percent }]
    : rule);
}

/**
 * Exact percentages with Gateway API HTTPRoute backend weights (stable Service `N - p`, canary Service `p`). The
 * canary's pods carry their own labels, selected only by the canary Service, so the stable Service never sees them;
 * the stable Deployment keeps its size throughout.
 */
export const httpRouteRouter: TrafficRouter = {
  kind: 'httproute',
  canaryPodLabels: (scope) => ({ ...Object.fromEntries(Object.entries(scope.serviceSelector).map(([k, v]) => [k, `${v}-canary`])), 'deckhand.io/track': 'canary' }),
  async snapshot(kube, scope): Promise<TrafficSnapshot> {
    const route = scope.route ?? scope.stable;
    const rules = await kube.readRouteBackends(scope.namespace, route);
    if (!rules.some((rule) => rule.some((b) => b.name === scope.stable))) {
      throw new DeckhandError('deploy_invalid_state', `HTTPRoute ${scope.namespace}/${route} has no backendRef to the Service ${scope.stable}; the canary needs one to share its traffic.`);
    }
    return { kind: 'httproute', route, rules };
  },
  canaryReplicas: weightedCanarySize,
  prepare: (kube, scope) => kube.ensureService(scope.namespace, scope.stable, scope.canary, httpRouteRouter.canaryPodLabels(scope)),
  async setWeight(kube, scope, snapshot, percent) {
    if (snapshot.kind !== 'httproute') throw new DeckhandError('internal_error', 'httproute router given a replicas snapshot');
    const canary = httpRouteRouter.canaryReplicas(scope, percent);
    await kube.scaleDeployment(scope.namespace, scope.canary, canary);
    await kube.setRouteBackends(scope.namespace, snapshot.route, withWeights(snapshot.rules, scope, percent));
    return { requested: percent, actual: percent, canaryReplicas: canary, stableReplicas: scope.replicas, how: `HTTPRoute ${snapshot.route} weights ${scope.stable}=${100 - percent} ${scope.canary}=${percent}` };
  },
  async restore(kube, scope, snapshot) {
    if (snapshot.kind !== 'httproute') throw new DeckhandError('internal_error', 'httproute router given a replicas snapshot');
    // The route first: that write is the moment traffic is back on stable.
    await kube.setRouteBackends(scope.namespace, snapshot.route, snapshot.rules);
    await kube.scaleDeployment(scope.namespace, scope.canary, 0).catch(() => {});
    await kube.scaleDeployment(scope.namespace, scope.stable, scope.replicas);
  },
  cleanup: (kube, scope) => kube.deleteService(scope.namespace, scope.canary),
};
