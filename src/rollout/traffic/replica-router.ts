import type { TrafficRouter } from './types.ts';

/**
 * The canary's share as a replica ratio behind the one Service (works on any cluster): its pods carry the Service's
 * selector labels. Like Argo Rollouts' basic canary, the stable side shrinks as the canary grows so the total stays
 * the same; with few replicas the real share is coarse, and the card says what it is.
 */
export function planReplicas(total: number, percent: number): { canary: number; stable: number } {
  if (percent >= 100) return { canary: total, stable: 0 };
  const canary = Math.max(1, Math.min(total - 1, Math.round((total * percent) / 100)));
  return { canary, stable: Math.max(1, total - canary) };
}

export const replicaRouter: TrafficRouter = {
  kind: 'replicas',
  canaryPodLabels: (scope) => ({ ...scope.serviceSelector, 'deckhand.io/track': 'canary' }),
  // The scope was taken from the stable Deployment read a moment ago: its replica count is the state to restore.
  snapshot: async (_kube, scope) => ({ kind: 'replicas', stableReplicas: scope.replicas }),
  canaryReplicas: (scope, percent) => planReplicas(scope.replicas, percent).canary,
  prepare: async () => {},
  async setWeight(kube, scope, _snapshot, percent) {
    const { canary, stable } = planReplicas(scope.replicas, percent);
    // Canary up first, then stable down: capacity never dips below the total. (The first step finds the canary at
    // its size already: it is created so.)
    await kube.scaleDeployment(scope.namespace, scope.canary, canary);
    await kube.scaleDeployment(scope.namespace, scope.stable, stable);
    const actual = Math.round((canary / (canary + stable)) * 100);
    return { requested: percent, actual, canaryReplicas: canary, stableReplicas: stable, how: `${canary} canary and ${stable} stable pod(s) behind the Service` };
  },
  async restore(kube, scope, snapshot) {
    const replicas = snapshot.kind === 'replicas' ? snapshot.stableReplicas : scope.replicas;
    // Canary to zero first: from that write on, the Service sends nothing to it.
    await kube.scaleDeployment(scope.namespace, scope.canary, 0).catch(() => {});
    await kube.scaleDeployment(scope.namespace, scope.stable, replicas);
  },
  cleanup: async () => {},
};
