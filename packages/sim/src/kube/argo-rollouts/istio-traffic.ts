import { jsonEqual } from '../json-equal.ts';
import { cloneJson } from '../clone-json.ts';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import type { IstioTrafficRouting } from './rollout-types.ts';
import { MANAGED_BY_ANNOTATION, ROLLOUT_HASH_LABEL } from './rollout-types.ts';

export interface IstioTypes {
  virtualServices: ResourceType;
  destinationRules: ResourceType;
}

export interface IstioTarget {
  namespace: string;
  rollout: string;
  canaryService?: string;
  stableService?: string;
  canaryHash: string;
  stableHash: string;
  /** 0..100; the stable destination gets the rest. */
  canaryWeight: number;
}

/** A destination host names a Service by short name or any of its longer forms (`api.shop.svc.cluster.local`). */
function hostIsService(host: unknown, service: string | undefined, namespace: string): boolean {
  if (typeof host !== 'string' || !service) return false;
  return host === service || host === `${service}.${namespace}` || host === `${service}.${namespace}.svc` || host === `${service}.${namespace}.svc.cluster.local`;
}

function routesOf(vs: KubeObject): Array<Record<string, unknown>> {
  const spec = isPlainObject(vs.spec) ? vs.spec : {};
  return Array.isArray(spec.http) ? spec.http.filter(isPlainObject) : [];
}

/**
 * What Argo Rollouts' Istio reconciler writes (rollout/trafficrouting/istio): in each named HTTP route of the
 * VirtualService (the only one when `routes` is omitted), the canary destination — host = canaryService, or
 * subset = canarySubsetName with a DestinationRule — gets the canary weight and the stable one the rest; the
 * DestinationRule's two subsets select the canary and stable pod hashes. Returns a problem to report, or undefined.
 */
export function reconcileIstio(store: ObjectStore, types: IstioTypes, istio: IstioTrafficRouting, target: IstioTarget): string | undefined {
  const dr = istio.destinationRule;
  if (dr) {
    const problem = updateDestinationRule(store, types.destinationRules, target, dr);
    if (problem) return problem;
  }
  const refs = [...(istio.virtualService ? [istio.virtualService] : []), ...(istio.virtualServices ?? [])];
  for (const ref of refs) {
    const vs = store.get(types.virtualServices, target.namespace, ref.name);
    if (!vs) return `VirtualService '${ref.name}' not found`;
    const updated = cloneJson(vs);
    const routes = routesOf(updated);
    const named = ref.routes && ref.routes.length > 0 ? ref.routes : undefined;
    if (!named && routes.length !== 1) return `VirtualService '${ref.name}' has ${routes.length} HTTP routes: spec.strategy.canary.trafficRouting.istio.virtualService.routes must name them`;
    const selected = named ? routes.filter((r) => typeof r.name === 'string' && named.includes(r.name)) : routes;
    for (const name of named ?? []) if (!selected.some((r) => r.name === name)) return `HTTP Route '${name}' is not found in the defined Virtual Service.`;
    for (const route of selected) {
      const destinations = Array.isArray(route.route) ? route.route.filter(isPlainObject) : [];
      for (const entry of destinations) {
        const destination = isPlainObject(entry.destination) ? entry.destination : {};
        const isCanary = dr ? destination.subset === dr.canarySubsetName : hostIsService(destination.host, target.canaryService, target.namespace);
        const isStable = dr ? destination.subset === dr.stableSubsetName : hostIsService(destination.host, target.stableService, target.namespace);
        if (isCanary) entry.weight = target.canaryWeight;
        else if (isStable) entry.weight = 100 - target.canaryWeight;
      }
    }
    if (!jsonEqual(updated.spec, vs.spec)) store.update(types.virtualServices, updated);
  }
  return undefined;
}

function updateDestinationRule(store: ObjectStore, type: ResourceType, target: IstioTarget, ref: NonNullable<IstioTrafficRouting['destinationRule']>): string | undefined {
  const existing = store.get(type, target.namespace, ref.name);
  if (!existing) return `DestinationRule '${ref.name}' not found`;
  const updated = cloneJson(existing);
  const spec = isPlainObject(updated.spec) ? updated.spec : {};
  const subsets = Array.isArray(spec.subsets) ? spec.subsets.filter(isPlainObject) : [];
  for (const [name, hash] of [[ref.canarySubsetName, target.canaryHash], [ref.stableSubsetName, target.stableHash]] as const) {
    const subset = subsets.find((s) => s.name === name);
    if (!subset) return `Subset '${name}' not found in DestinationRule '${ref.name}'`;
    subset.labels = { ...(isPlainObject(subset.labels) ? subset.labels : {}), [ROLLOUT_HASH_LABEL]: hash };
  }
  updated.metadata.annotations = { ...updated.metadata.annotations, [MANAGED_BY_ANNOTATION]: target.rollout };
  if (!jsonEqual(updated, existing)) store.update(type, updated);
  return undefined;
}
