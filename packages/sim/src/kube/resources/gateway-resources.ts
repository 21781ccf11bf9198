import type { ResourceType } from '../resource-registry.ts';
import { ageColumn, nameColumn } from '../table.ts';

/** Gateway API HTTPRoute: stored and served generically (no controller); traffic routers read/patch its weights. */
export const httpRoutes: ResourceType = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  resource: 'httproutes',
  singular: 'httproute',
  kind: 'HTTPRoute',
  listKind: 'HTTPRouteList',
  namespaced: true,
  categories: ['gateway-api'],
  subresources: ['status'],
  tracksGeneration: true,
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Hostnames', type: 'string', description: 'Hostnames the route matches', priority: 0, cell: (o) => ((o.spec as { hostnames?: string[] } | undefined)?.hostnames ?? []).join(',') || '' },
    ageColumn(),
  ],
};
