import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/kube/index.ts';
import { startSimCluster } from '../../src/kube/index.ts';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';

let sim: SimCluster;
let dir: string;

/** Runs kubectl against the sim; resolves with stdout/stderr and the exit code instead of throwing. */
async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--cache-dir', join(dir, 'cache'), ...args], { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') }, timeout: 45_000 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

async function ok(...args: string[]): Promise<string> {
  const result = await kubectl(...args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** Table output as rows of cells (split on runs of 2+ spaces, as kubectl pads columns). */
function table(output: string): string[][] {
  return output.trim().split('\n').filter((l) => l.trim() !== '').map((line) => line.trim().split(/\s{2,}/));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-kubectl-'));
  sim = await startSimCluster({
    readyDelayMs: 50,
    isFaultyImage: (image) => image.startsWith('ghcr.io/acme/api:broken'),
    seed: [{ namespace: 'shop', name: 'api', container: 'api', image: 'ghcr.io/acme/api:v1', replicas: 3, progressDeadlineSeconds: 2 }],
  });
  await sim.writeKubeconfig(join(dir, 'kubeconfig'));
});

afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kubectl against the sim', () => {
  it('get deploy,rs,pods prints real tables', async () => {
    const out = await ok('get', 'deploy,rs,pods', '-n', 'shop');
    const sections = out.trim().split(/\n\s*\n/).map(table);
    const [deploy, rs, pods] = sections;
    expect(deploy?.[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(deploy?.[1]?.slice(0, 4)).toEqual(['deployment.apps/api', '3/3', '3', '3']);
    expect(deploy?.[1]?.[4]).toMatch(/^\d+s$/);
    expect(rs?.[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(rs?.[1]?.[0]).toMatch(/^replicaset\.apps\/api-[a-z0-9]{6,10}$/);
    expect(rs?.[1]?.slice(1, 4)).toEqual(['3', '3', '3']);
    expect(pods?.[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(pods?.slice(1).map((row) => row.slice(1, 4))).toEqual([['1/1', 'Running', '0'], ['1/1', 'Running', '0'], ['1/1', 'Running', '0']]);
    expect(await ok('get', 'deploy', '-A')).toMatch(/^NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nshop\s+api\s+3\/3\s+3\s+3\s+\d+s\n$/);
    expect(table(await ok('get', 'deploy', '-n', 'shop', '-o', 'wide'))[1]?.slice(5)).toEqual(['api', 'ghcr.io/acme/api:v1', 'app=api']);
    const [services, namespaces] = (await ok('get', 'svc,ns')).trim().split(/\n\s*\n/).map(table);
    expect(services?.[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(services?.[1]?.slice(0, 5)).toEqual(['service/kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
    expect(namespaces?.[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(namespaces?.slice(1).map((row) => row.slice(0, 2))).toEqual([['namespace/default', 'Active'], ['namespace/kube-node-lease', 'Active'], ['namespace/kube-public', 'Active'], ['namespace/kube-system', 'Active'], ['namespace/shop', 'Active']]);
  });

  it('get -o json returns the deployment with revision and status', async () => {
    const d = JSON.parse(await ok('get', 'deploy', 'api', '-n', 'shop', '-o', 'json')) as { kind: string; apiVersion: string; metadata: { annotations: Record<string, string>; generation: number }; status: Record<string, unknown> };
    expect(d.kind).toBe('Deployment');
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    const list = JSON.parse(await ok('get', 'pods', '-n', 'shop', '-l', 'app=api', '-o', 'json')) as { items: unknown[] };
    expect(list.items).toHaveLength(3);
    const missing = await kubectl('get', 'deploy', 'nope', '-n', 'shop');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });

  it('set image then rollout status succeeds; history and undo renumber revisions like a real cluster', async () => {
    expect(await ok('set', 'image', 'deploy/api', 'api=ghcr.io/acme/api:v2', '-n', 'shop')).toBe('deployment.apps/api image updated\n');
    expect(await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s')).toMatch(/deployment "api" successfully rolled out\n$/);
    expect(sim.requests.filter((r) => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/shop/deployments/api')).toHaveLength(1);

    expect(table(await ok('rollout', 'history', 'deploy/api', '-n', 'shop'))).toEqual([['deployment.apps/api'], ['REVISION', 'CHANGE-CAUSE'], ['1', '<none>'], ['2', '<none>']]);
    const revision1 = await ok('rollout', 'history', 'deploy/api', '-n', 'shop', '--revision=1');
    expect(revision1).toContain('deployment.apps/api with revision #1');
    expect(revision1).toMatch(/Image:\s+ghcr\.io\/acme\/api:v1/);

    expect(await ok('rollout', 'undo', 'deploy/api', '-n', 'shop')).toBe('deployment.apps/api rolled back\n');
    await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    expect(await ok('get', 'deploy', 'api', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).toBe('ghcr.io/acme/api:v1 3');
    expect(table(await ok('rollout', 'history', 'deploy/api', '-n', 'shop')).slice(2)).toEqual([['2', '<none>'], ['3', '<none>']]);

    await ok('set', 'image', 'deploy/api', 'api=ghcr.io/acme/api:v4', '-n', 'shop');
    await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    expect(await ok('rollout', 'undo', 'deploy/api', '-n', 'shop', '--to-revision=2')).toBe('deployment.apps/api rolled back\n');
    await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    expect(await ok('get', 'deploy', 'api', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('ghcr.io/acme/api:v2');
    expect(table(await ok('rollout', 'history', 'deploy/api', '-n', 'shop')).slice(2)).toEqual([['3', '<none>'], ['4', '<none>'], ['5', '<none>']]);
    const again = await kubectl('rollout', 'undo', 'deploy/api', '-n', 'shop', '--to-revision=5');
    expect(again.stdout).toBe('deployment.apps/api skipped rollback (current template already matches revision 5)\n');
  });

  it('rollout status fails with the progress-deadline error for a faulty image', async () => {
    await ok('set', 'image', 'deploy/api', 'api=ghcr.io/acme/api:broken', '-n', 'shop');
    const result = await kubectl('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: deployment "api" exceeded its progress deadline\n');
    const pods = table(await ok('get', 'pods', '-n', 'shop'));
    const broken = pods.filter((row) => row[2] === 'CrashLoopBackOff');
    expect(broken).toHaveLength(1);
    expect(broken[0]?.[1]).toBe('0/1');
    expect(pods.filter((row) => row[2] === 'Running')).toHaveLength(3);

    const timeout = await kubectl('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=1s');
    expect(timeout.code).toBe(1);
  });

  it('rollout pause / resume / restart, and change-cause in history', async () => {
    expect(await ok('rollout', 'pause', 'deploy/api', '-n', 'shop')).toBe('deployment.apps/api paused\n');
    await ok('set', 'image', 'deploy/api', 'api=ghcr.io/acme/api:v2', '-n', 'shop');
    await ok('annotate', 'deploy/api', '-n', 'shop', 'kubernetes.io/change-cause=ship v2');
    const paused = await kubectl('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=1s');
    expect(paused.code).toBe(1);
    expect(table(await ok('rollout', 'history', 'deploy/api', '-n', 'shop')).slice(2)).toEqual([['1', '<none>']]);
    expect(await ok('rollout', 'resume', 'deploy/api', '-n', 'shop')).toBe('deployment.apps/api resumed\n');
    await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    expect(table(await ok('rollout', 'history', 'deploy/api', '-n', 'shop')).slice(2)).toEqual([['1', '<none>'], ['2', 'ship v2']]);
    expect(await ok('rollout', 'restart', 'deploy/api', '-n', 'shop')).toBe('deployment.apps/api restarted\n');
    await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    expect(await ok('get', 'deploy', 'api', '-n', 'shop', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).toBe('3');
    expect(await ok('get', 'deploy', 'api', '-n', 'shop', '-o', 'jsonpath={.spec.template.metadata.annotations}')).toMatch(/kubectl\.kubernetes\.io\/restartedAt/);
  });

  it('patch: strategic (default), merge and json', async () => {
    expect(await ok('patch', 'deploy', 'api', '-n', 'shop', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"api","env":[{"name":"MODE","value":"fast"}]}]}}}}')).toBe('deployment.apps/api patched\n');
    await ok('patch', 'deploy', 'api', '-n', 'shop', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}');
    await ok('patch', 'deploy', 'api', '-n', 'shop', '--type=json', '-p', '[{"op":"add","path":"/metadata/annotations/team","value":"payments"}]');
    const d = JSON.parse(await ok('get', 'deploy', 'api', '-n', 'shop', '-o', 'json')) as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: { template: { spec: { containers: Array<{ image: string; env: unknown }> } } } };
    expect(d.metadata.labels).toEqual({ app: 'api', tier: 'web' });
    expect(d.metadata.annotations.team).toBe('payments');
    expect(d.spec.template.spec.containers[0]).toMatchObject({ image: 'ghcr.io/acme/api:v1', env: [{ name: 'MODE', value: 'fast' }] });
    expect(sim.requests.filter((r) => r.method === 'PATCH').map((r) => r.contentType)).toEqual(['application/strategic-merge-patch+json', 'application/merge-patch+json', 'application/json-patch+json']);
    const bad = await kubectl('patch', 'deploy', 'api', '-n', 'shop', '--type=json', '-p', '[{"op":"replace","path":"/nope/x","value":1}]');
    expect(bad.code).toBe(1);
  });

  it('scale changes replicas through the scale subresource', async () => {
    expect(await ok('scale', 'deploy/api', '-n', 'shop', '--replicas=5')).toBe('deployment.apps/api scaled\n');
    await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    expect(table(await ok('get', 'deploy', 'api', '-n', 'shop'))[1]?.slice(1, 4)).toEqual(['5/5', '5', '5']);
    expect(sim.requests.some((r) => r.path === '/apis/apps/v1/namespaces/shop/deployments/api/scale')).toBe(true);
  });

  it('replace with a stale resourceVersion answers 409 Conflict', async () => {
    const stale = await ok('get', 'deploy', 'api', '-n', 'shop', '-o', 'json');
    await ok('annotate', 'deploy', 'api', '-n', 'shop', 'touched=yes');
    await writeFile(join(dir, 'stale.json'), stale);
    const result = await kubectl('replace', '-f', join(dir, 'stale.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error from server (Conflict)');
    expect(result.stderr).toContain('Operation cannot be fulfilled on deployments.apps "api": the object has been modified; please apply your changes to the latest version and try again');

    const body = JSON.parse(stale) as { metadata: Record<string, unknown> };
    const response = await fetch(`${sim.url}/apis/apps/v1/namespaces/shop/deployments/api`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409, details: { name: 'api', group: 'apps', kind: 'deployments' } });
  });

  it('apply creates and updates; delete cascades to ReplicaSets and pods', async () => {
    const manifest = (image: string) => JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
    });
    await writeFile(join(dir, 'web.json'), manifest('nginx:1.27'));
    expect(await ok('apply', '-f', join(dir, 'web.json'))).toBe('deployment.apps/web created\n');
    await writeFile(join(dir, 'web.json'), manifest('nginx:1.28'));
    expect(await ok('apply', '-f', join(dir, 'web.json'))).toBe('deployment.apps/web configured\n');
    await ok('rollout', 'status', 'deploy/web', '-n', 'shop', '--timeout=30s');
    expect(table(await ok('rollout', 'history', 'deploy/web', '-n', 'shop')).slice(2).map((r) => r[0])).toEqual(['1', '2']);
    expect(await ok('delete', 'deploy', 'web', '-n', 'shop')).toBe('deployment.apps "web" deleted\n');
    await waitForOutput(async () => (await kubectl('get', 'rs,pods', '-n', 'shop', '-l', 'app=web')).stderr, /No resources found in shop namespace\./);
  });

  it('apply --server-side creates, then updates', async () => {
    const manifest = (tier: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels: { tier } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await writeFile(join(dir, 'svc.json'), manifest('front'));
    expect(await ok('apply', '--server-side', '-f', join(dir, 'svc.json'))).toBe('service/web serverside-applied\n');
    await writeFile(join(dir, 'svc.json'), manifest('edge'));
    await ok('apply', '--server-side', '-f', join(dir, 'svc.json'));
    expect(await ok('get', 'svc', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.labels.tier} {.spec.ports[*].port}')).toBe('edge 80');
  });

  it('typed create commands (protobuf bodies): create namespace / deployment / service, run, expose', async () => {
    expect(await ok('create', 'namespace', 'lab')).toBe('namespace/lab created\n');
    expect(await ok('create', 'deployment', 'hello', '--image=hello:1', '--replicas=2', '--port=8080', '-n', 'lab')).toBe('deployment.apps/hello created\n');
    expect(await ok('create', 'deployment', 'idle', '--image=idle:1', '--replicas=0', '-n', 'lab')).toBe('deployment.apps/idle created\n');
    await ok('rollout', 'status', 'deploy/hello', '-n', 'lab', '--timeout=30s');
    expect(await ok('get', 'deploy', 'hello', '-n', 'lab', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.selector.matchLabels.app}')).toBe('2 hello:1 8080 hello');
    expect(await ok('get', 'deploy', 'idle', '-n', 'lab', '-o', 'jsonpath={.spec.replicas}')).toBe('0');
    expect(await ok('create', 'service', 'clusterip', 'other', '--tcp=80:8080', '-n', 'lab')).toBe('service/other created\n');
    expect(await ok('expose', 'deploy', 'hello', '-n', 'lab', '--port=80', '--target-port=8080')).toBe('service/hello exposed\n');
    expect(await ok('get', 'svc', 'hello', '-n', 'lab', '-o', 'jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}')).toBe('80 8080 hello');
    expect(await ok('run', 'one', '--image=busy:1', '-n', 'lab')).toBe('pod/one created\n');
    expect(await ok('delete', 'namespace', 'lab')).toBe('namespace "lab" deleted\n');
    await waitForOutput(async () => (await kubectl('get', 'all', '-n', 'lab')).stderr, /No resources found in lab namespace\./);
  });

  it('serves Gateway API HTTPRoutes generically (one registration, no controller)', async () => {
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' }, spec: { hostnames: ['api.example.com'], rules: [{ backendRefs: [{ name: 'api', port: 80, weight: 90 }, { name: 'api-canary', port: 80, weight: 10 }] }] } };
    await writeFile(join(dir, 'route.json'), JSON.stringify(route));
    expect(await ok('apply', '-f', join(dir, 'route.json'))).toBe('httproute.gateway.networking.k8s.io/api created\n');
    await ok('patch', 'httproute', 'api', '-n', 'shop', '--type=json', '-p', '[{"op":"replace","path":"/spec/rules/0/backendRefs/1/weight","value":50}]');
    expect(await ok('get', 'httproute', 'api', '-n', 'shop', '-o', 'jsonpath={.spec.rules[0].backendRefs[*].weight} {.metadata.generation}')).toBe('90 50 2');
    expect(table(await ok('get', 'httproutes', '-n', 'shop'))[1]?.slice(0, 2)).toEqual(['api', 'api.example.com']);
  });

  it('auth can-i answers yes (SelfSubjectAccessReview, protobuf body)', async () => {
    expect(await ok('auth', 'can-i', 'patch', 'deployments', '-n', 'shop')).toBe('yes\n');
    const review = sim.requests.find((r) => r.path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
    expect(review).toMatchObject({ method: 'POST', status: 201 });
  });

  it('get --watch streams changes', async () => {
    const child = spawn(KUBECTL, ['--cache-dir', join(dir, 'cache'), 'get', 'deploy', 'api', '-n', 'shop', '--watch'], { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await waitForOutput(() => output, /api\s+3\/3/);
      await ok('scale', 'deploy/api', '-n', 'shop', '--replicas=4');
      await waitForOutput(() => output, /api\s+4\/4\s+4\s+4/);
      const lines = table(output);
      expect(lines[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      expect(lines.filter((l) => l[0] === 'NAME')).toHaveLength(1);
      expect(lines.slice(1).every((l) => l[0] === 'api')).toBe(true);
      expect(lines.some((l) => l[1] === '3/4')).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('get events shows the controllers at work', async () => {
    await ok('scale', 'deploy/api', '-n', 'shop', '--replicas=4');
    await ok('rollout', 'status', 'deploy/api', '-n', 'shop', '--timeout=30s');
    const out = await ok('get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.kind=Deployment');
    expect(table(out)[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(out).toMatch(/Normal\s+ScalingReplicaSet\s+deployment\/api\s+Scaled up replica set api-\w+ from 3 to 4/);
  });
});

async function waitForOutput(read: () => string | Promise<string>, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!pattern.test(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await read();
  }
}
