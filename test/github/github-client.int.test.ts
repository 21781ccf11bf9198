import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDeckhandError } from '../../src/errors.ts';
import { createGitHubClient, type GitHubClient } from '../../src/github/index.ts';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';

const API = { owner: 'acme', repo: 'api' };

describe('the GitHub client (real Octokit) against the simulated GitHub', () => {
  let sim: SimGitHub;
  let gh: GitHubClient;
  beforeEach(async () => {
    sim = await startSimGitHub({ buildDelayMs: 10_000, token: 'ghp_test' });
    gh = createGitHubClient({ baseUrl: sim.url, token: 'ghp_test' });
  });
  afterEach(async () => { await sim.close(); });

  it('lists tags newest first and checks one', async () => {
    expect(await gh.listTags(API)).toEqual(['v1.6.0', 'v1.5.3', 'v1.5.2', 'v1.5.1', 'v1.5.0', 'v1.4.0', 'v1.3.0']);
    expect(await gh.tagExists(API, 'v1.5.1')).toBe(true);
    expect(await gh.tagExists(API, 'v1.5.9')).toBe(false);
  });

  it.each([
    ['v1.5.4', ['v1.5.3', 'v1.5.2', 'v1.5.1']],
    ['1.5.0', ['v1.5.0', 'v1.5.1', 'v1.5.2']],
    ['v1.50', ['v1.5.0']],
    ['v3.0.0', ['v1.6.0', 'v1.5.3', 'v1.5.2']],
  ])('suggests the closest tags for a near miss: %s', async (wanted, expected) => {
    const got = await gh.closestTags(API, wanted, 3);
    expect(got.slice(0, expected.length)).toEqual(expected);
  });

  it('compares two tags: commits oldest first with their parents', async () => {
    const c = await gh.compare(API, 'v1.5.0', 'v1.5.1');
    expect(c.totalCommits).toBe(1);
    expect(c.commits.map((x) => x.message)).toEqual(['fix: leak of connections under load (#15)']);
    expect(c.url).toBe(`${sim.url}/_html/acme/api/compare/v1.5.0...v1.5.1`);
  });

  it('answers an unchanged run with 304 to a conditional read, which GitHub does not count', async () => {
    const d = await gh.dispatchWorkflow(API, 'build.yml', 'v1.5.2');
    const first = await gh.getRun(API, d.runId ?? 0);
    expect(first.kind).toBe('fresh');
    const etag = first.kind === 'fresh' ? first.etag : undefined;
    expect(etag).toMatch(/^W\/"/);

    const again = await gh.getRun(API, d.runId ?? 0, etag);

    expect(again).toEqual({ kind: 'not_modified' });
    const last = sim.requests.at(-1);
    expect(last).toMatchObject({ status: 304, ifNoneMatch: etag });
  });

  it('finds a dispatched run by time, event and ref when the server does not return it (older GitHub Enterprise)', async () => {
    await sim.close();
    sim = await startSimGitHub({ legacyDispatch: true });
    gh = createGitHubClient({ baseUrl: sim.url });
    await gh.dispatchWorkflow(API, 'build.yml', 'v1.5.1');

    const d = await gh.dispatchWorkflow(API, 'build.yml', 'v1.5.2');
    const run = await gh.findDispatchedRun(API, 'build.yml', 'v1.5.2', d.dispatchedAt);

    expect(d.runId).toBeUndefined();
    expect(run).toMatchObject({ headBranch: 'v1.5.2', event: 'workflow_dispatch', status: 'queued' });
    expect(sim.requests.at(-1)?.query).toContain('event=workflow_dispatch');
  });

  it('lists the jobs of a run', async () => {
    const d = await gh.dispatchWorkflow(API, 'build.yml', 'v1.5.2');
    const jobs = await gh.listRunJobs(API, d.runId ?? 0);
    expect(jobs.kind === 'fresh' && jobs.value.map((j) => j.name)).toEqual(['test', 'build and push image']);
  });

  it('respects Retry-After on a 429: the call fails with the wait, and calls meanwhile do not reach GitHub', async () => {
    sim.rateLimit({ count: 1, retryAfterSec: 2 });
    const before = sim.requests.length;

    const first = await gh.listTags(API).catch((e: unknown) => e);
    const second = await gh.tagExists(API, 'v1.5.0').catch((e: unknown) => e);

    expect(isDeckhandError(first, 'github_rate_limited') && first.retryAfterMs).toBe(2000);
    expect(isDeckhandError(second, 'github_rate_limited')).toBe(true);
    expect(sim.requests.length - before).toBe(1);
  });

  it('respects the primary limit: 403 with x-ratelimit-remaining 0 waits until x-ratelimit-reset', async () => {
    sim.rateLimit({ count: 1, retryAfterSec: 30, kind: 'primary' });
    const err = await gh.listTags(API).catch((e: unknown) => e);
    expect(isDeckhandError(err, 'github_rate_limited')).toBe(true);
    const wait = isDeckhandError(err) ? err.retryAfterMs ?? 0 : 0;
    expect(wait).toBeGreaterThan(28_000);
    expect(wait).toBeLessThanOrEqual(31_000);
  });

  it('reports a bad token as a coded error that names the fix', async () => {
    const bad = createGitHubClient({ baseUrl: sim.url, token: 'wrong' });
    const err = await bad.listTags(API).catch((e: unknown) => e);
    expect(isDeckhandError(err, 'github_api_error') && err.userMessage).toBe('GitHub answered 401 for the tags of acme/api. Check GITHUB_TOKEN and its permissions.');
  });

  it('creates deployments and statuses; a success marks the previous one inactive (auto_inactive)', async () => {
    const one = await gh.createDeployment(API, { ref: 'v1.5.0', environment: 'production', description: 'one', payload: { deckhandDeployId: '1' } });
    await gh.createDeploymentStatus(API, one.id, { state: 'success', logUrl: 'https://chat/1' });
    const two = await gh.createDeployment(API, { ref: 'v1.5.1', environment: 'production', description: 'two', payload: { deckhandDeployId: '2' } });
    await gh.createDeploymentStatus(API, two.id, { state: 'in_progress' });
    await gh.createDeploymentStatus(API, two.id, { state: 'success' });

    expect(sim.deploymentsOf('acme/api').map((d) => d.statuses.map((s) => s.state))).toEqual([['success', 'inactive'], ['in_progress', 'success']]);
    expect((await gh.listDeployments(API, { environment: 'production', ref: 'v1.5.1' })).map((d) => d.payload)).toEqual([{ deckhandDeployId: '2' }]);
  });

  it('refuses a deployment of a ref that does not exist', async () => {
    const err = await gh.createDeployment(API, { ref: 'v9.9.9', environment: 'staging', description: '', payload: {} }).catch((e: unknown) => e);
    expect(isDeckhandError(err, 'github_api_error') && err.userMessage).toContain('422');
  });
});
