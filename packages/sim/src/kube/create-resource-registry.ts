import { deployments, replicaSets } from './resources/apps-resources.ts';
import { events, namespaces, nodes, pods, services } from './resources/core-resources.ts';
import { configMaps, ingresses } from './resources/config-resources.ts';
import { nodeMetricsType, podMetricsType } from './resources/metrics-resources.ts';
import { selfSubjectAccessReviews } from './resources/authorization-resources.ts';
import { eventsV1 } from './resources/events-v1-resource.ts';
import { httpRoutes } from './resources/gateway-resources.ts';
import { ResourceRegistry } from './resource-registry.ts';

/** The one place the sim's resource types are registered. Add a type here and the server serves it. */
export function createResourceRegistry(): ResourceRegistry {
  const registry = new ResourceRegistry();
  const types = [namespaces, nodes, pods, services, configMaps, events, eventsV1, deployments, replicaSets, ingresses, httpRoutes, selfSubjectAccessReviews, podMetricsType, nodeMetricsType];
  for (const type of types) registry.register(type);
  return registry;
}
