import { deployments, replicaSets } from './resources/apps-resources.ts';
import { events, namespaces, nodes, pods, services } from './resources/core-resources.ts';
import { configMaps, ingresses } from './resources/config-resources.ts';
import { nodeMetricsType, podMetricsType } from './resources/metrics-resources.ts';
import { selfSubjectAccessReviews } from './resources/authorization-resources.ts';
import { eventsV1 } from './resources/events-v1-resource.ts';
import { httpRoutes } from './resources/gateway-resources.ts';
import { analysisRuns, analysisTemplates, clusterAnalysisTemplates, rollouts } from './resources/argo-rollouts-resources.ts';
import { destinationRules, destinationRulesV1beta1, virtualServices, virtualServicesV1beta1 } from './resources/istio-resources.ts';
import { applications } from './resources/argo-cd-resources.ts';
import { ResourceRegistry } from './resource-registry.ts';

/** The one place the sim's resource types are registered. Add a type here and the server serves it. */
export function createResourceRegistry(): ResourceRegistry {
  const registry = new ResourceRegistry();
  const types = [namespaces, nodes, pods, services, configMaps, events, eventsV1, deployments, replicaSets, ingresses, httpRoutes, selfSubjectAccessReviews, podMetricsType, nodeMetricsType, applications, rollouts, analysisRuns, analysisTemplates, clusterAnalysisTemplates, virtualServices, destinationRules, virtualServicesV1beta1, destinationRulesV1beta1];
  for (const type of types) registry.register(type);
  return registry;
}
