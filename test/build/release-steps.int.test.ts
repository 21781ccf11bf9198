import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImageChecker, createReleaseSteps, type BuildState, type ReleaseStepsDeps } from '../../src/build/index.ts';
import type { Deploy } from '../../src/deploy/index.ts';
import { createGitHubClient } from '../../src/github/index.ts';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { deployOf, driveSteps, memoryRecords } from './drive-steps.ts';

const TARGET = { repository: 'acme/api', image: 'registry.local/acme/api', workflow: 'build.yml' };

describe('release steps against the simulated GitHub, with the real Octokit', () => {
  let sim: SimGitHub;
  let deps: ReleaseStepsDeps;
  beforeEach(async () => {
    sim = await startSimGitHub({ buildDelayMs: 600 });
    deps = {
      github: createGitHubClient({ baseUrl: sim.url, token: 'test-token' }),
      images: createImageChecker({ endpointFor: () => sim.url }),
      targetOf: () => TARGET,
      polling: { intervalMs: 100, maxIntervalMs: 400 },
    };
  });
  afterEach(async () => { await sim.close(); });

  const runPath = (id: number) => new RegExp(`^/repos/acme/api/actions/runs/${id}(/jobs)?$`);

  it('given a tag without an image, when deployed, then the build is dispatched once, followed with ETags, and the rollout starts', async () => {
    const records = memoryRecords([deployOf('1', 'v1.5.3')]);

    const { deploy, events, startRan } = await driveSteps(records, '1', createReleaseSteps(deps)).done;

    expect(deploy.phase).toBe('succeeded');
    expect(startRan).toBe(true);
    const dispatches = sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/dispatches'));
    expect(dispatches).toHaveLength(1);
    const build = deploy.state.build as BuildState;
    expect(build).toMatchObject({ needed: true, status: 'completed', conclusion: 'success', jobsTotal: 2 });
    const polls = sim.requests.filter((r) => runPath(build.runId ?? 0).test(r.path));
    expect(polls.filter((r) => r.path.endsWith(`/runs/${build.runId}`)).slice(1).every((r) => r.ifNoneMatch !== undefined)).toBe(true);
    const statuses = events.flatMap((e) => (e.kind === 'build' ? [e.build.status] : []));
    expect(statuses[0]).toBe('requested');
    expect(statuses).toContain('in_progress');
    expect(statuses.at(-1)).toBe('completed');
    expect(events.some((e) => e.kind === 'build' && e.build.jobsTotal === 2 && e.build.url?.includes(`/actions/runs/${build.runId}`))).toBe(true);
    expect(sim.state.images.has('acme/api:v1.5.3')).toBe(true);
  });

  it('given a version whose build fails, then the deploy fails with the run link and nothing is rolled out', async () => {
    const records = memoryRecords([deployOf('1', 'v1.6.0')]);

    const { deploy, startRan } = await driveSteps(records, '1', createReleaseSteps(deps)).done;

    expect(deploy.phase).toBe('failed');
    expect(startRan).toBe(false);
    const run = sim.runsOf('acme/api')[0];
    expect(deploy.summary).toContain(`${sim.url}/_html/acme/api/actions/runs/${run?.id}`);
    expect(deploy.summary).toMatch(/failed \(failure\).*Nothing was rolled out/);
  });

  it('given an image already in the registry, then nothing is built', async () => {
    const records = memoryRecords([deployOf('1', 'v1.5.0')]);

    const { deploy, startRan } = await driveSteps(records, '1', createReleaseSteps(deps)).done;

    expect(deploy.phase).toBe('succeeded');
    expect(startRan).toBe(true);
    expect(sim.runsOf('acme/api')).toHaveLength(0);
  });

  it('given a version that is not a tag, then the deploy fails suggesting the closest tags', async () => {
    const records = memoryRecords([deployOf('1', 'v1.5.4')]);

    const { deploy, startRan } = await driveSteps(records, '1', createReleaseSteps(deps)).done;

    expect(deploy.phase).toBe('failed');
    expect(startRan).toBe(false);
    expect(deploy.summary).toBe('v1.5.4 is not a tag of acme/api. Did you mean `v1.5.3`, `v1.5.2`, `v1.5.1`? Nothing was rolled out.');
  });

  it('polls at most once per poll interval per run, with conditional requests after the first', async () => {
    sim = await restartWith({ buildDelayMs: 1500 });
    const records = memoryRecords([deployOf('1', 'v1.5.3')]);

    const { deploy } = await driveSteps(records, '1', createReleaseSteps(deps)).done;

    const runId = (deploy.state.build as BuildState).runId ?? 0;
    const polls = sim.requests.filter((r) => runPath(runId).test(r.path) || r.path.endsWith('/dispatches'));
    expect(polls.length).toBeGreaterThan(4);
    for (let i = 1; i < polls.length; i++) {
      expect((polls[i]?.at ?? 0) - (polls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(95);
    }
    const runReads = polls.filter((r) => r.path === `/repos/acme/api/actions/runs/${runId}`);
    expect(runReads.slice(1).every((r) => r.ifNoneMatch !== undefined)).toBe(true);
    expect(sim.requests.filter((r) => r.status === 304).length).toBeGreaterThan(0);
  });

  it('given GitHub answers 429 with Retry-After, then the step waits that long as a delayed re-run and does not hammer', async () => {
    sim.rateLimit({ count: 1, retryAfterSec: 1 });
    const records = memoryRecords([deployOf('1', 'v1.5.0')]);

    const { deploy, waits, events } = await driveSteps(records, '1', createReleaseSteps(deps)).done;

    expect(deploy.phase).toBe('succeeded');
    expect(waits[0]).toBeGreaterThanOrEqual(990);
    const limited = sim.requests.findIndex((r) => r.status === 429);
    const after = sim.requests[limited + 1];
    expect(after && (sim.requests[limited]?.at ?? 0) + 990 <= after.at).toBe(true);
    expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(events.some((e) => e.kind === 'note' && /slow down/.test(e.message))).toBe(true);
  });

  it('records release notes between the running version and the new one, and shows them on the card', async () => {
    deps.releaseNotes = { github: deps.github as never, runningVersion: async () => 'v1.4.0' };
    const records = memoryRecords([deployOf('1', 'v1.5.0')]);

    const { deploy, events } = await driveSteps(records, '1', createReleaseSteps(deps)).done;

    const card = events.find((e) => e.kind === 'release_notes');
    expect(card?.message).toBe([
      'Changes v1.4.0 → v1.5.0 (5 commits)',
      '✨ Features',
      '• payments: idempotency keys (#11)',
      '🐛 Fixes',
      '• timeout on slow card issuers (#12)',
      '🔧 Other',
      '• chore(deps): bump zod to 4.1 (#13)',
      `Compare: ${sim.url}/_html/acme/api/compare/v1.4.0...v1.5.0`,
    ].join('\n'));
    expect(deploy.state.releaseNotes).toMatchObject({ from: 'v1.4.0', to: 'v1.5.0', features: [{ pr: 11 }] });
  });

  async function restartWith(o: Parameters<typeof startSimGitHub>[0]): Promise<SimGitHub> {
    await sim.close();
    const next = await startSimGitHub(o);
    deps.github = createGitHubClient({ baseUrl: next.url });
    deps.images = createImageChecker({ endpointFor: () => next.url });
    return next;
  }
});

describe('GitHub deployments across success, failure and supersede', () => {
  let sim: SimGitHub;
  afterEach(async () => { await sim.close(); });

  it('keeps each deployment status true, and marks the replaced one inactive', async () => {
    sim = await startSimGitHub({ buildDelayMs: 300 });
    const { reportDeploymentOutcome } = await import('../../src/build/index.ts');
    const github = createGitHubClient({ baseUrl: sim.url });
    const cardUrl = (d: Deploy) => `https://chat.example/deploys/${d.id}`;
    const deps: ReleaseStepsDeps = {
      github, images: createImageChecker({ endpointFor: () => sim.url }), targetOf: () => TARGET,
      polling: { intervalMs: 100 }, deployments: { github, cardUrl },
    };
    const onEnd = (d: Deploy) => reportDeploymentOutcome({ github, cardUrl, targetOf: () => TARGET }, d).then(() => {});
    const records = memoryRecords([deployOf('1', 'v1.5.0'), deployOf('2', 'v1.5.1'), deployOf('3', 'v1.6.0')]);

    for (const id of ['1', '2', '3']) await driveSteps(records, id, createReleaseSteps(deps), { onEnd }).done;

    const deployments = sim.deploymentsOf('acme/api');
    expect(deployments.map((d) => [d.ref, d.environment, d.payload.deckhandDeployId])).toEqual([
      ['v1.5.0', 'staging', '1'], ['v1.5.1', 'staging', '2'], ['v1.6.0', 'staging', '3'],
    ]);
    expect(deployments.map((d) => d.statuses.map((s) => s.state))).toEqual([
      ['in_progress', 'success', 'inactive'],
      ['in_progress', 'success'],
      ['in_progress', 'failure'],
    ]);
    expect(deployments[2]?.statuses[1]?.description).toMatch(/^The build of v1\.6\.0 failed/);
    expect(deployments[0]?.statuses[0]?.logUrl).toBe('https://chat.example/deploys/1');
    expect(deployments[0]?.statuses[0]?.environmentUrl).toBe('https://chat.example/deploys/1');
  });

  it('creates the deployment once even when its step runs again after a crash', async () => {
    sim = await startSimGitHub();
    const github = createGitHubClient({ baseUrl: sim.url });
    const steps = createReleaseSteps({
      github, images: createImageChecker({ endpointFor: () => sim.url }), targetOf: () => TARGET,
      deployments: { github, cardUrl: () => undefined },
    });
    const d = deployOf('7', 'v1.5.0', { step: 'github_deployment' });
    const ctx = { deploy: d, emit: () => {}, signal: new AbortController().signal, reload: async () => d };

    const first = await steps.get('github_deployment')?.(ctx);
    const again = await steps.get('github_deployment')?.(ctx);

    expect(sim.deploymentsOf('acme/api')).toHaveLength(1);
    expect(first?.state).toEqual(again?.state);
  });
});
