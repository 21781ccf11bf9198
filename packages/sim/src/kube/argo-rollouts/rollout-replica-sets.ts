import { cloneJson } from '../clone-json.ts';
import { computeHash } from '../controllers/deployment-util.ts';
import type { KubeObject, ReplicaSet } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { applyPodSpecDefaults } from '../resources/pod-spec-defaults.ts';
import type { Rollout } from './rollout-types.ts';
import { ROLLOUT_HASH_LABEL, ROLLOUT_REVISION_ANNOTATION } from './rollout-types.ts';

const DEFAULT_REVISION_HISTORY_LIMIT = 10;

export function asReplicaSet(obj: KubeObject): ReplicaSet {
  const spec = typeof obj.spec === 'object' && obj.spec !== null && !Array.isArray(obj.spec) ? obj.spec : {};
  return { ...obj, spec: { selector: {}, template: {}, ...spec } };
}

export function rolloutRevisionOf(obj: KubeObject): number {
  const parsed = Number.parseInt(obj.metadata.annotations?.[ROLLOUT_REVISION_ANNOTATION] ?? '0', 10);
  return Number.isFinite(parsed) ? parsed : 0;
}

export function podHashOf(rs: KubeObject): string | undefined {
  return rs.metadata.labels?.[ROLLOUT_HASH_LABEL];
}

/**
 * The rollout's pod-template hash: the deployment controller's FNV form, over the template with the API server's
 * pod defaults applied (PodTemplateEqualIgnoreHash defaults both sides too) — so the template `undo` copies back
 * from a ReplicaSet, defaults and all, hashes to that same ReplicaSet.
 */
export function rolloutPodHash(rollout: Rollout): string {
  const template = cloneJson(rollout.spec.template);
  applyPodSpecDefaults(template.spec);
  if (template.metadata?.labels) delete template.metadata.labels[ROLLOUT_HASH_LABEL];
  return computeHash(template, rollout.status?.collisionCount);
}

/** ReplicaSets whose controller reference is this Rollout. */
export function ownedReplicaSets(store: ObjectStore, type: ResourceType, rollout: Rollout): ReplicaSet[] {
  const uid = rollout.metadata.uid ?? '';
  return store.listOwned(type, rollout.metadata.namespace, uid, { where: (rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid) ?? false }).map(asReplicaSet);
}

/**
 * The ReplicaSet for the rollout's current template (rollout/replicaset.go): named `<rollout>-<hash>`, the hash in
 * its selector, template labels and `rollouts-pod-template-hash`, the revision in `rollout.argoproj.io/revision`,
 * created at 0 replicas (the step machine scales it).
 */
export function createRolloutReplicaSet(store: ObjectStore, type: ResourceType, rollout: Rollout, hash: string, revision: number): ReplicaSet {
  const template = cloneJson(rollout.spec.template);
  const labels = { ...template.metadata?.labels, [ROLLOUT_HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    metadata: {
      name: `${rollout.metadata.name ?? ''}-${hash}`,
      namespace: rollout.metadata.namespace,
      labels,
      annotations: { [ROLLOUT_REVISION_ANNOTATION]: String(revision) },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rollout.metadata.name ?? '', uid: rollout.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: 0,
      ...(rollout.spec.minReadySeconds !== undefined ? { minReadySeconds: rollout.spec.minReadySeconds } : {}),
      selector: { ...rollout.spec.selector, matchLabels: { ...rollout.spec.selector.matchLabels, [ROLLOUT_HASH_LABEL]: hash } },
      template: { ...template, metadata: { ...template.metadata, labels } },
    },
  };
  return asReplicaSet(store.create(type, rs));
}

export function scaleReplicaSet(store: ObjectStore, type: ResourceType, rs: ReplicaSet, replicas: number): ReplicaSet {
  if ((rs.spec.replicas ?? 0) === replicas) return rs;
  return asReplicaSet(store.update(type, { ...rs, spec: { ...rs.spec, replicas } }));
}

export function setReplicaSetRevision(store: ObjectStore, type: ResourceType, rs: ReplicaSet, revision: number): ReplicaSet {
  if (rolloutRevisionOf(rs) === revision) return rs;
  return asReplicaSet(store.update(type, { ...rs, metadata: { ...rs.metadata, annotations: { ...rs.metadata.annotations, [ROLLOUT_REVISION_ANNOTATION]: String(revision) } } }));
}

/** Old, scaled-down ReplicaSets beyond revisionHistoryLimit are deleted, oldest revision first (what undo can reach). */
export function cleanUpHistory(store: ObjectStore, type: ResourceType, rollout: Rollout, replicaSets: ReplicaSet[], keep: Set<string>): void {
  const limit = rollout.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  const idle = replicaSets.filter((rs) => !keep.has(rs.metadata.name ?? '') && (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0);
  idle.sort((a, b) => rolloutRevisionOf(a) - rolloutRevisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) store.delete(type, rs.metadata.namespace, rs.metadata.name ?? '');
}
