import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_DISPATCH, buildTargetOf, createImageChecker, createReleaseSteps, type BuildState } from '../../src/build/index.ts';
import type { Deploy, StepContext } from '../../src/deploy/index.ts';
import { createGitHubClient } from '../../src/github/index.ts';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { deployOf, driveSteps, memoryRecords } from './drive-steps.ts';

const TARGET = buildTargetOf({ repository: 'acme/api', image: 'registry.local/acme/api', build: { workflow: 'build.yml', inputs: { version: '{version}', push: 'true' } } });

function stepsFor(sim: SimGitHub) {
  return createReleaseSteps({
    github: createGitHubClient({ baseUrl: sim.url }), images: createImageChecker({ endpointFor: () => sim.url }),
    targetOf: () => TARGET, polling: { intervalMs: 100 },
  });
}

const ctxOf = (deploy: Deploy): StepContext => ({ deploy, emit: () => {}, signal: new AbortController().signal, reload: async () => deploy });

describe('build steps resume and stop safely', () => {
  let sim: SimGitHub;
  afterEach(async () => { await sim.close(); });

  it('finds the run by time, event and ref when GitHub answers the dispatch without it, and passes the inputs', async () => {
    sim = await startSimGitHub({ buildDelayMs: 400, legacyDispatch: true });
    const records = memoryRecords([deployOf('1', 'v1.5.3')]);

    const { deploy } = await driveSteps(records, '1', stepsFor(sim)).done;

    expect(deploy.phase).toBe('succeeded');
    expect((deploy.state.build as BuildState).runId).toBe(sim.runsOf('acme/api')[0]?.id);
    expect(sim.requests.some((r) => r.path === '/repos/acme/api/actions/workflows/build.yml/runs' && r.query.includes('event=workflow_dispatch'))).toBe(true);
    expect(sim.runsOf('acme/api')[0]?.inputs).toEqual({ version: 'v1.5.3', push: 'true' });
  });

  it('given a crash after the dispatch but before its record, when the step runs again, then it adopts the run instead of dispatching twice', async () => {
    sim = await startSimGitHub({ buildDelayMs: 5_000 });
    const steps = stepsFor(sim);
    const d = deployOf('1', 'v1.5.3', { step: BUILD_DISPATCH, phase: 'building', state: { build: { needed: true, requestedAt: new Date().toISOString(), status: 'requested' } } });

    const first = await steps.get(BUILD_DISPATCH)?.(ctxOf(d));
    const rerun = await steps.get(BUILD_DISPATCH)?.(ctxOf(d));

    expect(sim.requests.filter((r) => r.path.endsWith('/dispatches'))).toHaveLength(1);
    const runId = sim.runsOf('acme/api')[0]?.id;
    expect((first?.state?.build as BuildState).runId).toBe(runId);
    expect((rerun?.state?.build as BuildState).runId).toBe(runId);
  });

  it('given an abort asked during the build, then the deploy is aborted before anything is rolled out, naming the run', async () => {
    sim = await startSimGitHub({ buildDelayMs: 5_000 });
    const records = memoryRecords([deployOf('1', 'v1.5.3')]);
    const driving = driveSteps(records, '1', stepsFor(sim));
    await new Promise((r) => setTimeout(r, 300));
    await records.update('1', (d) => ({ ...d, steering: { abort: { by: 'bob' } } }));

    const { deploy, startRan } = await driving.done;

    expect(deploy.phase).toBe('aborted');
    expect(startRan).toBe(false);
    expect(deploy.summary).toMatch(/^Aborted by bob during the build; nothing was rolled out\. The build itself goes on: http.*\/actions\/runs\/\d+$/);
  });

  it('given no build workflow, then a missing image fails the deploy saying what to configure', async () => {
    sim = await startSimGitHub();
    const steps = createReleaseSteps({
      github: createGitHubClient({ baseUrl: sim.url }), images: createImageChecker({ endpointFor: () => sim.url }),
      targetOf: () => buildTargetOf({ repository: 'acme/api', image: 'registry.local/acme/api' }),
    });
    const records = memoryRecords([deployOf('1', 'v1.5.3')]);

    const { deploy } = await driveSteps(records, '1', steps).done;

    expect(deploy.phase).toBe('failed');
    expect(deploy.summary).toBe('registry.local/acme/api:v1.5.3 is not in the registry and api has no build workflow configured (services.api.build.workflow). Nothing was rolled out.');
  });

  it('given a rollback to a version that is no tag, then nothing is resolved or built and the rollout still starts, noting the missing GitHub record', async () => {
    sim = await startSimGitHub();
    const github = createGitHubClient({ baseUrl: sim.url });
    const steps = createReleaseSteps({
      github, images: createImageChecker({ endpointFor: () => sim.url }), targetOf: () => TARGET,
      deployments: { github, cardUrl: () => undefined },
      releaseNotes: { github, runningVersion: async () => 'v1.5.0' },
    });
    const records = memoryRecords([deployOf('1', 'v1.4.0', { action: { kind: 'rollback', toVersion: 'hotfix-build-17' } })]);

    const { deploy, startRan, events } = await driveSteps(records, '1', steps).done;

    expect(deploy.phase).toBe('succeeded');
    expect(startRan).toBe(true);
    expect(sim.runsOf('acme/api')).toHaveLength(0);
    expect(events.some((e) => e.kind === 'release_notes')).toBe(false);
    expect(events.find((e) => e.kind === 'note')?.message).toMatch(/^Not recorded as a GitHub deployment: GitHub answered 422/);
  });
});
