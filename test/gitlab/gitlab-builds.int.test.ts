import { afterEach, describe, expect, it } from 'vitest';
import type { BuildState } from '../../src/build/index.ts';
import type { Deploy } from '../../src/deploy/index.ts';
import { startGitLabWorld, type GitLabWorld } from './gitlab-world.ts';

/** The end report reaches GitLab just after the deploy's phase is recorded. */
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > deadline) throw new Error('timed out');
  }
}

const PIPELINE_READ = /^\/api\/v4\/projects\/acme%2Fbilling\/pipelines\/\d+$/;

/**
 * A service built on GitLab, end to end through the composition root: chat command → policy → queue → tag check on
 * GitLab → pipeline for the missing image, followed to its end → release notes from merge requests → GitLab
 * deployment of the environment → rollout on the simulated cluster (or nothing rolled out when the pipeline fails).
 */
describe('GitLab CI builds, followed by polling (no webhook token)', () => {
  let world: GitLabWorld;
  afterEach(async () => {
    await world.stop();
  });

  it('given v3.1.1 is tagged without an image, when it is deployed, then a pipeline builds it and the rollout follows, with release notes from merge requests and a GitLab deployment', async () => {
    world = await startGitLabWorld();
    await world.say('/deploy billing v3.1.1 to staging');
    const d = await world.waitForPhase('1', 'succeeded', 30_000);

    const [pipeline] = world.gitlab.pipelinesOf('acme/billing');
    expect(pipeline).toMatchObject({ ref: 'v3.1.1', status: 'success', variables: [{ key: 'DEPLOY_VERSION', value: 'v3.1.1' }] });
    expect((await world.app.kube.readDeployment('staging', 'billing')).images.billing).toBe('registry.local/acme/billing:v3.1.1');
    const build = d.state.build as BuildState;
    expect(build).toMatchObject({ needed: true, status: 'completed', conclusion: 'success', runId: pipeline?.id, runUrl: `${world.gitlab.url}/acme/billing/-/pipelines/${pipeline?.id}` });

    // Release notes: the merge request between v3.1.0 and v3.1.1, named the GitLab way.
    expect(d.state.releaseNotes).toMatchObject({ from: 'v3.1.0', to: 'v3.1.1', fixes: [{ title: 'duplicate invoice numbers under load', pr: 7, prMarker: '!' }] });
    await world.app.cards.flush();
    expect(world.output()).toContain('duplicate invoice numbers under load (!7)');

    // The GitLab deployment of staging: created running at the start, success at the end.
    await until(() => world.gitlab.deploymentsOf('acme/billing')[0]?.status !== 'running');
    expect(world.gitlab.deploymentsOf('acme/billing')).toMatchObject([{ environment: 'staging', ref: 'v3.1.1', tag: true, status: 'success', history: ['running', 'success'] }]);

    // Polled, never faster than the poll interval (200 ms), every request with the token.
    const reads = world.gitlab.requests.filter((r) => PIPELINE_READ.test(r.path)).map((r) => r.at);
    expect(reads.length).toBeGreaterThan(0);
    for (let i = 1; i < reads.length; i++) expect((reads[i] ?? 0) - (reads[i - 1] ?? 0)).toBeGreaterThanOrEqual(150);
    expect(world.gitlab.requests.every((r) => r.privateToken === 'glpat-world-token')).toBe(true);
  });

  it('given v3.2.0\'s pipeline fails, when it is deployed, then the deploy fails with the pipeline\'s link, nothing is rolled out, and the GitLab deployment is failed', async () => {
    world = await startGitLabWorld();
    await world.say('/deploy billing v3.2.0 to staging');
    const d: Deploy = await world.waitForPhase('1', 'failed', 30_000);

    const [pipeline] = world.gitlab.pipelinesOf('acme/billing');
    expect(pipeline?.status).toBe('failed');
    expect(d.summary).toBe(`The build of v3.2.0 failed (failure): ${world.gitlab.url}/acme/billing/-/pipelines/${pipeline?.id}. Nothing was rolled out.`);
    expect((await world.app.kube.readDeployment('staging', 'billing')).images.billing).toBe('registry.local/acme/billing:v3.1.0');
    expect(world.gitlab.pushed).toEqual([]);
    await until(() => world.gitlab.deploymentsOf('acme/billing')[0]?.status !== 'running');
    expect(world.gitlab.deploymentsOf('acme/billing')).toMatchObject([{ ref: 'v3.2.0', status: 'failed', history: ['running', 'failed'] }]);
  });

  it('given a deploy that went out, when it is rolled back to the version before, then the rollback is a GitLab deployment of the version it restores', async () => {
    world = await startGitLabWorld();
    await world.say('/deploy billing v3.1.1 to staging');
    await world.waitForPhase('1', 'succeeded', 30_000);
    await world.say('/rollback billing staging to v3.1.0');
    const back = await world.waitForPhase('2', ['succeeded', 'failed', 'rolled_back'], 30_000);

    expect(back.phase).toBe('succeeded');
    expect((await world.app.kube.readDeployment('staging', 'billing')).images.billing).toBe('registry.local/acme/billing:v3.1.0');
    await until(() => world.gitlab.deploymentsOf('acme/billing').length === 2 && world.gitlab.deploymentsOf('acme/billing')[1]?.status !== 'running');
    expect(world.gitlab.deploymentsOf('acme/billing').map((x) => [x.ref, x.status])).toEqual([['v3.1.1', 'success'], ['v3.1.0', 'success']]);
  });

  it('given a service on GitHub beside it, then each builds on its own forge in the same Deckhand', async () => {
    world = await startGitLabWorld();
    await world.say('/deploy api v1.5.3 to staging');
    await world.say('/deploy billing v3.1.1 to staging');
    await world.waitForPhase('1', 'succeeded', 30_000);
    await world.waitForPhase('2', 'succeeded', 30_000);

    expect(world.github?.runsOf('acme/api').map((r) => [r.headBranch, r.conclusion])).toEqual([['v1.5.3', 'success']]);
    expect(world.gitlab.pipelinesOf('acme/billing').map((p) => [p.ref, p.status])).toEqual([['v3.1.1', 'success']]);
    await until(() => world.github?.deploymentsOf('acme/api')[0]?.statuses.at(-1)?.state === 'success' && world.gitlab.deploymentsOf('acme/billing')[0]?.status === 'success');
  });

  it('given a version that is not a tag of the project, then the request is refused with the tags that were probably meant', async () => {
    world = await startGitLabWorld();
    const reply = await world.say('/deploy billing v3.1.9 to staging');
    expect(reply).toContain('v3.1.9 is not a tag of acme/billing. Did you mean `v3.1.1`');
    expect(world.gitlab.pipelinesOf('acme/billing')).toEqual([]);
  });
});

describe('GitLab CI builds, woken by Pipeline Hooks (GITLAB_WEBHOOK_TOKEN set)', () => {
  const TOKEN = 'gitlab-webhook-token';
  let world: GitLabWorld;
  afterEach(async () => {
    await world.stop();
  });

  // With a webhook token, polling is only a 60-second safety net: a deploy that ends within seconds was woken.
  it('given a pipeline that succeeds, then each hook wakes the deploy and it rolls out long before the next safety-net poll', async () => {
    world = await startGitLabWorld({ webhookToken: TOKEN });
    const started = Date.now();
    await world.say('/deploy billing v3.1.1 to staging');
    await world.waitForPhase('1', 'succeeded', 30_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(world.gitlab.deliveries.length).toBeGreaterThan(0);
    expect(world.gitlab.deliveries.every((x) => x.answered === 202)).toBe(true);
    await until(() => world.gitlab.deploymentsOf('acme/billing')[0]?.status !== 'running');
    expect(world.gitlab.deploymentsOf('acme/billing')).toMatchObject([{ status: 'success' }]);
  });

  it('given a pipeline that fails, then the hook wakes the deploy and it fails at once, nothing rolled out', async () => {
    world = await startGitLabWorld({ webhookToken: TOKEN });
    const started = Date.now();
    await world.say('/deploy billing v3.2.0 to staging');
    const d = await world.waitForPhase('1', 'failed', 30_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(d.summary).toContain('The build of v3.2.0 failed');
    expect((await world.app.kube.readDeployment('staging', 'billing')).images.billing).toBe('registry.local/acme/billing:v3.1.0');
  });

  it('refuses a delivery with a wrong or missing X-Gitlab-Token with 401, and acknowledges an authentic one', async () => {
    world = await startGitLabWorld({ webhookToken: TOKEN });
    const url = `${world.app.http?.url}/gitlab/webhook`;
    const body = JSON.stringify({ object_kind: 'pipeline', object_attributes: { id: 424242, status: 'success' }, project: { path_with_namespace: 'acme/billing' } });
    const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Pipeline Hook', ...headers } });
    expect((await post({ 'x-gitlab-token': 'wrong-token' })).status).toBe(401);
    expect((await post({ 'x-gitlab-token': `${TOKEN}x` })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    const ok = await post({ 'x-gitlab-token': TOKEN });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ woken: [] });
  });
});
