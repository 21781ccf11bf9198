import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';
import { kubectlIn, table } from '../kube/kubectl-runner.ts';
import type { ApiClient } from './rollout-api.ts';
import { apiClient, at, createServices, RO, rolloutManifest, until } from './rollout-api.ts';

let sim: SimCluster;
let dir: string;
let k: ReturnType<typeof kubectlIn>;
let api: ApiClient;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-kubectl-ro-'));
  sim = await startSimCluster({ readyDelayMs: 20 });
  await sim.writeKubeconfig(join(dir, 'kubeconfig'));
  k = kubectlIn(dir);
  api = apiClient(sim, 'shop');
  await createServices(api, 'shop', ['api']);
});

afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kubectl: Argo Rollouts and Istio types', () => {
  it('applies them from YAML and prints the CRDs\' columns', async () => {
    const manifests = [
      rolloutManifest({ image: 'registry.local/acme/api:v1', replicas: 3, steps: [{ setWeight: 20 }, { pause: {} }] }),
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api' }, spec: { hosts: ['api'], gateways: ['mesh'], http: [{ route: [{ destination: { host: 'api' }, weight: 100 }] }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'api' }, spec: { host: 'api', subsets: [{ name: 'stable' }, { name: 'canary' }] } },
    ];
    await writeFile(join(dir, 'all.yaml'), manifests.map((m) => stringify(m)).join('---\n'));
    expect(await k.ok('apply', '-n', 'shop', '-f', join(dir, 'all.yaml'))).toBe(
      'rollout.argoproj.io/api created\nvirtualservice.networking.istio.io/api created\ndestinationrule.networking.istio.io/api created\n',
    );
    await until(() => api.get(RO, 'rollouts', 'api'), (ro) => at(ro, 'status', 'availableReplicas') === 3, 'the rollout to be available');

    const rows = table(await k.ok('get', 'rollouts,virtualservices,destinationrules', '-n', 'shop'));
    expect(rows[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rows[1]?.slice(0, 5)).toEqual(['rollout.argoproj.io/api', '3', '3', '3', '3']);
    expect(rows[2]).toEqual(['NAME', 'GATEWAYS', 'HOSTS', 'AGE']);
    expect(rows[3]?.slice(0, 3)).toEqual(['virtualservice.networking.istio.io/api', '["mesh"]', '["api"]']);
    expect(rows[4]).toEqual(['NAME', 'HOST', 'AGE']);
    expect(rows[5]?.slice(0, 2)).toEqual(['destinationrule.networking.istio.io/api', 'api']);

    expect(await k.ok('get', 'ro', 'api', '-n', 'shop', '-o', 'jsonpath={.status.phase} {.status.stableRS}')).toMatch(/^Healthy [a-z0-9]+$/);
    expect(await k.ok('get', 'vs', 'api', '-n', 'shop', '-o', 'jsonpath={.spec.http[0].route[0].weight}')).toBe('100');
    expect(await k.ok('scale', 'rollout', 'api', '-n', 'shop', '--replicas=2')).toBe('rollout.argoproj.io/api scaled\n');
    await until(() => api.get(RO, 'rollouts', 'api'), (ro) => at(ro, 'status', 'replicas') === 2, 'the scale-down');
  });

  it('the schema rejects what the real CRD rejects', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'api', namespace: 'shop' }, spec: { host: 'api', subsets: 'canary' } }));
    const result = await k.kubectl(['apply', '-f', join(dir, 'bad.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('spec.subsets');
  });
});
