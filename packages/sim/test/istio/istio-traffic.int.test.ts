import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';
import { HEALTHY, startSimPrometheus, type SimPrometheus } from '../../src/prometheus/index.ts';
import type { ApiClient, Json } from '../argo-rollouts/rollout-api.ts';
import { apiClient, at, createServices, ISTIO, RO, rolloutManifest, setImage, until, vsWeights } from '../argo-rollouts/rollout-api.ts';

const IMAGE = 'registry.local/acme/api';

let sim: SimCluster;
let prom: SimPrometheus;
let api: ApiClient;

/** Requests per second by version for the `api` service, as the simulated Prometheus answers them. */
async function rpsByVersion(): Promise<Record<string, number>> {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('sum by (version) (rate(http_requests_total{namespace="shop",service="api"}[1m]))')}`);
  const body: unknown = await res.json();
  const out: Record<string, number> = {};
  const result = at(body, 'data', 'result');
  for (const sample of Array.isArray(result) ? result : []) out[String(at(sample, 'metric', 'version'))] = Number(at(sample, 'value', 1));
  return out;
}

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 20 });
  api = apiClient(sim, 'shop');
  prom = await startSimPrometheus({ kubeUrl: sim.url, requestsPerSecond: 100, snapshotTtlMs: 10, services: [{ service: 'api', namespace: 'shop', kubeService: 'api' }], profileOf: () => HEALTHY });
});

afterEach(async () => {
  await prom.close();
  await sim.close();
});

/** Two Deployments behind one Service `api`: 3 pods of v1 (track stable), 1 of v2 (track canary). */
async function twoTracks(): Promise<void> {
  await createServices(api, 'shop', ['api']);
  for (const [track, tag, replicas] of [['stable', 'v1', 3], ['canary', 'v2', 1]] as const) {
    await api.create('/apis/apps/v1', 'deployments', {
      metadata: { name: `api-${track}` },
      spec: { replicas, selector: { matchLabels: { app: 'api', track } }, template: { metadata: { labels: { app: 'api', track } }, spec: { containers: [{ name: 'api', image: `${IMAGE}:${tag}` }] } } },
    });
  }
  await until(rpsByVersion, (rps) => rps.v1 === 75 && rps.v2 === 25, 'both tracks ready, split by replicas');
}

describe('simulated traffic honours Istio VirtualServices', () => {
  it('splits by DestinationRule subsets and follows weight changes exactly', async () => {
    await twoTracks();
    await api.create(ISTIO, 'destinationrules', { metadata: { name: 'api' }, spec: { host: 'api', subsets: [{ name: 'stable', labels: { track: 'stable' } }, { name: 'canary', labels: { track: 'canary' } }] } });
    await api.create(ISTIO, 'virtualservices', {
      metadata: { name: 'api' },
      spec: { hosts: ['api.shop.svc.cluster.local'], http: [
        { name: 'header', match: [{ headers: { 'x-canary': { exact: 'yes' } } }], route: [{ destination: { host: 'api', subset: 'canary' } }] },
        { name: 'primary', route: [{ destination: { host: 'api', subset: 'stable' }, weight: 90 }, { destination: { host: 'api', subset: 'canary' }, weight: 10 }] },
      ] },
    });
    expect(await until(rpsByVersion, (rps) => rps.v2 === 10, 'the 90/10 split')).toEqual({ v1: 90, v2: 10 });
    const vs = await api.get(ISTIO, 'virtualservices', 'api');
    const http = at(vs, 'spec', 'http');
    await api.mergePatch(ISTIO, 'virtualservices', 'api', { spec: { http: [at(http, 0), { name: 'primary', route: [{ destination: { host: 'api', subset: 'stable' }, weight: 40 }, { destination: { host: 'api', subset: 'canary' }, weight: 60 }] }] } });
    expect(await until(rpsByVersion, (rps) => rps.v2 === 60, 'the 40/60 split')).toEqual({ v1: 40, v2: 60 });
  });

  it('splits between two Service hosts, and a weight of 0 takes a version out', async () => {
    await twoTracks();
    for (const track of ['stable', 'canary']) {
      await api.create('/api/v1', 'services', { metadata: { name: `api-${track}` }, spec: { selector: { app: 'api', track }, ports: [{ port: 80 }] } });
    }
    await api.create(ISTIO, 'virtualservices', {
      metadata: { name: 'api' },
      spec: { hosts: ['api'], http: [{ route: [{ destination: { host: 'api-stable.shop.svc.cluster.local' }, weight: 100 }, { destination: { host: 'api-canary' }, weight: 0 }] }] },
    });
    expect(await until(rpsByVersion, (rps) => rps.v2 === undefined, 'all traffic on stable')).toEqual({ v1: 100 });
  });

  it('v1beta1 serves the same objects, and an invalid VirtualService is 422', async () => {
    await api.ok('POST', '/api/v1/namespaces', { metadata: { name: 'shop' } });
    await api.ok('POST', '/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices', { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'api' }, spec: { hosts: ['api'] } });
    const asV1 = await api.get(ISTIO, 'virtualservices', 'api');
    expect(at(asV1, 'apiVersion')).toBe('networking.istio.io/v1');
    const asV1beta1 = await api.ok('GET', '/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/api');
    expect(at(asV1beta1, 'apiVersion')).toBe('networking.istio.io/v1beta1');
    const bad = await api.send('POST', `${ISTIO}/namespaces/shop/virtualservices`, { metadata: { name: 'bad' }, spec: { http: [{ route: [{ destination: { host: 'api' }, weight: 'most' }] }] } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('spec.http[0].route[0].weight');
  });
});

describe('a Rollout with Istio subset-level splitting', () => {
  it('labels the DestinationRule subsets with the pod hashes, and the canary share follows each step', async () => {
    await createServices(api, 'shop', ['api']);
    await api.create(ISTIO, 'destinationrules', { metadata: { name: 'api' }, spec: { host: 'api', subsets: [{ name: 'stable', labels: { app: 'api' } }, { name: 'canary', labels: { app: 'api' } }] } });
    await api.create(ISTIO, 'virtualservices', {
      metadata: { name: 'api' },
      spec: { hosts: ['api'], http: [{ name: 'primary', route: [{ destination: { host: 'api', subset: 'stable' }, weight: 100 }, { destination: { host: 'api', subset: 'canary' }, weight: 0 }] }] },
    });
    await api.create(RO, 'rollouts', rolloutManifest({
      image: `${IMAGE}:v1`, replicas: 2, steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }],
      trafficRouting: { istio: { virtualService: { name: 'api', routes: ['primary'] }, destinationRule: { name: 'api', canarySubsetName: 'canary', stableSubsetName: 'stable' } } },
    }));
    const first = await until(() => api.get(RO, 'rollouts', 'api'), (ro) => at(ro, 'status', 'phase') === 'Healthy', 'revision 1');
    expect(await until(rpsByVersion, (rps) => rps.v1 === 100, 'all on v1')).toEqual({ v1: 100 });

    await setImage(api, `${IMAGE}:v2`);
    const paused: Json = await until(() => api.get(RO, 'rollouts', 'api'), (ro) => at(ro, 'status', 'phase') === 'Paused', 'the 20% pause');
    const dr = await api.get(ISTIO, 'destinationrules', 'api');
    expect(at(dr, 'spec', 'subsets')).toEqual([
      { name: 'stable', labels: { app: 'api', 'rollouts-pod-template-hash': at(first, 'status', 'stableRS') } },
      { name: 'canary', labels: { app: 'api', 'rollouts-pod-template-hash': at(paused, 'status', 'currentPodHash') } },
    ]);
    expect(at(dr, 'metadata', 'annotations', 'argo-rollouts.argoproj.io/managed-by-rollouts')).toBe('api');
    expect(await vsWeights(api)).toEqual({ 'api/stable': 80, 'api/canary': 20 });
    expect(await until(rpsByVersion, (rps) => rps.v2 === 20, 'the 80/20 split')).toEqual({ v1: 80, v2: 20 });

    await api.mergePatch(RO, 'rollouts', 'api', { status: { pauseConditions: null } }, 'status');
    expect(await until(rpsByVersion, (rps) => rps.v2 === 60, 'the 40/60 split')).toEqual({ v1: 40, v2: 60 });

    await api.mergePatch(RO, 'rollouts', 'api', { status: { abort: true } }, 'status');
    expect(await until(rpsByVersion, (rps) => rps.v2 === undefined, 'all back on stable')).toEqual({ v1: 100 });
    expect(await vsWeights(api)).toEqual({ 'api/stable': 100, 'api/canary': 0 });
  });
});
