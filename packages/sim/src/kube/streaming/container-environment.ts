import type { KubeObject, Pod } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';

/** What the environment is built from, read from the store by the caller. */
export interface EnvironmentSources {
  /** Services of the pod's namespace (service links) plus `default/kubernetes`. */
  services: KubeObject[];
  configMap(name: string): KubeObject | undefined;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: { name?: string; key?: string }; fieldRef?: { fieldPath?: string } };
}

/**
 * The environment a container process sees, in the kubelet's order: PATH and HOSTNAME, the container's own
 * `env` (literal values, ConfigMap keys and the downward API's pod fields), then the service links
 * (`API_SERVICE_HOST`…) when `enableServiceLinks` is on, and HOME.
 */
export function containerEnvironment(pod: Pod, containerName: string, sources: EnvironmentSources, tty: boolean): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod.metadata.name ?? '',
  };
  if (tty) env.TERM = 'xterm';
  const container = pod.spec.containers.find((c) => c.name === containerName);
  for (const variable of (container?.env as EnvVar[] | undefined) ?? []) {
    const value = variable.value ?? valueFrom(variable, pod, sources);
    if (value !== undefined) env[variable.name] = value;
  }
  const links = pod.spec.enableServiceLinks !== false;
  for (const service of sources.services) {
    const isMaster = service.metadata.namespace === 'default' && service.metadata.name === 'kubernetes';
    if (!links && !isMaster) continue;
    Object.assign(env, serviceLinkVariables(service));
  }
  env.HOME = '/root';
  return env;
}

function valueFrom(variable: EnvVar, pod: Pod, sources: EnvironmentSources): string | undefined {
  const ref = variable.valueFrom?.configMapKeyRef;
  if (ref?.name && ref.key) {
    const data = sources.configMap(ref.name)?.data;
    return isPlainObject(data) && typeof data[ref.key] === 'string' ? data[ref.key] as string : undefined;
  }
  switch (variable.valueFrom?.fieldRef?.fieldPath) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName;
    case 'status.podIP':
      return pod.status?.podIP;
    case 'status.hostIP':
      return pod.status?.hostIP;
    default:
      return undefined;
  }
}

/** Docker-links style variables of one ClusterIP Service, as the kubelet writes them. */
function serviceLinkVariables(service: KubeObject): Record<string, string> {
  const spec = (isPlainObject(service.spec) ? service.spec : {}) as { clusterIP?: string; ports?: Array<{ name?: string; port?: number; protocol?: string }> };
  const ip = spec.clusterIP;
  const ports = spec.ports ?? [];
  const first = ports[0];
  if (!ip || ip === 'None' || !first?.port) return {};
  const prefix = (service.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
  const out: Record<string, string> = {
    [`${prefix}_SERVICE_HOST`]: ip,
    [`${prefix}_SERVICE_PORT`]: String(first.port),
    [`${prefix}_PORT`]: `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`,
  };
  for (const port of ports) {
    if (port.name) out[`${prefix}_SERVICE_PORT_${port.name.toUpperCase().replace(/-/g, '_')}`] = String(port.port);
    const protocol = (port.protocol ?? 'TCP').toUpperCase();
    const key = `${prefix}_PORT_${port.port}_${protocol}`;
    out[key] = `${protocol.toLowerCase()}://${ip}:${port.port}`;
    out[`${key}_PROTO`] = protocol.toLowerCase();
    out[`${key}_PORT`] = String(port.port);
    out[`${key}_ADDR`] = ip;
  }
  return out;
}

/** The files a simulated container has: the ones the kubelet mounts, and an os-release naming the sim. */
export function containerFiles(pod: Pod): Record<string, string> {
  const name = pod.metadata.name ?? '';
  const namespace = pod.metadata.namespace ?? 'default';
  const ip = pod.status?.podIP ?? '';
  return {
    '/etc/hostname': `${name}\n`,
    '/etc/hosts': ['# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters', ...(ip ? [`${ip}\t${name}`] : []), ''].join('\n'),
    '/etc/resolv.conf': `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
    '/etc/os-release': 'NAME="Deckhand simulated container"\nID=deckhand-sim\nPRETTY_NAME="Deckhand simulated container (no real processes)"\n',
    '/var/run/secrets/kubernetes.io/serviceaccount/namespace': namespace,
  };
}
