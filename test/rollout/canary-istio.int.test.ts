import { afterEach, describe, expect, it } from 'vitest';
import { END, startProgressiveWorld, type ProgressiveWorld } from './progressive-world.ts';

/**
 * `shop` canaries through an Istio VirtualService: hosts mode (the stable Service and `shop-canary`) and subset mode
 * (two subsets of a DestinationRule). Analysis has no checks here, so every step passes on time: what is tested is
 * the weights Deckhand writes.
 */
const config = (traffic: string): string => `
services:
  shop:
    team: storefront
    repository: acme/shop
    image: registry.local/acme/shop
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: shop, container: shop, replicas: 4, progressDeadlineSeconds: 5 }
    canary: { steps: [10, 40, 100], hold: 300ms, traffic: ${traffic} }
    analysis: { interval: 100ms, checks: [] }
groups:
  storefront: [alice]
  approvers: [bob, carol]
sandbox:
  readyDelayMs: 30
  requestsPerSecond: 50
  services:
    shop: { running: v2.0.0, versions: [v2.0.0, v2.1.0] }
`;

const ISTIO = '/apis/networking.istio.io/v1/namespaces/staging';
/** The VirtualService as the team wrote it: a route with a retry policy and a port Deckhand must keep. */
const VS_HTTP = (host: string, subset?: string) => [
  { name: 'admin', match: [{ uri: { prefix: '/admin' } }], route: [{ destination: { host: 'admin' } }] },
  { name: 'primary', retries: { attempts: 3 }, route: [{ destination: { host, port: { number: 80 }, ...(subset && { subset }) } }] },
];

let world: ProgressiveWorld;
afterEach(async () => { await world.stop(); });

async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
  const res = await fetch(`${world.sim.url}${path}`, { method, headers: { 'content-type': contentType }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const json: unknown = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function field(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const k of path) v = v && typeof v === 'object' ? new Map(Object.entries(v)).get(String(k)) : undefined;
  return v;
}

/** Polls the VirtualService's `primary` route while the deploy runs, keeping every distinct set of weights seen. */
function watchWeights(): { seen: string[]; stop(): void } {
  const seen: string[] = [];
  let on = true;
  void (async () => {
    while (on) {
      const vs = await send('GET', `${ISTIO}/virtualservices/shop`).catch(() => undefined);
      const route = field(vs, 'spec', 'http', 1, 'route');
      const text = (Array.isArray(route) ? route : []).map((r) => {
        const subset = field(r, 'destination', 'subset');
        return `${String(field(r, 'destination', 'host'))}${typeof subset === 'string' ? `/${subset}` : ''}=${String(field(r, 'weight') ?? '-')}`;
      }).join(' ');
      if (text && seen.at(-1) !== text) seen.push(text);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return { seen, stop: () => { on = false; } };
}

describe('canary by Istio VirtualService weights', () => {
  it('hosts mode: exact weights to the stable and canary Services at each step; the VirtualService given back exactly after promotion', async () => {
    world = await startProgressiveWorld({ config: config('{ kind: istio, virtualService: shop }') });
    const vs = await send('POST', `${ISTIO}/virtualservices`, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop' }, spec: { hosts: ['shop'], http: VS_HTTP('shop') } });
    const watch = watchWeights();
    await world.say('/deploy shop v2.1.0 to staging canary 10%');
    const d = await world.waitForPhase('1', [...END], 30_000);
    await expect.poll(() => watch.seen.at(-1), { timeout: 5_000 }).toBe('shop=-');
    watch.stop();

    expect(d.phase).toBe('succeeded');
    expect(watch.seen).toEqual(['shop=-', 'shop=90 shop-canary=10', 'shop=60 shop-canary=40', 'shop=-']);
    const after = await send('GET', `${ISTIO}/virtualservices/shop`);
    expect(field(after, 'spec')).toEqual(field(vs, 'spec'));
    expect((await world.app.kube.readDeployment('staging', 'shop')).images.shop).toBe('registry.local/acme/shop:v2.1.0');
    expect(await world.app.kube.readServiceSelector('staging', 'shop-canary')).toBeUndefined();
  });

  it('subset mode: exact weights to two subsets; an abort puts the VirtualService and the DestinationRule back exactly', async () => {
    world = await startProgressiveWorld({ config: config('{ kind: istio, virtualService: shop, destinationRule: shop }') });
    // The stable pods carry a label of their own, which the stable subset selects and a canary copy lacks.
    await send('PATCH', '/apis/apps/v1/namespaces/staging/deployments/shop', { spec: { template: { metadata: { labels: { track: 'stable' } } } } }, 'application/strategic-merge-patch+json');
    await expect.poll(async () => (await world.app.kube.readDeployment('staging', 'shop')).updated, { timeout: 10_000 }).toBe(4);
    const vs = await send('POST', `${ISTIO}/virtualservices`, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop' }, spec: { hosts: ['shop'], http: VS_HTTP('shop', 'stable') } });
    const dr = await send('POST', `${ISTIO}/destinationrules`, {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'shop' },
      spec: { host: 'shop', subsets: [{ name: 'stable', labels: { app: 'shop', track: 'stable' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } }] },
    });
    const watch = watchWeights();
    await world.say('/deploy shop v2.1.0 to staging canary 10%');
    await expect.poll(() => watch.seen, { timeout: 15_000 }).toContain('shop/stable=60 shop/canary=40');
    const canarySubset = field(await send('GET', `${ISTIO}/destinationrules/shop`), 'spec', 'subsets', 1);
    expect(canarySubset).toEqual({ name: 'canary', labels: { app: 'shop', 'deckhand.io/track': 'canary' } });
    await world.say('/abort shop staging');
    const d = await world.waitForPhase('1', [...END], 30_000);
    await expect.poll(() => watch.seen.at(-1), { timeout: 5_000 }).toBe('shop/stable=-');
    watch.stop();

    expect(d.phase).toBe('aborted');
    expect(watch.seen).toEqual(['shop/stable=-', 'shop/stable=90 shop/canary=10', 'shop/stable=60 shop/canary=40', 'shop/stable=-']);
    expect(field(await send('GET', `${ISTIO}/virtualservices/shop`), 'spec')).toEqual(field(vs, 'spec'));
    expect(field(await send('GET', `${ISTIO}/destinationrules/shop`), 'spec')).toEqual(field(dr, 'spec'));
    expect(await world.app.kube.findDeployment('staging', 'shop-canary')).toBeUndefined();
  });

  it('refuses a stable subset the canary pods would match, before anything changes', async () => {
    world = await startProgressiveWorld({ config: config('{ kind: istio, virtualService: shop, destinationRule: shop }') });
    const vs = await send('POST', `${ISTIO}/virtualservices`, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'shop' }, spec: { hosts: ['shop'], http: VS_HTTP('shop', 'stable') } });
    await send('POST', `${ISTIO}/destinationrules`, { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'shop' }, spec: { host: 'shop', subsets: [{ name: 'stable', labels: { app: 'shop' } }] } });
    await world.say('/deploy shop v2.1.0 to staging canary 10%');
    // The start step reads before it writes: it stops there, and the card says why (the job retries, then fails).
    await expect.poll(() => world.output(), { timeout: 15_000 }).toContain('subset stable selects {"app":"shop"}, which the canary\'s pods match too');
    expect((await world.app.deploys.get('1'))?.step).toBe('start');
    expect(field(await send('GET', `${ISTIO}/virtualservices/shop`), 'spec')).toEqual(field(vs, 'spec'));
    expect(await world.app.kube.findDeployment('staging', 'shop-canary')).toBeUndefined();
  });
});
