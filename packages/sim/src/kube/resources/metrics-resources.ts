import { createHash } from 'node:crypto';
import type { KubeObject, Pod } from '../kube-types.ts';
import { formatTimestamp } from '../kube-types.ts';
import type { ComputeSource, ResourceType } from '../resource-registry.ts';
import { nameColumn } from '../table.ts';

/** metrics-server's scrape window; usage is an average over it. */
const WINDOW = '15s';
/** What the node's own daemons (kubelet, runtime, system pods) use on top of the pods. */
const NODE_OVERHEAD = { nanoCores: 180_000_000, bytes: 850 * 2 ** 20 };

interface Usage {
  nanoCores: number;
  bytes: number;
}

/**
 * A container's simulated usage: steady per container (seeded by the pod's uid and the container's name), a
 * share of its requests when it has any, with a slow ±15% CPU wobble so repeated `kubectl top` calls look alive.
 */
function containerUsage(pod: Pod, container: { name: string; resources?: { requests?: Record<string, string> } }, now: number): Usage {
  const digest = createHash('sha256').update(`${pod.metadata.uid ?? pod.metadata.name ?? ''}/${container.name}`).digest();
  const share = 0.3 + ((digest[0] ?? 0) / 255) * 0.4;
  const requests = container.resources?.requests ?? {};
  const cpuRequest = parseQuantity(requests.cpu);
  const memoryRequest = parseQuantity(requests.memory);
  const baseCores = cpuRequest !== undefined ? cpuRequest * share : 0.002 + ((digest[1] ?? 0) / 255) * 0.038;
  const wobble = 1 + 0.15 * Math.sin(now / 30_000 + (digest[2] ?? 0));
  const bytes = memoryRequest !== undefined ? memoryRequest * share : (24 + ((digest[3] ?? 0) / 255) * 136) * 2 ** 20;
  return { nanoCores: Math.round(baseCores * wobble * 1e9), bytes: Math.round(bytes / 1024) * 1024 };
}

/** Containers running now, with their usage: metrics-server reports nothing for waiting or terminated ones. */
function runningContainers(pod: Pod, now: number): Array<{ name: string; usage: Usage }> {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return [];
  const running = new Set((pod.status.containerStatuses ?? []).filter((s) => s.state.running).map((s) => s.name));
  return pod.spec.containers.filter((c) => running.has(c.name)).map((c) => ({ name: c.name, usage: containerUsage(pod, c as Parameters<typeof containerUsage>[1], now) }));
}

function toWire(usage: Usage): { cpu: string; memory: string } {
  return { cpu: `${usage.nanoCores}n`, memory: `${Math.round(usage.bytes / 1024)}Ki` };
}

function podMetrics(source: ComputeSource, namespace: string | undefined): KubeObject[] {
  const now = source.now();
  const out: KubeObject[] = [];
  for (const pod of source.list('v1', 'pods', namespace) as Pod[]) {
    const containers = runningContainers(pod, now);
    if (containers.length === 0) continue;
    out.push({
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: formatTimestamp(now), ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
      timestamp: formatTimestamp(now - 5_000),
      window: WINDOW,
      containers: containers.map((c) => ({ name: c.name, usage: toWire(c.usage) })),
    });
  }
  return out;
}

function nodeMetrics(source: ComputeSource): KubeObject[] {
  const now = source.now();
  const pods = source.list('v1', 'pods') as Pod[];
  return source.list('v1', 'nodes').map((node) => {
    const total = { ...NODE_OVERHEAD };
    for (const pod of pods.filter((p) => p.spec.nodeName === node.metadata.name)) {
      for (const c of runningContainers(pod, now)) {
        total.nanoCores += c.usage.nanoCores;
        total.bytes += c.usage.bytes;
      }
    }
    return {
      metadata: { name: node.metadata.name, creationTimestamp: formatTimestamp(now), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
      timestamp: formatTimestamp(now - 5_000),
      window: WINDOW,
      usage: toWire(total),
    };
  });
}

function sumUsage(obj: KubeObject): { cpu: string; memory: string } {
  const containers = (obj.containers as Array<{ usage: { cpu: string; memory: string } }> | undefined) ?? [{ usage: obj.usage as { cpu: string; memory: string } }];
  const cpu = containers.reduce((sum, c) => sum + (parseQuantity(c.usage.cpu) ?? 0), 0);
  const memory = containers.reduce((sum, c) => sum + (parseQuantity(c.usage.memory) ?? 0), 0);
  return { cpu: `${Math.round(cpu * 1000)}m`, memory: `${Math.round(memory / 2 ** 10)}Ki` };
}

/** The columns metrics-server's table convertor prints for `kubectl get podmetrics` / `nodemetrics`. */
const METRICS_COLUMNS: ResourceType['columns'] = [
  nameColumn(),
  { name: 'CPU', type: 'string', description: 'CPU usage', priority: 0, cell: (o) => sumUsage(o).cpu },
  { name: 'Memory', type: 'string', description: 'Memory usage', priority: 0, cell: (o) => sumUsage(o).memory },
  { name: 'Window', type: 'string', description: 'Time window used to calculate usage', priority: 0, cell: (o) => String(o.window ?? '') },
];

/** metrics.k8s.io/v1beta1 PodMetrics, as metrics-server serves them: what `kubectl top pods` reads. */
export const podMetricsType: ResourceType = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resource: 'pods',
  singular: '',
  kind: 'PodMetrics',
  listKind: 'PodMetricsList',
  namespaced: true,
  verbs: ['get', 'list'],
  columns: METRICS_COLUMNS,
  computeItems: podMetrics,
};

/** metrics.k8s.io/v1beta1 NodeMetrics: the pods' usage on the node plus its own daemons'; `kubectl top nodes`. */
export const nodeMetricsType: ResourceType = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resource: 'nodes',
  singular: '',
  kind: 'NodeMetrics',
  listKind: 'NodeMetricsList',
  namespaced: false,
  verbs: ['get', 'list'],
  columns: METRICS_COLUMNS,
  computeItems: (source) => nodeMetrics(source),
};

const SUFFIXES: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** A Kubernetes quantity ("250m", "1.5", "128Mi") as a number of base units, or undefined when malformed. */
export function parseQuantity(text: unknown): number | undefined {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return undefined;
  const match = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(n|u|m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (SUFFIXES[match[2] ?? ''] ?? 1);
}
