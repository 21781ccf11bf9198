import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubectlIn, table } from '../kube/kubectl-runner.ts';
import { settled, startArgoCdWorld } from './argo-cd-fixture.ts';

describe('kubectl reads the simulated Argo CD Applications', () => {
  let world: Awaited<ReturnType<typeof startArgoCdWorld>>;
  let dir: string;
  beforeEach(async () => {
    world = await startArgoCdWorld();
    dir = await mkdtemp(join(tmpdir(), 'sim-argo-cd-'));
    await world.cluster.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  afterEach(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists applications with the CRD printer columns, by plural and short name, and refuses an invalid one', async () => {
    const { ok, kubectl } = kubectlIn(dir);
    const first = await world.mainSha();
    await world.createApp(world.application('catalog', 'apps/catalog/production'));
    await world.waitForApp('catalog', settled(first));

    const plain = table(await ok('get', 'applications', '-n', 'argocd'));
    const wide = table(await ok('get', 'app', '-n', 'argocd', '-o', 'wide'));
    const revision = (await ok('get', 'apps', 'catalog', '-n', 'argocd', '-o', 'jsonpath={.status.sync.revision}')).trim();
    const rejected = await kubectl(['apply', '-n', 'argocd', '-f', '-'], { input: JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'bad' }, spec: { destination: {} } }) });

    expect(plain[0]).toEqual(['NAME', 'SYNC STATUS', 'HEALTH STATUS', 'AGE']);
    expect(plain[1]?.slice(0, 3)).toEqual(['catalog', 'Synced', 'Healthy']);
    expect(wide[0]).toEqual(['NAME', 'SYNC STATUS', 'HEALTH STATUS', 'REVISION', 'PROJECT', 'AGE']);
    expect(wide[1]?.slice(0, 5)).toEqual(['catalog', 'Synced', 'Healthy', first, 'default']);
    expect(revision).toBe(first);
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toMatch(/The Application "bad" is invalid: .*project/);
  }, 60_000);
});
