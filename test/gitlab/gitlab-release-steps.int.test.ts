import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_DISPATCH, buildTargetOf, createImageChecker, createReleaseSteps, type BuildState } from '../../src/build/index.ts';
import type { Deploy, StepContext } from '../../src/deploy/index.ts';
import { closestTags, createGitHubClient } from '../../src/github/index.ts';
import { createGitLabClient } from '../../src/gitlab/index.ts';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { startSimGitLab, type SimGitLab } from '@deckhand/sim/gitlab';
import { deployOf, driveSteps, memoryRecords } from '../build/drive-steps.ts';

const BILLING = buildTargetOf({ repository: 'gitlab:acme/billing', image: 'registry.local/acme/billing', build: { variables: { DEPLOY_VERSION: '{version}' } } });

const ctxOf = (deploy: Deploy): StepContext => ({ deploy, emit: () => {}, signal: new AbortController().signal, reload: async () => deploy });

/**
 * The release steps over the forge registry: the same steps as for GitHub, with GitLab's client as the `gitlab`
 * forge (the simulated GitHub is only the image registry here).
 */
describe('release steps for a service on GitLab', () => {
  let registry: SimGitHub;
  let gitlab: SimGitLab;
  afterEach(async () => {
    await gitlab.close();
    await registry.close();
  });

  async function start(buildDelayMs: number) {
    registry = await startSimGitHub({ repos: [] });
    gitlab = await startSimGitLab({ buildDelayMs, pushImage: (image) => registry.state.images.add(image) });
    for (const v of ['v3.0.0', 'v3.1.0']) registry.state.images.add(`acme/billing:${v}`);
    const client = createGitLabClient({ url: gitlab.url, closestTags });
    return createReleaseSteps({
      forges: new Map([['gitlab', client], ['github', createGitHubClient({ baseUrl: registry.url })]]),
      images: createImageChecker({ endpointFor: () => registry.url }), targetOf: () => BILLING, polling: { intervalMs: 100, maxIntervalMs: 400 },
    });
  }

  it('given a crash after the pipeline was created but before its record, when the step runs again, then it adopts the pipeline instead of creating a second', async () => {
    const steps = await start(5_000);
    const d = deployOf('1', 'v3.1.1', { service: 'billing', step: BUILD_DISPATCH, phase: 'building', state: { build: { needed: true, requestedAt: new Date().toISOString(), status: 'requested' } } });

    const first = await steps.get(BUILD_DISPATCH)?.(ctxOf(d));
    const rerun = await steps.get(BUILD_DISPATCH)?.(ctxOf(d));

    expect(gitlab.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pipeline'))).toHaveLength(1);
    const id = gitlab.pipelinesOf('acme/billing')[0]?.id;
    expect((first?.state?.build as BuildState).runId).toBe(id);
    expect((rerun?.state?.build as BuildState).runId).toBe(id);
  });

  it('given GitLab says "slow down" while the pipeline is followed, then the step waits for the time GitLab named instead of failing', async () => {
    const steps = await start(600);
    const records = memoryRecords([deployOf('1', 'v3.1.1', { service: 'billing' })]);
    const driving = driveSteps(records, '1', steps);
    for (const deadline = Date.now() + 5000; gitlab.pipelinesOf('acme/billing').length === 0; await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() > deadline) throw new Error('no pipeline');
    }
    gitlab.rateLimit({ count: 1, retryAfterSec: 1 });

    const { deploy, waits, events, startRan } = await driving.done;

    expect(deploy.phase).toBe('succeeded');
    expect(startRan).toBe(true);
    expect(waits).toContain(1000);
    expect(events.some((e) => e.kind === 'note' && e.message.includes('GitLab asked Deckhand to slow down'))).toBe(true);
  });

  it('given no webhook, then the pipeline is polled, backing off while it does not change, and never past the longest interval', async () => {
    const steps = await start(3000);
    const records = memoryRecords([deployOf('1', 'v3.1.1', { service: 'billing' })]);

    const { deploy, waits } = await driveSteps(records, '1', steps).done;

    expect(deploy.phase).toBe('succeeded');
    // 100 ms while the pipeline moves; 150, 225, 338, 400 … while it sits in its build job (0.5 to 1.0 of the build).
    expect(waits).toEqual(expect.arrayContaining([150, 225]));
    expect(Math.max(...waits)).toBe(400);
    // A timer may fire a millisecond before its interval is up by the wall clock; the step then waits out that rest
    // (build-steps.ts `spacing`: never two requests within one interval) — a wait of a few ms that is not a poll interval.
    const intervals = waits.filter((w) => w > 5);
    expect(intervals.length).toBeGreaterThanOrEqual(waits.length - 2);
    expect(Math.min(...intervals)).toBeGreaterThanOrEqual(100);
  });

  it('given no GitLab connection, then a GitLab service is deployed unchecked, as any service is without a forge, and says so', async () => {
    await start(100);
    const steps = createReleaseSteps({
      github: createGitHubClient({ baseUrl: registry.url }), images: createImageChecker({ endpointFor: () => registry.url }), targetOf: () => BILLING,
    });
    const records = memoryRecords([deployOf('1', 'v3.1.0', { service: 'billing' })]);

    const { deploy, events, startRan } = await driveSteps(records, '1', steps).done;

    expect(startRan).toBe(true);
    expect(deploy.phase).toBe('succeeded');
    expect(events.some((e) => e.kind === 'note' && e.message === 'v3.1.0 was not checked or built: billing is on GitLab, and this Deckhand has no GitLab connection.')).toBe(true);
    expect(gitlab.requests).toEqual([]);
  });
});
