import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ResourceType } from '../resource-registry.ts';
import { ageColumn, nameColumn } from '../table.ts';

/** Keys of `data` / `binaryData`: what the API server's IsConfigMapKey accepts. */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** ConfigMap: stored as sent, validated like the API server's ValidateConfigMap (string values, valid keys). */
export const configMaps: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  namespaced: true,
  shortNames: ['cm'],
  columns: [
    nameColumn(),
    { name: 'Data', type: 'integer', description: 'Number of keys in the data and binaryData of the config map', priority: 0, cell: (o) => keysOf(o.data).length + keysOf(o.binaryData).length },
    ageColumn(),
  ],
  validate: (obj) => [...validateKeys(obj, 'data'), ...validateKeys(obj, 'binaryData'), ...duplicateKeys(obj)],
};

function keysOf(value: unknown): string[] {
  return isPlainObject(value) ? Object.keys(value) : [];
}

function validateKeys(obj: KubeObject, field: 'data' | 'binaryData'): Array<{ field: string; message: string; reason?: string }> {
  const value = obj[field];
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) return [{ field, message: `Invalid value: must be a map of strings`, reason: 'FieldValueTypeInvalid' }];
  const problems: Array<{ field: string; message: string; reason?: string }> = [];
  for (const [key, entry] of Object.entries(value)) {
    if (key.length > 253 || !CONFIG_MAP_KEY.test(key)) {
      problems.push({ field: `${field}[${key}]`, message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'` });
    }
    if (typeof entry !== 'string') problems.push({ field: `${field}[${key}]`, message: 'Invalid value: must be a string', reason: 'FieldValueTypeInvalid' });
  }
  return problems;
}

function duplicateKeys(obj: KubeObject): Array<{ field: string; message: string }> {
  const text = new Set(keysOf(obj.data));
  return keysOf(obj.binaryData).filter((key) => text.has(key)).map((key) => ({ field: `data[${key}]`, message: `Invalid value: "${key}": duplicate of key present in binaryData` }));
}

interface IngressSpec {
  ingressClassName?: string;
  rules?: Array<{ host?: string }>;
  tls?: unknown[];
}

/** At most three hosts, then "+ N more...", "*" when no rule names one — kubectl's formatHosts for Ingress. */
function formatIngressHosts(spec: IngressSpec): string {
  const rules = spec.rules ?? [];
  const hosts = rules.slice(0, 3).map((r) => r.host ?? '').filter((h) => h !== '');
  if (hosts.length === 0) return '*';
  return rules.length > 3 ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

function formatIngressAddress(obj: KubeObject): string {
  const ingress = (obj.status as { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } | undefined)?.loadBalancer?.ingress ?? [];
  return ingress.map((i) => i.ip ?? i.hostname ?? '').filter((a) => a !== '').join(',');
}

function ingressSpec(obj: KubeObject): IngressSpec {
  return isPlainObject(obj.spec) ? (obj.spec as IngressSpec) : {};
}

/**
 * networking.k8s.io/v1 Ingress: stored and served generically. No ingress controller runs in the sim, so the
 * address stays empty unless something writes the status — as on a cluster without one.
 */
export const ingresses: ResourceType = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingresses',
  singular: 'ingress',
  kind: 'Ingress',
  listKind: 'IngressList',
  namespaced: true,
  shortNames: ['ing'],
  subresources: ['status'],
  tracksGeneration: true,
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Class', type: 'string', description: 'The name of the IngressClass resource that should be used for ingress', priority: 0, cell: (o) => ingressSpec(o).ingressClassName ?? '<none>' },
    { name: 'Hosts', type: 'string', description: 'Hosts that incoming requests are matched against before the ingress rule', priority: 0, cell: (o) => formatIngressHosts(ingressSpec(o)) },
    { name: 'Address', type: 'string', description: 'Address is a list containing ingress points for the load-balancer', priority: 0, cell: (o) => formatIngressAddress(o) },
    { name: 'Ports', type: 'string', description: 'Ports of TLS configurations that open', priority: 0, cell: (o) => ((ingressSpec(o).tls ?? []).length > 0 ? '80, 443' : '80') },
    ageColumn(),
  ],
  applyDefaults: (obj) => {
    obj.status ??= { loadBalancer: {} };
    const spec = ingressSpec(obj);
    for (const rule of spec.rules ?? []) {
      const paths = (rule as { http?: { paths?: Array<Record<string, unknown>> } }).http?.paths ?? [];
      for (const path of paths) path.pathType ??= 'ImplementationSpecific';
    }
  },
  validate: (obj) => {
    const spec = ingressSpec(obj);
    const problems: Array<{ field: string; message: string; reason?: string }> = [];
    const backend = (spec as { defaultBackend?: unknown }).defaultBackend;
    if ((spec.rules ?? []).length === 0 && backend === undefined) {
      problems.push({ field: 'spec', message: 'Invalid value: ...: either `defaultBackend` or `rules` must be specified' });
    }
    return problems;
  },
};
