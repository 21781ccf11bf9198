import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { releaseNotes } from '../../src/build/index.ts';
import { isDeckhandError } from '../../src/errors.ts';
import { closestTags } from '../../src/github/index.ts';
import { createGitLabClient, type GitLabClient } from '../../src/gitlab/index.ts';
import { startSimGitLab, type SimGitLab } from '@deckhand/sim/gitlab';

const TOKEN = 'glpat-client-test';
const BILLING = { owner: 'acme', repo: 'billing' };

/** The GitLab client over @gitbeaker/rest, against the simulated GitLab over HTTP. */
describe('the GitLab client', () => {
  let sim: SimGitLab;
  let gitlab: GitLabClient;
  beforeEach(async () => {
    sim = await startSimGitLab({ token: TOKEN, buildDelayMs: 3000 });
    gitlab = createGitLabClient({ url: sim.url, token: TOKEN, closestTags });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('tells a tag from a typo, with the tags that were probably meant, sending PRIVATE-TOKEN to the encoded project', async () => {
    expect(await gitlab.tagExists(BILLING, 'v3.1.0')).toBe(true);
    expect(await gitlab.tagExists(BILLING, 'v3.1.9')).toBe(false);
    expect(await gitlab.closestTags(BILLING, 'v3.1.9')).toEqual(['v3.1.1', 'v3.1.0', 'v3.2.0']);
    expect(sim.requests.every((r) => r.privateToken === TOKEN)).toBe(true);
    expect(sim.requests[0]?.path).toBe('/api/v4/projects/acme%2Fbilling/repository/tags/v3.1.0');
  });

  it('follows every page of tags', async () => {
    expect(await gitlab.listTags(BILLING)).toEqual(['v3.2.0', 'v3.1.1', 'v3.1.0', 'v3.0.0']);
  });

  it('says GITLAB_TOKEN when GitLab refuses it, and never shows the token', async () => {
    const wrong = createGitLabClient({ url: sim.url, token: 'glpat-wrong', closestTags });
    const err = await wrong.tagExists(BILLING, 'v3.1.0').catch((e: unknown) => e);
    expect(isDeckhandError(err, 'gitlab_api_error')).toBe(true);
    expect((err as Error).message).toContain('Check GITLAB_TOKEN');
    expect((err as Error).message).not.toContain('glpat-wrong');
  });

  it('turns a 429 into gitlab_rate_limited with GitLab\'s Retry-After, and does not retry by itself', async () => {
    sim.rateLimit({ count: 5, retryAfterSec: 9 });
    const err = await gitlab.tagExists(BILLING, 'v3.1.0').catch((e: unknown) => e);
    expect(isDeckhandError(err, 'gitlab_rate_limited')).toBe(true);
    expect((err as { retryAfterMs?: number }).retryAfterMs).toBe(9000);
    expect(sim.requests).toHaveLength(1);
    // Further calls fail fast until then: nothing more reaches GitLab.
    await expect(gitlab.listTags(BILLING)).rejects.toMatchObject({ code: 'gitlab_rate_limited' });
    expect(sim.requests).toHaveLength(1);
  });

  it('runs a pipeline for the tag with variables and follows it to success, unchanged reads answering not_modified', async () => {
    const started = await gitlab.dispatchWorkflow(BILLING, '.gitlab-ci.yml', 'v3.1.1', { DEPLOY_VERSION: 'v3.1.1' });
    expect(started.runId).toBeGreaterThan(0);
    expect(started.runUrl).toBe(`${sim.url}/acme/billing/-/pipelines/${started.runId}`);
    expect(sim.pipelinesOf('acme/billing')[0]?.variables).toEqual([{ key: 'DEPLOY_VERSION', value: 'v3.1.1' }]);
    const found = await gitlab.findDispatchedRun(BILLING, '.gitlab-ci.yml', 'v3.1.1', new Date(Date.now() - 60_000).toISOString());
    expect(found?.id).toBe(started.runId);
    // While the test job runs (0.2 to 0.5 of the build: 900 ms), two reads see the same pipeline.
    for (const deadline = Date.now() + 5000; sim.pipelinesOf('acme/billing')[0]?.status !== 'running'; await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() > deadline) throw new Error('pipeline never ran');
    }
    const first = await gitlab.getRun(BILLING, started.runId ?? 0);
    if (first.kind !== 'fresh') throw new Error('expected a fresh read');
    expect(await gitlab.getRun(BILLING, started.runId ?? 0, first.etag)).toEqual({ kind: 'not_modified' });
    for (const deadline = Date.now() + 10_000; sim.pipelinesOf('acme/billing')[0]?.status !== 'success'; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > deadline) throw new Error('pipeline never finished');
    }
    const done = await gitlab.getRun(BILLING, started.runId ?? 0, first.etag);
    expect(done).toMatchObject({ kind: 'fresh', value: { status: 'completed', conclusion: 'success' } });
    const jobs = await gitlab.listRunJobs(BILLING, started.runId ?? 0);
    expect(jobs).toMatchObject({ kind: 'fresh', value: [{ name: 'test', status: 'completed', conclusion: 'success' }, { name: 'build-image', status: 'completed', conclusion: 'success' }] });
  });

  it('reads release notes from the merge requests between two tags (merge commits and squash merges, as !n)', async () => {
    const notes = await releaseNotes(gitlab, BILLING, 'v3.0.0', 'v3.1.1');
    expect(notes.features).toMatchObject([{ title: 'credit notes', pr: 4, prMarker: '!' }]);
    expect(notes.fixes.map((f) => [f.title, f.pr, f.prMarker])).toEqual([['duplicate invoice numbers under load', 7, '!'], ['VAT rounding on credit notes', 5, '!']]);
    expect(notes.other.map((o) => o.title)).toEqual(['docs: billing runbook']);
    expect(notes.compareUrl).toBe(`${sim.url}/acme/billing/-/compare/v3.0.0...v3.1.1`);
  });

  it('records a deployment of the tag\'s commit, running, then its outcome', async () => {
    const dep = await gitlab.createDeployment(BILLING, { ref: 'v3.1.0', environment: 'staging', description: 'Deckhand #1', payload: { deckhandDeployId: '1' } });
    await gitlab.createDeploymentStatus(BILLING, dep.id, { state: 'in_progress' });
    await gitlab.createDeploymentStatus(BILLING, dep.id, { state: 'failure', description: 'rolled back' });
    const [recorded] = sim.deploymentsOf('acme/billing');
    expect(recorded).toMatchObject({ environment: 'staging', ref: 'v3.1.0', tag: true, status: 'failed', history: ['running', 'failed'] });
    expect(await gitlab.listDeployments(BILLING, { environment: 'staging', ref: 'v3.1.0' })).toEqual([{ id: dep.id, ref: 'v3.1.0', environment: 'staging', payload: {} }]);
  });
});
