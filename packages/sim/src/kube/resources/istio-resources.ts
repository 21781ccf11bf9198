import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ResourceType } from '../resource-registry.ts';
import { ageColumn, nameColumn } from '../table.ts';
import { crdSchemaProblems } from './crd-schema-problems.ts';

function specField(obj: KubeObject, field: string): unknown {
  return isPlainObject(obj.spec) ? obj.spec[field] : undefined;
}

/** A CRD printer column over an array prints it as JSON (`["mesh"]`), as the API server's table convertor does. */
function listCell(value: unknown): string {
  return Array.isArray(value) ? JSON.stringify(value) : '';
}

/*
 * networking.istio.io v1 and v1beta1 have the same schema (v1 was promoted from v1beta1 unchanged), so both are
 * validated with the v1beta1 model, its apiVersion set to match. v1 is registered first: it is the preferred
 * (storage) version, as in Istio's CRDs since 1.22; v1beta1 reads and writes the same objects.
 */
export const virtualServices: ResourceType = {
  group: 'networking.istio.io',
  version: 'v1',
  resource: 'virtualservices',
  singular: 'virtualservice',
  kind: 'VirtualService',
  listKind: 'VirtualServiceList',
  namespaced: true,
  shortNames: ['vs'],
  categories: ['istio-io', 'networking-istio-io'],
  subresources: ['status'],
  tracksGeneration: true,
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Gateways', type: 'string', description: 'The names of gateways and sidecars that should apply these routes', priority: 0, cell: (o) => listCell(specField(o, 'gateways')) },
    { name: 'Hosts', type: 'string', description: 'The destination hosts to which traffic is being sent', priority: 0, cell: (o) => listCell(specField(o, 'hosts')) },
    ageColumn(),
  ],
  validate: (obj) => crdSchemaProblems(Object.assign(new VirtualService(), obj, { apiVersion: VirtualService.apiVersion })),
};

export const destinationRules: ResourceType = {
  group: 'networking.istio.io',
  version: 'v1',
  resource: 'destinationrules',
  singular: 'destinationrule',
  kind: 'DestinationRule',
  listKind: 'DestinationRuleList',
  namespaced: true,
  shortNames: ['dr'],
  categories: ['istio-io', 'networking-istio-io'],
  subresources: ['status'],
  tracksGeneration: true,
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Host', type: 'string', description: 'The name of a service from the service registry', priority: 0, cell: (o) => { const host = specField(o, 'host'); return typeof host === 'string' ? host : ''; } },
    ageColumn(),
  ],
  validate: (obj) => crdSchemaProblems(Object.assign(new DestinationRule(), obj, { apiVersion: DestinationRule.apiVersion })),
};

/** The same type served at another version over the v1 objects: only apiVersion differs on the way out. */
function servedAlsoAs(type: ResourceType, version: string): ResourceType {
  return {
    ...type,
    version,
    storedAs: { groupVersion: `${type.group}/${type.version}`, resource: type.resource, toStorage: (obj) => obj, fromStorage: (obj) => obj },
  };
}

export const virtualServicesV1beta1 = servedAlsoAs(virtualServices, 'v1beta1');
export const destinationRulesV1beta1 = servedAlsoAs(destinationRules, 'v1beta1');
