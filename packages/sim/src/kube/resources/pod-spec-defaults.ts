import { isPlainObject } from '../kube-types.ts';

/**
 * The API server's defaulting for a PodSpec (the fields `kubectl get -o yaml` shows on any real cluster).
 * Applied to pods and to workload templates alike, so a template read back compares equal to the template the
 * controllers stamped onto a ReplicaSet — `kubectl rollout undo` relies on that equality.
 */
export function applyPodSpecDefaults(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const list of ['containers', 'initContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      if (!isPlainObject(container)) continue;
      container.terminationMessagePath ??= '/dev/termination-log';
      container.terminationMessagePolicy ??= 'File';
      container.imagePullPolicy ??= defaultPullPolicy(container.image);
      container.resources ??= {};
      if (Array.isArray(container.ports)) {
        for (const port of container.ports) if (isPlainObject(port)) port.protocol ??= 'TCP';
      }
    }
  }
}

/** `:latest` or no tag pulls Always, anything else IfNotPresent (core/v1 defaults). */
function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const lastPart = image.split('/').pop() ?? image;
  if (lastPart.includes('@')) return 'IfNotPresent';
  const tag = lastPart.includes(':') ? lastPart.split(':').pop() : undefined;
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Validation shared by every pod template: at least one container, each with a name and an image. */
export function validatePodSpec(spec: unknown, field: string): Array<{ field: string; message: string; reason?: string }> {
  const containers = isPlainObject(spec) ? spec.containers : undefined;
  if (!Array.isArray(containers) || containers.length === 0) return [{ field: `${field}.containers`, message: 'Required value', reason: 'FieldValueRequired' }];
  const problems: Array<{ field: string; message: string; reason?: string }> = [];
  containers.forEach((c, i) => {
    if (!isPlainObject(c) || typeof c.name !== 'string' || c.name === '') problems.push({ field: `${field}.containers[${i}].name`, message: 'Required value', reason: 'FieldValueRequired' });
    if (!isPlainObject(c) || typeof c.image !== 'string' || c.image === '') problems.push({ field: `${field}.containers[${i}].image`, message: 'Required value', reason: 'FieldValueRequired' });
  });
  return problems;
}
