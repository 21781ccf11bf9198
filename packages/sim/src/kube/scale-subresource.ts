import { badRequest } from './api-error.ts';
import type { Deployment, KubeObject } from './kube-types.ts';
import { isPlainObject } from './kube-types.ts';
import { formatLabelSelector } from './label-selector.ts';
import { cloneJson } from './clone-json.ts';

/** The `autoscaling/v1 Scale` view of a Deployment or ReplicaSet (what `kubectl scale` reads and patches). */
export function toScale(obj: KubeObject): Record<string, unknown> {
  const workload = obj as Deployment;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: workload.spec.replicas ?? 0 },
    status: { replicas: workload.status?.replicas ?? 0, selector: formatLabelSelector(workload.spec.selector) },
  };
}

/** Writes a Scale back onto its workload: only spec.replicas changes; the Scale's resourceVersion is a precondition. */
export function applyScale(obj: KubeObject, scale: unknown): KubeObject {
  if (!isPlainObject(scale) || !isPlainObject(scale.spec)) throw badRequest('Scale object must have a spec');
  const replicas = scale.spec.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest('spec.replicas must be an integer');
  const updated = cloneJson(obj) as Deployment;
  updated.spec.replicas = replicas;
  const meta = isPlainObject(scale.metadata) ? scale.metadata : {};
  if (typeof meta.resourceVersion === 'string') updated.metadata.resourceVersion = meta.resourceVersion;
  return updated;
}
