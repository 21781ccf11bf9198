import { ApiException, type V1Deployment } from '@kubernetes/client-node';
import { DeckhandError } from '../errors.ts';
import type { WorkloadStatus } from './types.ts';

const REVISION = 'deployment.kubernetes.io/revision';

export function toStatus(d: V1Deployment): WorkloadStatus {
  const images: Record<string, string> = {};
  for (const c of d.spec?.template?.spec?.containers ?? []) images[c.name] = c.image ?? '';
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    resourceVersion: d.metadata?.resourceVersion ?? '',
    generation: d.metadata?.generation ?? 0,
    observedGeneration: d.status?.observedGeneration ?? 0,
    desired: d.spec?.replicas ?? 1,
    total: d.status?.replicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    ready: d.status?.readyReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    images,
    revision: Number(d.metadata?.annotations?.[REVISION] ?? 0),
    progressDeadlineSeconds: d.spec?.progressDeadlineSeconds ?? 600,
    paused: d.spec?.paused ?? false,
    conditions: (d.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
  };
}

/** Maps client-node failures to coded errors; the message names the object, never a credential. */
export function kubeError(err: unknown, what: string): DeckhandError {
  if (err instanceof DeckhandError) return err;
  if (err instanceof ApiException) {
    if (err.code === 404) return new DeckhandError('kube_not_found', `${what} was not found in the cluster.`, { cause: err });
    if (err.code === 409) return new DeckhandError('kube_conflict', `${what} was changed by someone else at the same moment.`, { cause: err });
    return new DeckhandError('kube_api_error', `The Kubernetes API answered ${err.code} for ${what}.`, { cause: err });
  }
  return new DeckhandError('kube_api_error', `The Kubernetes API could not be reached for ${what}.`, { cause: err });
}

