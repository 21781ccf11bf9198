import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/kube/index.ts';
import { startSimCluster } from '../../src/kube/index.ts';
import { kubectlIn, table, waitForOutput } from './kubectl-runner.ts';

let sim: SimCluster;
let dir: string;
let k: ReturnType<typeof kubectlIn>;
let pod: string;

/** kubectl 1.32 tries WebSocket first; these switches make it use SPDY, its fallback, from the start. */
const FORCE_SPDY = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false', KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' };
const TRANSPORTS = [
  { transport: 'WebSocket', env: {}, method: 'GET' },
  { transport: 'SPDY', env: FORCE_SPDY, method: 'POST' },
];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-kubectl-stream-'));
  sim = await startSimCluster({
    readyDelayMs: 50,
    isFaultyImage: (image) => image.endsWith(':broken'),
    seed: [{ namespace: 'shop', name: 'api', container: 'api', image: 'ghcr.io/acme/api:v1', replicas: 1 }],
  });
  await sim.writeKubeconfig(join(dir, 'kubeconfig'));
  k = kubectlIn(dir);
  pod = (await k.ok('get', 'pods', '-n', 'shop', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
});

afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** One plain HTTP/1.1 request that closes its connection, so the forwarded stream ends with it. */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(TRANSPORTS)('kubectl exec over $transport', ({ env, method }) => {
  it('runs commands in the simulated container: files, environment, its own HTTP port, exit codes', async () => {
    expect(await k.kubectl(['exec', pod, '-n', 'shop', '--', 'cat', '/etc/hostname'], { env })).toEqual({ stdout: `${pod}\n`, stderr: '', code: 0 });
    const environment = (await k.kubectl(['exec', pod, '-n', 'shop', '--', 'env'], { env })).stdout;
    expect(environment).toContain(`HOSTNAME=${pod}\n`);
    expect(environment).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(environment).toMatch(/^API_SERVICE_PORT=80$/m);
    expect(await k.kubectl(['exec', pod, '-n', 'shop', '--', 'wget', '-qO-', 'localhost:8080/healthz'], { env })).toEqual({ stdout: 'ok\n', stderr: '', code: 0 });

    const failed = await k.kubectl(['exec', pod, '-n', 'shop', '--', 'sh', '-c', 'echo before && cat /missing'], { env });
    expect(failed).toEqual({ stdout: 'before\n', stderr: "cat: can't open '/missing': No such file or directory\ncommand terminated with exit code 1\n", code: 1 });
    const refused = await k.kubectl(['exec', pod, '-n', 'shop', '--', 'wget', '-qO-', 'localhost:9999/'], { env });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining("wget: can't connect to remote host (127.0.0.1): Connection refused") });

    const upgrades = sim.requests.filter((r) => r.path === `/api/v1/namespaces/shop/pods/${pod}/exec`);
    expect(upgrades.length).toBeGreaterThan(0);
    expect(upgrades.every((r) => r.method === method && r.status === 101)).toBe(true);
  });

  it('passes stdin through (-i) and ends it at EOF', async () => {
    expect(await k.kubectl(['exec', '-i', pod, '-n', 'shop', '--', 'cat'], { env, input: 'line one\nline two\n' })).toMatchObject({ stdout: 'line one\nline two\n', code: 0 });
    expect(await k.kubectl(['exec', '-i', pod, '-n', 'shop', '--', 'sh'], { env, input: 'hostname\nprintenv HOME\nexit 4\necho never\n' })).toEqual({ stdout: `${pod}\n/root\n`, stderr: 'command terminated with exit code 4\n', code: 4 });
  });
});

describe('kubectl exec: what it refuses', () => {
  it('names the commands the container has when one does not exist', async () => {
    const result = await k.kubectl(['exec', pod, '-n', 'shop', '--', 'psql', '-c', 'select 1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Internal error occurred: error executing command in container: exec: "psql": executable file not found in \$PATH \(the simulated container runs only: .*\bcat\b.*\bwget\b.*\)\n$/);
  });

  it('answers like the kubelet for a container that is not running, and like the API server for a wrong container or attach', async () => {
    await k.ok('set', 'image', 'deploy/api', 'api=ghcr.io/acme/api:broken', '-n', 'shop');
    await waitForOutput(async () => k.ok('get', 'pods', '-n', 'shop'), /CrashLoopBackOff/);
    const crashing = table(await k.ok('get', 'pods', '-n', 'shop')).find((row) => row[2] === 'CrashLoopBackOff')?.[0] ?? '';
    expect(await k.kubectl(['exec', crashing, '-n', 'shop', '--', 'env'])).toMatchObject({ code: 1, stderr: 'error: unable to upgrade connection: container not found ("api")\n' });
    expect(await k.kubectl(['exec', pod, '-n', 'shop', '-c', 'sidecar', '--', 'env'])).toMatchObject({ code: 1, stderr: expect.stringContaining(`container sidecar is not valid for pod ${pod}`) });
    const attach = await k.kubectl(['attach', pod, '-n', 'shop']);
    expect(attach.code).toBe(1);
    expect(attach.stderr).toContain('the simulated cluster does not support attach');
    const plain = await fetch(`${sim.url}/api/v1/namespaces/shop/pods/${pod}/exec?command=env&stdout=true`, { method: 'POST' });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'Upgrade request required' });
  });
});

describe.each(TRANSPORTS)('kubectl port-forward over $transport', ({ env, method }) => {
  it('forwards a local port to the pod\'s HTTP server: start, one request, stop', async () => {
    const forward = k.start(['port-forward', '-n', 'shop', `pod/${pod}`, ':8080'], env);
    try {
      await waitForOutput(forward.output, /Forwarding from 127\.0\.0\.1:\d+ -> 8080/);
      const localPort = Number(/127\.0\.0\.1:(\d+) -> 8080/.exec(forward.output())?.[1]);
      expect(await get(localPort, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
      const upgrade = sim.requests.find((r) => r.path === `/api/v1/namespaces/shop/pods/${pod}/portforward`);
      expect(upgrade).toMatchObject({ method, status: 101 });
    } finally {
      forward.child.kill();
    }
  });
});

describe('kubectl port-forward: service and refused ports', () => {
  it('forwards svc/api 80 to the pod\'s targetPort, and reports a port nothing listens on as the kubelet does', async () => {
    const viaService = k.start(['port-forward', '-n', 'shop', 'svc/api', ':80']);
    try {
      await waitForOutput(viaService.output, /Forwarding from 127\.0\.0\.1:\d+ -> 8080/);
      const localPort = Number(/127\.0\.0\.1:(\d+) -> 8080/.exec(viaService.output())?.[1]);
      const root = await get(localPort, '/');
      expect(root.status).toBe(200);
      expect(JSON.parse(root.body)).toEqual({ pod, namespace: 'shop', image: 'ghcr.io/acme/api:v1', ready: true });
    } finally {
      viaService.child.kill();
    }

    const wrongPort = k.start(['port-forward', '-n', 'shop', `pod/${pod}`, ':80']);
    try {
      await waitForOutput(wrongPort.output, /Forwarding from 127\.0\.0\.1:\d+ -> 80/);
      const localPort = Number(/127\.0\.0\.1:(\d+) -> 80/.exec(wrongPort.output())?.[1]);
      await get(localPort, '/').catch(() => undefined);
      await waitForOutput(wrongPort.output, /error forwarding port 80 to pod .*connection refused \(the simulated container listens on its declared containerPorts: 8080\)/);
    } finally {
      wrongPort.child.kill();
    }
  });
});
