import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSimCluster } from '../../src/kube/index.ts';
import type { SimCluster } from '../../src/kube/index.ts';

const run = promisify(execFile);
let sim: SimCluster | undefined;
let dir: string | undefined;

afterEach(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('runSimCluster', () => {
  it('starts the sim, writes the kubeconfig, says how to use kubectl, and treats faulty images by pattern', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => {
      printed.push(line);
    });
    sim = await runSimCluster({ kubeconfigPath, readyDelayMs: 20, faultyImages: ['ghcr.io/acme/api:bad*'], seed: [{ namespace: 'shop', name: 'api', container: 'api', image: 'ghcr.io/acme/api:v1', replicas: 1 }] });
    expect(printed.join('\n')).toContain(`KUBECONFIG=${kubeconfigPath} kubectl get deploy -A`);
    expect(await readFile(kubeconfigPath, 'utf8')).toContain(`server: ${sim.url}`);
    const { stdout } = await run('/usr/bin/kubectl', ['--cache-dir', join(dir, 'cache'), 'get', 'deploy', '-A', '--no-headers'], { env: { ...process.env, KUBECONFIG: kubeconfigPath } });
    expect(stdout).toMatch(/^shop\s+api\s+1\/1\s+1\s+1\s+\d+s\n$/);

    const kubectl = (...args: string[]) => run('/usr/bin/kubectl', ['--cache-dir', join(dir ?? '', 'cache'), '-n', 'shop', ...args], { env: { ...process.env, KUBECONFIG: kubeconfigPath } });
    await kubectl('set', 'image', 'deploy/api', 'api=ghcr.io/acme/api:bad-1');
    const deadline = Date.now() + 10_000;
    while (!(await kubectl('get', 'pods', '--no-headers')).stdout.includes('CrashLoopBackOff')) {
      if (Date.now() > deadline) throw new Error('the faulty image never crash-looped');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
