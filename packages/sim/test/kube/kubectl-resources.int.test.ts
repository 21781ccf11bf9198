import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/kube/index.ts';
import { startSimCluster } from '../../src/kube/index.ts';
import { kubectlIn, table, waitForOutput } from './kubectl-runner.ts';

let sim: SimCluster;
let dir: string;
let k: ReturnType<typeof kubectlIn>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-kubectl-res-'));
  sim = await startSimCluster({
    readyDelayMs: 50,
    isFaultyImage: (image) => image.endsWith(':broken'),
    seed: [{ namespace: 'shop', name: 'api', container: 'api', image: 'ghcr.io/acme/api:v1', replicas: 2 }],
  });
  await sim.writeKubeconfig(join(dir, 'kubeconfig'));
  k = kubectlIn(dir);
});

afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kubectl: configmaps and ingresses', () => {
  it('are served types: get on an empty cluster, then create (protobuf), apply, table, delete', async () => {
    const empty = await k.kubectl(['get', 'configmaps,ingresses', '-n', 'shop']);
    expect(empty).toMatchObject({ code: 0, stderr: 'No resources found in shop namespace.\n' });

    expect(await k.ok('create', 'configmap', 'app-config', '-n', 'shop', '--from-literal=MODE=fast', '--from-literal=LEVEL=2')).toBe('configmap/app-config created\n');
    expect(await k.ok('create', 'ingress', 'web', '-n', 'shop', '--class=nginx', '--rule=shop.example.com/*=api:80,tls=shop-cert')).toBe('ingress.networking.k8s.io/web created\n');
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'api', namespace: 'shop' }, spec: { rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] } };
    await writeFile(join(dir, 'ingress.json'), JSON.stringify(ingress));
    expect(await k.ok('apply', '-f', join(dir, 'ingress.json'))).toBe('ingress.networking.k8s.io/api created\n');
    expect(await k.ok('apply', '-f', join(dir, 'ingress.json'))).toBe('ingress.networking.k8s.io/api unchanged\n');

    const [configMaps, ingresses] = (await k.ok('get', 'configmaps,ingresses', '-n', 'shop')).trim().split(/\n\s*\n/).map(table);
    expect(configMaps?.[0]).toEqual(['NAME', 'DATA', 'AGE']);
    expect(configMaps?.[1]?.slice(0, 2)).toEqual(['configmap/app-config', '2']);
    expect(ingresses?.[0]).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(ingresses?.slice(1).map((row) => row.slice(0, 4))).toEqual([
      ['ingress.networking.k8s.io/api', '<none>', 'api.example.com', '80'],
      ['ingress.networking.k8s.io/web', 'nginx', 'shop.example.com', '80, 443'],
    ]);
    expect(await k.ok('get', 'cm', 'app-config', '-n', 'shop', '-o', 'jsonpath={.data.MODE} {.data.LEVEL}')).toBe('fast 2');
    expect(await k.ok('get', 'ing', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.rules[0].http.paths[0].backend.service.name} {.spec.tls[0].secretName}')).toBe('api shop-cert');

    expect(await k.ok('delete', 'configmap', 'app-config', '-n', 'shop')).toBe('configmap "app-config" deleted\n');
    expect(await k.ok('delete', 'ingress', 'web', 'api', '-n', 'shop')).toBe('ingress.networking.k8s.io "web" deleted\ningress.networking.k8s.io "api" deleted\n');
    expect((await k.kubectl(['get', 'cm,ing', '-n', 'shop'])).stderr).toBe('No resources found in shop namespace.\n');
  });

  it('validates a ConfigMap as the API server does', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'shop' }, data: { 'no spaces': 'x' } }));
    const result = await k.kubectl(['apply', '-f', join(dir, 'bad.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ConfigMap "bad" is invalid: data[no spaces]: Invalid value: "no spaces": a valid config key must consist of alphanumeric characters');
  });

  it('get --watch follows configmap changes', async () => {
    const watch = k.start(['get', 'configmaps', '-n', 'shop', '--watch']);
    try {
      // kubectl prints nothing for an empty list: wait until its watch is open on the server.
      await waitForOutput(() => (sim.requests.some((r) => r.path === '/api/v1/namespaces/shop/configmaps' && /watch=true/.test(r.query) && r.status === 200) ? 'open' : ''), /open/);
      await k.ok('create', 'configmap', 'flags', '-n', 'shop', '--from-literal=A=1');
      await waitForOutput(watch.output, /flags\s+1\s+\d+s/);
      await k.ok('patch', 'configmap', 'flags', '-n', 'shop', '--type=merge', '-p', '{"data":{"B":"2"}}');
      await waitForOutput(watch.output, /flags\s+2\s+\d+s/);
    } finally {
      watch.child.kill();
    }
  });
});

describe('kubectl top (metrics.k8s.io/v1beta1)', () => {
  it('top pods lists each running pod with CPU and memory; top nodes adds percentages of allocatable', async () => {
    const pods = table(await k.ok('top', 'pods', '-n', 'shop'));
    expect(pods[0]).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(pods).toHaveLength(3);
    for (const row of pods.slice(1)) {
      expect(row[0]).toMatch(/^api-[a-z0-9]+-[a-z0-9]{5}$/);
      expect(row[1]).toMatch(/^\d+m$/);
      expect(row[2]).toMatch(/^\d+Mi$/);
    }
    const nodes = table(await k.ok('top', 'nodes'));
    expect(nodes[0]).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    expect(nodes[1]?.[0]).toBe('deckhand-sim-node');
    expect(nodes[1]?.[2]).toMatch(/^\d+%$/);
    // The node's usage is its pods' plus its own daemons'.
    const podCpu = pods.slice(1).reduce((sum, row) => sum + Number(row[1]?.replace('m', '')), 0);
    expect(Number(nodes[1]?.[1]?.replace('m', ''))).toBeGreaterThan(podCpu);
  });

  it('reports no usage for a crash-looping pod, as metrics-server has none for containers that do not run', async () => {
    await k.ok('set', 'image', 'deploy/api', 'api=ghcr.io/acme/api:broken', '-n', 'shop');
    await waitForOutput(async () => k.ok('get', 'pods', '-n', 'shop'), /CrashLoopBackOff/);
    const running = table(await k.ok('get', 'pods', '-n', 'shop', '--field-selector=status.phase=Running')).slice(1).filter((row) => row[2] === 'Running');
    const metrics = JSON.parse(await k.ok('get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods')) as { kind: string; items: Array<{ metadata: { name: string }; containers: Array<{ name: string; usage: { cpu: string; memory: string } }> }> };
    expect(metrics.kind).toBe('PodMetricsList');
    expect(metrics.items.map((i) => i.metadata.name).sort()).toEqual(running.map((row) => row[0]).sort());
    expect(metrics.items[0]?.containers[0]).toMatchObject({ name: 'api', usage: { cpu: expect.stringMatching(/^\d+n$/), memory: expect.stringMatching(/^\d+Ki$/) } });
    const watch = await fetch(`${sim.url}/apis/metrics.k8s.io/v1beta1/pods?watch=true`);
    expect(watch.status).toBe(405);
  });
});
