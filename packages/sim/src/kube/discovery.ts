import type { ResourceRegistry, ResourceType } from './resource-registry.ts';


/** The version the sim claims; kubectl 1.32 warns beyond ±1 minor, so this tracks the installed client. */
export const SIM_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-deckhand-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * Legacy (unaggregated) discovery documents. kubectl 1.32 first asks for the aggregated
 * `apidiscovery.k8s.io/v2` form; answering plain `application/json` makes it fall back to these, one request per
 * group version, as it does against any server without aggregated discovery.
 */
export function coreApiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupNames(registry).map((name) => apiGroup(registry, name)) };
}

export function apiGroup(registry: ResourceRegistry, name: string): Record<string, unknown> | undefined {
  const versions = registry.groupVersions().filter((gv) => gv.includes('/') && gv.split('/')[0] === name);
  const first = versions[0];
  if (!first) return undefined;
  const toVersion = (gv: string) => ({ groupVersion: gv, version: gv.split('/')[1] ?? '' });
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: versions.map(toVersion), preferredVersion: toVersion(first) };
}

export function apiResourceList(registry: ResourceRegistry, gv: string): Record<string, unknown> | undefined {
  const types = registry.resourcesIn(gv);
  if (types.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: types.flatMap(describeResource) };
}

function describeResource(type: ResourceType): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs ?? VERBS,
  };
  if (type.shortNames) main.shortNames = type.shortNames;
  if (type.categories) main.categories = type.categories;
  const subresources = (type.subresources ?? []).map((sub) => {
    if (sub === 'scale') return { name: `${type.resource}/scale`, singularName: '', namespaced: type.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    if (sub === 'log') return { name: `${type.resource}/log`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get'] };
    if (sub === 'exec' || sub === 'portforward' || sub === 'attach') return { name: `${type.resource}/${sub}`, singularName: '', namespaced: type.namespaced, kind: sub === 'portforward' ? 'PodPortForwardOptions' : sub === 'exec' ? 'PodExecOptions' : 'PodAttachOptions', verbs: ['create', 'get'] };
    if (sub === 'finalize') return { name: `${type.resource}/finalize`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['update'] };
    return { name: `${type.resource}/${sub}`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] };
  });
  return [main, ...subresources];
}

function groupNames(registry: ResourceRegistry): string[] {
  const names = registry.all().filter((t) => t.group !== '').map((t) => t.group);
  return [...new Set(names)];
}

