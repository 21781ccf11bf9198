import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTargetOf, createImageChecker, createReleaseSteps, reportDeploymentOutcome } from '../../src/build/index.ts';
import { versionOfImage, type Deploy } from '../../src/deploy/index.ts';
import { createGitHubClient } from '../../src/github/index.ts';
import { createKubeClient, type KubeClient } from '../../src/kube/index.ts';
import { createRollingDriver } from '../../src/rollout/index.ts';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { deployOf, driveSteps, memoryRecords } from './drive-steps.ts';

const API = { repository: 'acme/api', image: 'registry.local/acme/api', build: { workflow: 'build.yml' } };
const WORKLOAD = { namespace: 'staging', deployment: 'api', container: 'api', image: 'registry.local/acme/api' };

/**
 * The release steps in front of the real rolling driver, against the simulated GitHub and the simulated cluster:
 * what the pipeline runs once the lead prepends them (gate → build_check … → start).
 */
describe('build, then roll out', () => {
  let github: SimGitHub;
  let cluster: SimCluster;
  let kube: KubeClient;
  beforeEach(async () => {
    github = await startSimGitHub({ buildDelayMs: 500 });
    cluster = await startSimCluster({
      readyDelayMs: 30,
      seed: [{ namespace: 'staging', name: 'api', container: 'api', image: 'registry.local/acme/api:v1.4.0', replicas: 2, progressDeadlineSeconds: 5, labels: { app: 'api' } }],
    });
    kube = createKubeClient({ kubeconfigYaml: cluster.kubeconfig() });
  });
  afterEach(async () => {
    await github.close();
    await cluster.close();
  });

  function tables() {
    const gh = createGitHubClient({ baseUrl: github.url });
    const cardUrl = (d: Deploy) => `https://chat.example/deploys/${d.id}`;
    const release = createReleaseSteps({
      github: gh, images: createImageChecker({ endpointFor: () => github.url }), targetOf: () => buildTargetOf(API),
      polling: { intervalMs: 100 },
      deployments: { github: gh, cardUrl },
      releaseNotes: {
        github: gh,
        runningVersion: async () => versionOfImage((await kube.readDeployment('staging', 'api')).images.api ?? ''),
      },
    });
    const driver = createRollingDriver({ kube, targetOf: () => WORKLOAD, deadlineGraceMs: 1000 });
    const onEnd = async (d: Deploy) => { await reportDeploymentOutcome({ github: gh, cardUrl, targetOf: () => buildTargetOf(API) }, d); };
    return { release, driver: driver.steps, onEnd };
  }

  it('given a version without an image, then it is built, rolled out, and its deployment ends in success with release notes', async () => {
    const { release, driver, onEnd } = tables();
    const records = memoryRecords([deployOf('1', 'v1.5.3')]);

    const { deploy, events } = await driveSteps(records, '1', release, { driver, onEnd, timeoutMs: 30_000 }).done;

    expect(deploy.phase).toBe('succeeded');
    expect((await kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.5.3');
    expect(github.runsOf('acme/api').map((r) => [r.headBranch, r.conclusion])).toEqual([['v1.5.3', 'success']]);
    expect(github.deploymentsOf('acme/api').map((d) => d.statuses.map((s) => s.state))).toEqual([['in_progress', 'success']]);
    const phases = events.flatMap((e) => (e.kind === 'phase' ? [e.phase] : []));
    expect(phases).toEqual(['building', 'rolling_out', 'succeeded']);
    const notes = events.find((e) => e.kind === 'release_notes');
    expect(notes?.message.split('\n')[0]).toBe('Changes v1.4.0 → v1.5.3 (8 commits)');
  });

  it('given a version whose build fails, then nothing is rolled out and the deployment ends in failure', async () => {
    const { release, driver, onEnd } = tables();
    const records = memoryRecords([deployOf('1', 'v1.6.0')]);

    const { deploy } = await driveSteps(records, '1', release, { driver, onEnd, timeoutMs: 30_000 }).done;

    expect(deploy.phase).toBe('failed');
    expect(deploy.summary).toMatch(/^The build of v1\.6\.0 failed \(failure\): http.*\/actions\/runs\/\d+\. Nothing was rolled out\.$/);
    expect((await kube.readDeployment('staging', 'api')).images.api).toBe('registry.local/acme/api:v1.4.0');
    expect(cluster.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(github.deploymentsOf('acme/api').map((d) => d.statuses.map((s) => s.state))).toEqual([['in_progress', 'failure']]);
  });
});
