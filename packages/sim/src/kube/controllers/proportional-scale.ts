import type { Deployment, ReplicaSet } from '../kube-types.ts';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, maxSurge, replicaCount, specReplicas } from './deployment-util.ts';

/**
 * The scaling half of the deployment controller's `scale()` (sync.go), as a plan: the new replica count per
 * ReplicaSet name. One active RS (or none) takes the whole size; a saturated new RS lets the old ones go; during
 * a rolling update the change is spread over the active RSs in proportion to their size (GetProportion), the
 * leftover to the largest — so scaling 10→15 mid-rollout with old=8, new=5 gives old=11, new=7.
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Map<string, number> {
  const plan = new Map<string, number>();
  const desired = d.spec.replicas ?? 1;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationDesc(a, b));
  const active = [...newestFirst, ...(newRS ? [newRS] : [])].filter((rs) => specReplicas(rs) > 0);

  const only = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? newestFirst[0]) : undefined;
  if (active.length <= 1) {
    if (only && specReplicas(only) !== desired) plan.set(name(only), desired);
    return plan;
  }
  if (newRS && isSaturated(d, newRS)) {
    for (const rs of oldRSs) if (specReplicas(rs) > 0) plan.set(name(rs), 0);
    return plan;
  }
  if ((d.spec.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return plan;

  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  if (toAdd === 0) return plan;
  const ordered = [...active].sort((a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? byCreationDesc(a, b) : -byCreationDesc(a, b)));
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of ordered) {
    const proportion = getProportion(rs, d, toAdd, added);
    sizes.set(name(rs), specReplicas(rs) + proportion);
    added += proportion;
  }
  const largest = ordered[0];
  if (largest) sizes.set(name(largest), Math.max(0, (sizes.get(name(largest)) ?? 0) + toAdd - added));
  for (const rs of ordered) {
    const size = sizes.get(name(rs)) ?? specReplicas(rs);
    if (size !== specReplicas(rs)) plan.set(name(rs), size);
  }
  return plan;
}

function getProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const desired = d.spec.replicas ?? 1;
  if (desired === 0) return -specReplicas(rs);
  const deploymentReplicas = desired + maxSurge(d);
  const annotated = Number.parseInt(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] ?? '', 10);
  const base = Number.isFinite(annotated) && annotated > 0 ? annotated : (d.status?.replicas ?? 0);
  if (base === 0) return 0;
  return Math.round((specReplicas(rs) * deploymentReplicas) / base) - specReplicas(rs);
}

/** IsSaturated: the new RS is at full size and fully available. */
function isSaturated(d: Deployment, rs: ReplicaSet): boolean {
  const desired = d.spec.replicas ?? 1;
  return specReplicas(rs) === desired && rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] === String(desired) && (rs.status?.availableReplicas ?? 0) === desired;
}

function byCreationDesc(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
}

function name(rs: ReplicaSet): string {
  return rs.metadata.name ?? '';
}
