import { SimError } from '../errors.ts';
import { SIM_NODE_NAME } from './controllers/kubelet.ts';
import type { Deployment, KubeObject } from './kube-types.ts';
import { formatTimestamp } from './kube-types.ts';
import type { ObjectStore } from './object-store.ts';
import type { ResourceRegistry } from './resource-registry.ts';
import { storageKey } from './resource-registry.ts';

/** A deployment the sim starts with, already rolled out (revision 1, all replicas ready), plus its Service. */
export interface SeedDeployment {
  namespace: string;
  name: string;
  container: string;
  image: string;
  replicas: number;
  labels?: Record<string, string>;
  progressDeadlineSeconds?: number;
}

/** Namespaces every cluster has. */
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The namespaces, the `kubernetes` Service and the one node every sim cluster starts with. */
export function createBuiltinObjects(store: ObjectStore, registry: ResourceRegistry): void {
  const namespaces = requireType(registry, 'v1', 'namespaces');
  for (const name of BUILTIN_NAMESPACES) store.create(namespaces, { metadata: { name } });
  store.create(requireType(registry, 'v1', 'services'), {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  const now = formatTimestamp(store.now());
  const nodes = requireType(registry, 'v1', 'nodes');
  const node = store.create(nodes, {
    metadata: { name: SIM_NODE_NAME, labels: { 'kubernetes.io/hostname': SIM_NODE_NAME, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/control-plane': '' } },
    spec: { podCIDR: '10.244.0.0/24' },
  });
  // Node status is a subresource: written by "its kubelet", after registration.
  store.update(nodes, {
    ...node,
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: SIM_NODE_NAME }],
      capacity: { cpu: '8', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Deckhand simulated node', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://1.7.0', operatingSystem: 'linux', architecture: 'amd64' },
    },
  }, { subresource: 'status' });
}

/** Creates each seed's namespace (if new), Deployment and ClusterIP Service on port 80 → 8080. */
export function createSeedObjects(store: ObjectStore, registry: ResourceRegistry, seeds: SeedDeployment[]): void {
  const namespaces = requireType(registry, 'v1', 'namespaces');
  const deployments = requireType(registry, 'apps/v1', 'deployments');
  const services = requireType(registry, 'v1', 'services');
  for (const seed of seeds) {
    if (!store.get(namespaces, undefined, seed.namespace)) store.create(namespaces, { metadata: { name: seed.namespace } });
    const labels = { app: seed.name, ...seed.labels };
    const deployment: Deployment = {
      metadata: { name: seed.name, namespace: seed.namespace, labels },
      spec: {
        replicas: seed.replicas,
        selector: { matchLabels: { app: seed.name } },
        template: { metadata: { labels }, spec: { containers: [{ name: seed.container, image: seed.image, ports: [{ containerPort: 8080, name: 'http' }] }] } },
        ...(seed.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: seed.progressDeadlineSeconds } : {}),
      },
    };
    store.create(deployments, deployment);
    const service: KubeObject = {
      metadata: { name: seed.name, namespace: seed.namespace, labels },
      spec: { selector: { app: seed.name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    };
    if (!store.get(services, seed.namespace, seed.name)) store.create(services, service);
  }
}

/**
 * Creates manifests as a team would apply them at start (a Rollout and its Services, a VirtualService, analysis
 * templates …), each by its apiVersion and kind, with its namespace when new. The controllers take them from there.
 */
export function createSeedManifests(store: ObjectStore, registry: ResourceRegistry, manifests: readonly KubeObject[]): void {
  const namespaces = requireType(registry, 'v1', 'namespaces');
  for (const m of manifests) {
    const type = registry.lookupKind(String(m.apiVersion), String(m.kind));
    if (!type) throw new SimError(`The simulated cluster serves no ${String(m.kind)} in ${String(m.apiVersion)}.`);
    const ns = m.metadata.namespace;
    if (type.namespaced && ns && !store.get(namespaces, undefined, ns)) store.create(namespaces, { metadata: { name: ns } });
    store.create(type, m);
  }
}

/** Resolves once every seeded deployment reports a complete rollout; rejects after `timeoutMs`. */
export function waitForSeedRollouts(store: ObjectStore, registry: ResourceRegistry, seeds: SeedDeployment[], timeoutMs = 15_000): Promise<void> {
  const deployments = requireType(registry, 'apps/v1', 'deployments');
  const key = storageKey(deployments);
  const complete = (d: Deployment | undefined, replicas: number) =>
    d !== undefined && (d.status?.availableReplicas ?? 0) === replicas && (d.status?.updatedReplicas ?? 0) === replicas && (d.status?.replicas ?? 0) === replicas
    && (d.status?.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable');
  // Only deployment events can complete a seed, and each is checked on its own event: no rescans.
  const pending = new Map(seeds.map((seed) => [`${seed.namespace}/${seed.name}`, seed.replicas]));
  for (const seed of seeds) {
    if (complete(store.get(deployments, seed.namespace, seed.name) as Deployment | undefined, seed.replicas)) pending.delete(`${seed.namespace}/${seed.name}`);
  }
  return new Promise((resolve, reject) => {
    if (pending.size === 0) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new SimError(`The simulated cluster could not roll out its seed deployments within ${timeoutMs} ms.`));
    }, timeoutMs);
    const unsubscribe = store.subscribe((event) => {
      if (event.storageKey !== key || event.type === 'DELETED') return;
      const id = `${event.object.metadata.namespace ?? ''}/${event.object.metadata.name ?? ''}`;
      const replicas = pending.get(id);
      if (replicas === undefined || !complete(event.object as Deployment, replicas)) return;
      pending.delete(id);
      if (pending.size > 0) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

function requireType(registry: ResourceRegistry, gv: string, resource: string) {
  const type = registry.lookup(gv, resource);
  if (!type) throw new SimError(`The sim has no ${resource} type registered.`);
  return type;
}
