import { createServer, request, type Server } from 'node:http';
import { renderKubeconfig } from '@deckhand/sim/kube';
import { worldConfig, startWorld, type World } from '../helpers/world.ts';

/**
 * A world with one service, `search`, delivered by Argo Rollouts in `staging` (namespace `shop`): a Rollout with an
 * Istio VirtualService, as in Argo's own Istio host-split example. No Deployment is seeded for it: the Rollout and
 * its Services are created by each test, as a team's manifests would.
 */
export const ARGO_CONFIG = `
services:
  search:
    team: search
    repository: acme/search
    image: registry.local/acme/search
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: shop, deployment: search, container: search, replicas: 4, delivery: { kind: argo-rollouts, dashboardUrl: 'https://rollouts.example.com' } }
groups:
  search: [alice, dave]
  approvers: [bob, carol]
sandbox:
  readyDelayMs: 20
`;

export const RO = '/apis/argoproj.io/v1alpha1/namespaces/shop';
export const ISTIO = '/apis/networking.istio.io/v1/namespaces/shop';
export const IMAGE = 'registry.local/acme/search';

/** Plain JSON as the API serves it; read with `at`. */
export type Json = Record<string, unknown>;

export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current)) current = current[Number(key)];
    else if (current && typeof current === 'object') current = new Map(Object.entries(current)).get(String(key));
    else return undefined;
  }
  return current;
}

/** A write Deckhand sent to the cluster, as it went over the wire. */
export interface Write { method: string; path: string; contentType: string; body: unknown }

/**
 * A plain HTTP proxy in front of the simulated API server that records every write: what the tests compare with what
 * the plugin sends. Everything, watches included, is passed through untouched.
 */
async function startRecordingProxy(target: () => string): Promise<{ url: string; writes: Write[]; close(): Promise<void> }> {
  const writes: Write[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'PATCH' || req.method === 'PUT' || req.method === 'POST') {
        const text = body.toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* kept as text */ }
        writes.push({ method: req.method, path: (req.url ?? '').replace(/\?.*$/, ''), contentType: String(req.headers['content-type'] ?? ''), body: parsed });
      }
      const up = request(new URL(req.url ?? '/', target()), { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`,
    writes,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface ArgoWorld extends World {
  send(method: string, path: string, body?: unknown, contentType?: string): Promise<Json>;
  rollout(): Promise<Json>;
  /** The weights of the VirtualService's first HTTP route, by host (or `host/subset`). */
  weights(name?: string): Promise<Record<string, unknown>>;
  until(what: string, check: (ro: Json) => boolean, timeoutMs?: number): Promise<Json>;
  /** Every PATCH/PUT the sim received for Rollouts, in order: what Deckhand sent, the way the plugin sends it. */
  writes(): Write[];
}

/** Starts the world, then the Services, the VirtualService and the Rollout at `v1.0.0`, Healthy. */
export async function startArgoWorld(steps: unknown[]): Promise<ArgoWorld> {
  let simUrl = '';
  const proxy = await startRecordingProxy(() => simUrl);
  const world = await startWorld({ config: worldConfig(ARGO_CONFIG), deckhand: { kube: { kubeconfigYaml: renderKubeconfig(proxy.url) }, progressive: { pollMs: 50 } } });
  simUrl = world.sim.url;
  async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Json> {
    const res = await fetch(`${world.sim.url}${path}`, { method, headers: { 'content-type': contentType }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const parsed: unknown = await res.json();
    if (res.status >= 300 && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...parsed } : {};
  }
  await send('POST', '/api/v1/namespaces', { metadata: { name: 'shop' } });
  for (const name of ['search', 'search-canary', 'search-stable']) {
    await send('POST', '/api/v1/namespaces/shop/services', { metadata: { name }, spec: { selector: { app: 'search' }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  await send('POST', `${ISTIO}/virtualservices`, {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'search' },
    spec: { hosts: ['search'], http: [{ name: 'primary', route: [{ destination: { host: 'search-stable' }, weight: 100 }, { destination: { host: 'search-canary' }, weight: 0 }] }] },
  });
  await send('POST', `${RO}/rollouts`, {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'search' },
    spec: {
      replicas: 4, selector: { matchLabels: { app: 'search' } },
      template: { metadata: { labels: { app: 'search' } }, spec: { containers: [{ name: 'search', image: `${IMAGE}:v1.0.0`, ports: [{ containerPort: 8080 }] }] } },
      strategy: { canary: { canaryService: 'search-canary', stableService: 'search-stable', steps, trafficRouting: { istio: { virtualService: { name: 'search', routes: ['primary'] } } } } },
    },
  });
  const rollout = (): Promise<Json> => send('GET', `${RO}/rollouts/search`);
  async function until(what: string, check: (ro: Json) => boolean, timeoutMs = 15_000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    let last = await rollout();
    while (!check(last)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(at(last, 'status')).slice(0, 1500)}`);
      await new Promise((r) => setTimeout(r, 20));
      last = await rollout();
    }
    return last;
  }
  await until('revision 1 Healthy', (ro) => at(ro, 'status', 'phase') === 'Healthy');
  const stop = world.stop.bind(world);
  return Object.assign(world, {
    send, rollout, until,
    writes: () => proxy.writes.filter((w) => w.path.includes('/rollouts/')),
    stop: async () => { await stop(); await proxy.close(); },
    async weights(name = 'search') {
      const vs = await send('GET', `${ISTIO}/virtualservices/${name}`);
      const out: Record<string, unknown> = {};
      const route = at(vs, 'spec', 'http', 0, 'route');
      for (const r of Array.isArray(route) ? route : []) {
        const subset = at(r, 'destination', 'subset');
        out[typeof subset === 'string' ? `${String(at(r, 'destination', 'host'))}/${subset}` : String(at(r, 'destination', 'host'))] = at(r, 'weight');
      }
      return out;
    },
  });
}

/**
 * A Prometheus that answers every instant query with one sample of `value` (over HTTP, as Argo's provider asks it):
 * an analysis whose outcome the test decides.
 */
export async function startFixedPrometheus(value: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, value] }] } }));
    req.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
