import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { createKubeClient } from '../../src/kube/index.ts';

const run = promisify(execFile);

describe('setting a Deployment image', () => {
  let sim: SimCluster | undefined;
  let dir: string | undefined;
  afterEach(async () => { await sim?.close(); if (dir) await rm(dir, { recursive: true, force: true }); });

  it('with a replica count, sends one patch for both: one new revision, at the size asked', async () => {
    sim = await startSimCluster({ seed: [{ namespace: 'staging', name: 'api', container: 'api', image: 'registry.local/acme/api:v1.4.0', replicas: 2 }], readyDelayMs: 10 });
    const kube = createKubeClient({ kubeconfigYaml: sim.kubeconfig() });
    await kube.scaleDeployment('staging', 'api', 1);
    const patchesBefore = sim.requests.filter((r) => r.method === 'PATCH').length;

    const status = await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'deckhand canary #7 by alice: v1.5.0 promoted', 2);

    expect(sim.requests.filter((r) => r.method === 'PATCH').length - patchesBefore).toBe(1);
    expect(status.images.api).toBe('registry.local/acme/api:v1.5.0');
    expect(status.desired).toBe(2);
    // kubectl, an independent client, sees one revision for the change, with its cause.
    dir = await mkdtemp(join(tmpdir(), 'deckhand-set-image-'));
    await writeFile(join(dir, 'kubeconfig'), sim.kubeconfig());
    const { stdout } = await run('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), 'rollout', 'history', 'deployment/api', '-n', 'staging']);
    const revisions = stdout.split('\n').filter((l) => /^\d+\s/.test(l));
    expect(revisions).toHaveLength(2);
    expect(revisions[1]).toMatch(/^2\s+deckhand canary #7 by alice: v1\.5\.0 promoted/);
  });

  it('without one, leaves the size alone', async () => {
    sim = await startSimCluster({ seed: [{ namespace: 'staging', name: 'api', container: 'api', image: 'registry.local/acme/api:v1.4.0', replicas: 3 }], readyDelayMs: 10 });
    const kube = createKubeClient({ kubeconfigYaml: sim.kubeconfig() });
    const status = await kube.setImage('staging', 'api', 'api', 'registry.local/acme/api:v1.5.0', 'deckhand deploy #8 by alice');
    expect(status.desired).toBe(3);
    expect(status.images.api).toBe('registry.local/acme/api:v1.5.0');
  });
});
