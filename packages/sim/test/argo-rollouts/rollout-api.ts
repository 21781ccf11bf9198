import type { SimCluster } from '../../src/kube/index.ts';

/** Plain JSON over the sim's HTTP API, as any client (kubectl, the Argo plugin, client-node) would send it. */
export interface Json { [key: string]: unknown }

export const RO = '/apis/argoproj.io/v1alpha1';
export const ISTIO = '/apis/networking.istio.io/v1';

export function apiClient(sim: SimCluster, namespace: string) {
  async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${sim.url}${path}`, { method, headers: { 'content-type': contentType }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const parsed: unknown = await res.json();
    return { status: res.status, body: typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {} };
  }
  async function ok(method: string, path: string, body?: unknown, contentType?: string): Promise<Json> {
    const res = await send(method, path, body, contentType);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const ns = `/namespaces/${namespace}`;
  return {
    send,
    ok,
    create: (group: string, resource: string, obj: unknown) => ok('POST', `${group}${ns}/${resource}`, obj),
    get: (group: string, resource: string, name: string) => ok('GET', `${group}${ns}/${resource}/${name}`),
    list: async (group: string, resource: string, labelSelector?: string): Promise<Json[]> => {
      const body = await ok('GET', `${group}${ns}/${resource}${labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : ''}`);
      return Array.isArray(body.items) ? body.items.filter((i): i is Json => typeof i === 'object' && i !== null) : [];
    },
    /** A JSON merge patch, optionally on a subresource — exactly what `kubectl argo rollouts` sends. */
    mergePatch: (group: string, resource: string, name: string, patch: unknown, subresource?: string) =>
      ok('PATCH', `${group}${ns}/${resource}/${name}${subresource ? `/${subresource}` : ''}`, patch, 'application/merge-patch+json'),
    jsonPatch: (group: string, resource: string, name: string, patch: unknown) => ok('PATCH', `${group}${ns}/${resource}/${name}`, patch, 'application/json-patch+json'),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a path of plain objects / arrays out of JSON, for assertions. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isJson(current)) current = current[String(key)];
    else return undefined;
  }
  return current;
}

/** Polls `read` until `check` passes, returning the last value read; fails with what was last seen. */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await read();
  }
  return last;
}

/** Namespace and the three Services of the Istio host-split example: `api` (all pods), `api-canary`, `api-stable`. */
export async function createServices(api: ApiClient, namespace: string, names: string[]): Promise<void> {
  await api.ok('POST', '/api/v1/namespaces', { metadata: { name: namespace } });
  for (const name of names) {
    await api.create('/api/v1', 'services', { metadata: { name }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
}

export function rolloutManifest(options: { image: string; replicas: number; steps: unknown[]; trafficRouting?: unknown; canaryService?: string; stableService?: string }): Json {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'api' },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: options.image, ports: [{ containerPort: 8080 }] }] } },
      strategy: {
        canary: {
          ...(options.canaryService ? { canaryService: options.canaryService } : {}),
          ...(options.stableService ? { stableService: options.stableService } : {}),
          steps: options.steps,
          ...(options.trafficRouting ? { trafficRouting: options.trafficRouting } : {}),
        },
      },
    },
  };
}

/** The `kubectl argo rollouts set image` equivalent: a merge patch of the template's container image. */
export function setImage(api: ApiClient, image: string): Promise<Json> {
  return api.mergePatch(RO, 'rollouts', 'api', { spec: { template: { spec: { containers: [{ name: 'api', image, ports: [{ containerPort: 8080 }] }] } } } });
}

/** The VirtualService weights of its only HTTP route, by destination host (or `host/subset`). */
export async function vsWeights(api: ApiClient, name = 'api'): Promise<Record<string, unknown>> {
  const vs = await api.get(ISTIO, 'virtualservices', name);
  const route = at(vs, 'spec', 'http', 0, 'route');
  const weights: Record<string, unknown> = {};
  for (const entry of Array.isArray(route) ? route : []) {
    const host = at(entry, 'destination', 'host');
    const subset = at(entry, 'destination', 'subset');
    weights[typeof subset === 'string' ? `${String(host)}/${subset}` : String(host)] = at(entry, 'weight');
  }
  return weights;
}
