import { isPlainObject } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { MANAGED_BY_ANNOTATION, ROLLOUT_HASH_LABEL } from './rollout-types.ts';

/**
 * Points a Service the Rollout names (canaryService, stableService, activeService, previewService) at one pod
 * hash: the real controller adds `rollouts-pod-template-hash` to its selector and the managed-by annotation.
 * A Service that does not exist is left alone.
 */
export function pointService(store: ObjectStore, services: ResourceType, namespace: string, serviceName: string | undefined, hash: string, rolloutName: string): void {
  if (!serviceName) return;
  const service = store.get(services, namespace, serviceName);
  if (!service) return;
  const spec = isPlainObject(service.spec) ? service.spec : {};
  const selector = isPlainObject(spec.selector) ? spec.selector : {};
  if (selector[ROLLOUT_HASH_LABEL] === hash && service.metadata.annotations?.[MANAGED_BY_ANNOTATION] === rolloutName) return;
  store.update(services, {
    ...service,
    metadata: { ...service.metadata, annotations: { ...service.metadata.annotations, [MANAGED_BY_ANNOTATION]: rolloutName } },
    spec: { ...spec, selector: { ...selector, [ROLLOUT_HASH_LABEL]: hash } },
  });
}
