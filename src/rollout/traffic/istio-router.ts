import { DeckhandError } from '../../errors.ts';
import type { IstioClient, IstioHttpRoute, IstioSubset } from '../../kube/index.ts';
import type { TrafficRouter, TrafficScope, TrafficSnapshot } from './types.ts';
import { weightedCanarySize } from './weighted-canary-size.ts';

type IstioSnapshot = Extract<TrafficSnapshot, { kind: 'istio' }>;
type IstioScope = NonNullable<TrafficScope['istio']>;

function istioOf(scope: TrafficScope): IstioScope {
  if (!scope.istio) throw new DeckhandError('deploy_invalid_state', 'The canary has no recorded Istio settings (virtualService).');
  return scope.istio;
}

function snapshotOf(s: TrafficSnapshot): IstioSnapshot {
  if (s.kind !== 'istio') throw new DeckhandError('internal_error', `istio router given a ${s.kind} snapshot`);
  return s;
}

/** `api`, `api.staging`, `api.staging.svc.cluster.local`: the Service `name` in the VirtualService's namespace, however written. */
function isServiceHost(host: string, name: string, namespace: string): boolean {
  return host === name || host === `${name}.${namespace}` || host.startsWith(`${name}.${namespace}.svc`);
}

/** The canary Service's host written the way the route writes the stable one. */
function canaryHost(stableHost: string, scope: TrafficScope): string {
  return `${scope.canary}${stableHost.slice(scope.stable.length)}`;
}

/** The routes Deckhand weights: the one named in config, or every route that sends traffic to the stable Service. */
function weightedRoute(route: IstioHttpRoute, scope: TrafficScope): boolean {
  const istio = istioOf(scope);
  if (istio.route !== undefined) return route.name === istio.route;
  return route.destinations.some((d) => isServiceHost(d.host, scope.stable, scope.namespace));
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * The weighted routes at `percent`: stable `100 - p`, canary `p` — two subsets of the stable host, or two hosts.
 * Other routes are left exactly as read.
 */
export function routesAt(snapshot: IstioSnapshot, scope: TrafficScope, percent: number): IstioHttpRoute[] {
  const istio = istioOf(scope);
  return snapshot.routes.map((route) => {
    if (!weightedRoute(route, scope)) return route;
    const stableHost = route.destinations.find((d) => isServiceHost(d.host, scope.stable, scope.namespace))?.host ?? scope.stable;
    const destinations = istio.destinationRule
      ? [{ host: stableHost, subset: istio.stableSubset, weight: 100 - percent }, { host: stableHost, subset: istio.canarySubset, weight: percent }]
      : [{ host: stableHost, weight: 100 - percent }, { host: canaryHost(stableHost, scope), weight: percent }];
    return { ...route, destinations };
  });
}

/**
 * Exact percentages with an Istio VirtualService (networking.istio.io/v1). Hosts mode (no destinationRule): the canary
 * pods carry their own labels, selected only by the canary Service `<deployment>-canary`, and the route's weights go
 * to the two hosts. Subset mode: the canary pods are selected by the stable Service too (a subset is a part of one
 * host's endpoints), the canary subset's labels are the canary pods' own, and the weights go to the two subsets.
 * The stable Deployment keeps its size throughout; on abort, the VirtualService and the DestinationRule are put
 * back exactly as read.
 */
export function createIstioRouter(istio: IstioClient): TrafficRouter {
  const router: TrafficRouter = {
    kind: 'istio',
    canaryPodLabels: (scope) => istioOf(scope).destinationRule
      ? { ...scope.serviceSelector, 'deckhand.io/track': 'canary' }
      : { ...Object.fromEntries(Object.entries(scope.serviceSelector).map(([k, v]) => [k, `${v}-canary`])), 'deckhand.io/track': 'canary' },

    async snapshot(_kube, scope): Promise<TrafficSnapshot> {
      const cfg = istioOf(scope);
      const routes = await istio.readHttpRoutes(scope.namespace, cfg.virtualService);
      if (!routes.some((r) => weightedRoute(r, scope))) {
        const which = cfg.route !== undefined ? `an HTTP route named ${cfg.route}` : `an HTTP route to the Service ${scope.stable}`;
        throw new DeckhandError('deploy_invalid_state', `VirtualService ${scope.namespace}/${cfg.virtualService} has no ${which}; the canary needs one to share its traffic.`);
      }
      if (!cfg.destinationRule) return { kind: 'istio', virtualService: cfg.virtualService, routes };
      const subsets = await istio.readSubsets(scope.namespace, cfg.destinationRule);
      const stable = subsets.find((s) => s.name === cfg.stableSubset);
      if (!stable) throw new DeckhandError('deploy_invalid_state', `DestinationRule ${scope.namespace}/${cfg.destinationRule} has no subset ${cfg.stableSubset} for the stable pods.`);
      // A stable subset the canary's pods match too would send them stable traffic: the weights would not be exact.
      if (labelsMatch(stable.labels, router.canaryPodLabels(scope))) {
        throw new DeckhandError('deploy_invalid_state', `DestinationRule ${scope.namespace}/${cfg.destinationRule}: subset ${cfg.stableSubset} selects ${JSON.stringify(stable.labels)}, which the canary's pods match too. Give the stable pods a label of their own (for example \`track: stable\` in the Deployment's pod template) and select it in the subset.`);
      }
      return { kind: 'istio', virtualService: cfg.virtualService, routes, destinationRule: cfg.destinationRule, subsets };
    },

    canaryReplicas: weightedCanarySize,

    async prepare(kube, scope) {
      const cfg = istioOf(scope);
      if (!cfg.destinationRule) {
        await kube.ensureService(scope.namespace, scope.stable, scope.canary, router.canaryPodLabels(scope));
        return;
      }
      const subsets = await istio.readSubsets(scope.namespace, cfg.destinationRule);
      const wanted: IstioSubset = { name: cfg.canarySubset, labels: router.canaryPodLabels(scope) };
      const current = subsets.find((s) => s.name === cfg.canarySubset);
      if (current && JSON.stringify(current.labels) === JSON.stringify(wanted.labels)) return;
      await istio.setSubsets(scope.namespace, cfg.destinationRule, [...subsets.filter((s) => s.name !== cfg.canarySubset), wanted]);
    },

    async setWeight(kube, scope, snapshot, percent) {
      const snap = snapshotOf(snapshot);
      const canary = router.canaryReplicas(scope, percent);
      await kube.scaleDeployment(scope.namespace, scope.canary, canary);
      await istio.setHttpRoutes(scope.namespace, snap.virtualService, routesAt(snap, scope, percent));
      const cfg = istioOf(scope);
      const to = cfg.destinationRule ? `subsets ${cfg.stableSubset}=${100 - percent} ${cfg.canarySubset}=${percent}` : `${scope.stable}=${100 - percent} ${scope.canary}=${percent}`;
      return { requested: percent, actual: percent, canaryReplicas: canary, stableReplicas: scope.replicas, how: `VirtualService ${snap.virtualService} weights ${to}` };
    },

    async restore(kube, scope, snapshot) {
      const snap = snapshotOf(snapshot);
      // The VirtualService first: that write is the moment traffic is back on stable.
      await istio.setHttpRoutes(scope.namespace, snap.virtualService, snap.routes);
      if (snap.destinationRule && snap.subsets) await istio.setSubsets(scope.namespace, snap.destinationRule, snap.subsets);
      await kube.scaleDeployment(scope.namespace, scope.canary, 0).catch(() => {});
      await kube.scaleDeployment(scope.namespace, scope.stable, scope.replicas);
    },

    async cleanup(kube, scope) {
      if (!istioOf(scope).destinationRule) await kube.deleteService(scope.namespace, scope.canary);
    },
  };
  return router;
}
