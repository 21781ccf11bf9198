import { createHash } from 'node:crypto';
import { ageSince } from '../human-duration.ts';
import type { KubeObject, Pod } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ResourceType } from '../resource-registry.ts';
import { ageColumn, nameColumn } from '../table.ts';
import { applyPodSpecDefaults, validatePodSpec } from './pod-spec-defaults.ts';
import { podReadyCount, podRestarts, podStatusReason } from './pod-display.ts';

export const namespaces: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  namespaced: false,
  shortNames: ['ns'],
  subresources: ['status', 'finalize'],
  statusIsSubresource: false,
  columns: [
    nameColumn(),
    { name: 'Status', type: 'string', description: 'The status of the namespace', priority: 0, cell: (o) => String((o.status as { phase?: string } | undefined)?.phase ?? '') },
    ageColumn(),
  ],
  applyDefaults: (obj) => {
    const name = obj.metadata.name ?? '';
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
    obj.spec = { finalizers: ['kubernetes'], ...(isPlainObject(obj.spec) ? obj.spec : {}) };
    obj.status = { phase: 'Active', ...(isPlainObject(obj.status) ? obj.status : {}) };
  },
};

export const pods: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'pods',
  singular: 'pod',
  kind: 'Pod',
  listKind: 'PodList',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'log', 'exec', 'portforward', 'attach'],
  statusIsSubresource: true,
  // Unscheduled pods have no kubelet to stop them: they go at once, as on a real cluster.
  gracefulDeletion: (obj) => ((obj as Pod).spec.nodeName ? Number((obj as Pod).spec.terminationGracePeriodSeconds ?? 30) : undefined),
  columns: [
    nameColumn(),
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', priority: 0, cell: (o) => podReadyCount(o as Pod) },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', priority: 0, cell: (o) => podStatusReason(o as Pod) },
    { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.', priority: 0, cell: (o, now) => podRestarts(o as Pod, now) },
    ageColumn(),
    { name: 'IP', type: 'string', description: 'The IP address assigned to the pod', priority: 1, cell: (o) => (o as Pod).status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', description: 'The name of the node assigned to the pod', priority: 1, cell: (o) => (o as Pod).spec.nodeName ?? '<none>' },
    { name: 'Nominated Node', type: 'string', description: 'The name of the node nominated by the scheduler', priority: 1, cell: () => '<none>' },
    { name: 'Readiness Gates', type: 'string', description: 'The readiness gates of the pod', priority: 1, cell: () => '<none>' },
  ],
  applyDefaults: (obj) => {
    applyPodSpecDefaults(obj.spec);
    if (isPlainObject(obj.spec)) {
      obj.spec.serviceAccountName ??= 'default';
      obj.spec.enableServiceLinks ??= true;
      obj.spec.priority ??= 0;
    }
    obj.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
  },
  validate: (obj) => validatePodSpec(obj.spec, 'spec'),
};

export const services: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'services',
  singular: 'service',
  kind: 'Service',
  listKind: 'ServiceList',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status'],
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Type', type: 'string', description: 'The type of the service', priority: 0, cell: (o) => String(serviceSpec(o).type ?? 'ClusterIP') },
    { name: 'Cluster-IP', type: 'string', description: 'The cluster IP of the service', priority: 0, cell: (o) => String(serviceSpec(o).clusterIP ?? '<none>') },
    { name: 'External-IP', type: 'string', description: 'The external IP of the service', priority: 0, cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', description: 'The ports of the service', priority: 0, cell: (o) => formatServicePorts(serviceSpec(o).ports) },
    ageColumn(),
    { name: 'Selector', type: 'string', description: 'The selector of the service', priority: 1, cell: (o) => Object.entries((serviceSpec(o).selector as Record<string, string> | undefined) ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>' },
  ],
  applyDefaults: (obj) => {
    const spec = (obj.spec = isPlainObject(obj.spec) ? obj.spec : {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      spec.clusterIP ??= clusterIpFor(`${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`);
      spec.clusterIPs ??= [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    if (Array.isArray(spec.ports)) {
      for (const port of spec.ports) {
        if (!isPlainObject(port)) continue;
        port.protocol ??= 'TCP';
        port.targetPort ??= port.port ?? 0;
      }
    }
    obj.status ??= { loadBalancer: {} };
  },
};

export const events: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  namespaced: true,
  shortNames: ['ev'],
  columns: [
    { name: 'Last Seen', type: 'string', description: 'Time when last event occurred', priority: 0, cell: (o, now) => ageSince(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, now) },
    { name: 'Type', type: 'string', description: 'Type of this event', priority: 0, cell: (o) => String(o.type ?? '') },
    { name: 'Reason', type: 'string', description: 'Reason is why the action was taken', priority: 0, cell: (o) => String(o.reason ?? '') },
    { name: 'Object', type: 'string', description: 'The object this Event is about', priority: 0, cell: (o) => involvedObjectName(o) },
    { name: 'Subobject', type: 'string', description: 'The subobject this Event is about', priority: 1, cell: (o) => String((o.involvedObject as { fieldPath?: string } | undefined)?.fieldPath ?? '') },
    { name: 'Source', type: 'string', description: 'The source component', priority: 1, cell: (o) => String((o.source as { component?: string } | undefined)?.component ?? '') },
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation', priority: 0, cell: (o) => String(o.message ?? '') },
    { name: 'First Seen', type: 'string', description: 'The time at which the event was first recorded', priority: 1, cell: (o, now) => ageSince(o.firstTimestamp, now) },
    { name: 'Count', type: 'string', description: 'The number of times this event has occurred', priority: 1, cell: (o) => String(o.count ?? 1) },
    { name: 'Name', type: 'string', description: 'The name of the event', priority: 1, cell: (o) => o.metadata.name ?? '' },
  ],
};

function serviceSpec(obj: KubeObject): Record<string, unknown> {
  return isPlainObject(obj.spec) ? obj.spec : {};
}

function formatServicePorts(ports: unknown): string {
  if (!Array.isArray(ports) || ports.length === 0) return '<none>';
  return ports.map((p: { port?: number; nodePort?: number; protocol?: string }) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function involvedObjectName(obj: KubeObject): string {
  const involved = obj.involvedObject as { kind?: string; name?: string } | undefined;
  return `${(involved?.kind ?? '').toLowerCase()}/${involved?.name ?? ''}`;
}

/** A stable address in 10.96.0.0/16 per service, so restarting the sim does not reshuffle ClusterIPs. */
function clusterIpFor(key: string): string {
  const digest = createHash('sha256').update(key).digest();
  return `10.96.${digest[0] ?? 0}.${((digest[1] ?? 0) % 253) + 2}`;
}

export const nodes: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  singular: 'node',
  kind: 'Node',
  listKind: 'NodeList',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status'],
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Status', type: 'string', description: 'The status of the node', priority: 0, cell: (o) => ((o.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady') },
    { name: 'Roles', type: 'string', description: 'The roles of the node', priority: 0, cell: (o) => Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).join(',') || '<none>' },
    ageColumn(),
    { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', priority: 0, cell: (o) => String((o.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion ?? '') },
    { name: 'Internal-IP', type: 'string', description: 'List of internal IPs', priority: 1, cell: (o) => String((o.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>') },
    { name: 'External-IP', type: 'string', description: 'List of external IPs', priority: 1, cell: () => '<none>' },
    { name: 'OS-Image', type: 'string', description: 'OS image reported by the node', priority: 1, cell: (o) => String((o.status as { nodeInfo?: { osImage?: string } } | undefined)?.nodeInfo?.osImage ?? '<unknown>') },
    { name: 'Kernel-Version', type: 'string', description: 'Kernel version reported by the node', priority: 1, cell: (o) => String((o.status as { nodeInfo?: { kernelVersion?: string } } | undefined)?.nodeInfo?.kernelVersion ?? '<unknown>') },
    { name: 'Container-Runtime', type: 'string', description: 'Container runtime reported by the node', priority: 1, cell: (o) => String((o.status as { nodeInfo?: { containerRuntimeVersion?: string } } | undefined)?.nodeInfo?.containerRuntimeVersion ?? '<unknown>') },
  ],
};
