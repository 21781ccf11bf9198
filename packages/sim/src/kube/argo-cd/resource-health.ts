import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';

export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthStatus {
  status: HealthStatusCode;
  message?: string;
}

/** gitops-engine's order, least to most severe: an Application's health is its worst resource's. */
const ORDER: HealthStatusCode[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

export function worstHealth(statuses: HealthStatusCode[]): HealthStatusCode {
  return statuses.reduce<HealthStatusCode>((worst, s) => (ORDER.indexOf(s) > ORDER.indexOf(worst) ? s : worst), 'Healthy');
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/**
 * A live object's health as Argo CD's built-in checks compute it, or undefined for kinds without a check (they
 * do not count towards the Application's health). The Deployment check follows `kubectl rollout status`:
 * Suspended while paused, Degraded on ProgressDeadlineExceeded, Progressing until every replica is updated and
 * available and the controller has observed the latest generation.
 */
export function resourceHealth(obj: KubeObject): HealthStatus | undefined {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const status = isPlainObject(obj.status) ? obj.status : {};
  switch (obj.kind) {
    case 'Deployment': {
      if (spec.paused === true) return { status: 'Suspended', message: 'Deployment is paused' };
      if ((obj.metadata.generation ?? 0) > num(status.observedGeneration)) {
        return { status: 'Progressing', message: 'Waiting for rollout to finish: observed deployment generation less than desired generation' };
      }
      const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
      const progressing = conditions.find((c) => c.type === 'Progressing');
      const replicas = typeof spec.replicas === 'number' ? spec.replicas : undefined;
      const updated = num(status.updatedReplicas);
      if (progressing?.reason === 'ProgressDeadlineExceeded') return { status: 'Degraded', message: `Deployment "${obj.metadata.name ?? ''}" exceeded its progress deadline` };
      if (replicas !== undefined && updated < replicas) return { status: 'Progressing', message: `Waiting for rollout to finish: ${updated} out of ${replicas} new replicas have been updated...` };
      if (num(status.replicas) > updated) return { status: 'Progressing', message: `Waiting for rollout to finish: ${num(status.replicas) - updated} old replicas are pending termination...` };
      if (num(status.availableReplicas) < updated) return { status: 'Progressing', message: `Waiting for rollout to finish: ${num(status.availableReplicas)} of ${updated} updated replicas are available...` };
      return { status: 'Healthy' };
    }
    case 'ReplicaSet':
    case 'StatefulSet': {
      if ((obj.metadata.generation ?? 0) > num(status.observedGeneration)) return { status: 'Progressing', message: 'Waiting for rollout to finish: observed generation less than desired generation' };
      const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
      return num(status.readyReplicas) < replicas ? { status: 'Progressing', message: `Waiting for ${replicas - num(status.readyReplicas)} pods to be ready...` } : { status: 'Healthy' };
    }
    case 'Rollout': {
      // Argo CD's Lua check for Rollouts reads the phase the Rollout controller reports.
      const phase = typeof status.phase === 'string' ? status.phase : 'Progressing';
      const message = typeof status.message === 'string' ? status.message : undefined;
      const code: HealthStatusCode = phase === 'Healthy' ? 'Healthy' : phase === 'Paused' ? 'Suspended' : phase === 'Degraded' ? 'Degraded' : 'Progressing';
      return { status: code, ...(message !== undefined && { message }) };
    }
    case 'Pod': {
      const phase = status.phase;
      if (phase === 'Succeeded' || phase === 'Running') return { status: phase === 'Running' && !podReady(status) ? 'Progressing' : 'Healthy' };
      if (phase === 'Failed') return { status: 'Degraded', message: typeof status.message === 'string' ? status.message : 'pod failed' };
      return { status: 'Progressing' };
    }
    case 'Service':
    case 'Namespace':
    case 'ConfigMap':
    case 'Secret':
      return { status: 'Healthy' };
    default:
      return undefined;
  }
}

function podReady(status: Record<string, unknown>): boolean {
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}
