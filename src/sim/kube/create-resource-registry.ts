import { deployments, replicaSets } from './resources/apps-resources.ts';
import { events, namespaces, nodes, pods, services } from './resources/core-resources.ts';
import { selfSubjectAccessReviews } from './resources/authorization-resources.ts';
import { eventsV1 } from './resources/events-v1-resource.ts';
import { httpRoutes } from './resources/gateway-resources.ts';
import { ResourceRegistry } from './resource-registry.ts';

/** The one place the sim's resource types are registered. Add a type here and the server serves it. */
export function createResourceRegistry(): ResourceRegistry {
  const registry = new ResourceRegistry();
  for (const type of [namespaces, nodes, pods, services, events, eventsV1, deployments, replicaSets, httpRoutes, selfSubjectAccessReviews]) registry.register(type);
  return registry;
}
