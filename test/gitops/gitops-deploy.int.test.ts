import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getJson, startGitOpsWorld, type GitOpsWorld } from './gitops-world.ts';

const Commits = z.array(z.object({ sha: z.string(), commit: z.object({ message: z.string() }) }));

const OVERLAY = 'apps/catalog/production/kustomization.yaml';
const VALUES = 'apps/billing/production-values.yaml';

/** The config repository's commits on main that touched `path`, newest first (over the sim's REST API). */
async function commitsOf(w: GitOpsWorld, path: string): Promise<{ sha: string; message: string }[]> {
  const body = await getJson(`${w.github.url}/repos/acme/deploy-config/commits?sha=main&path=${encodeURIComponent(path)}`, Commits);
  return body.map((c) => ({ sha: c.sha, message: c.commit.message }));
}

/** Deckhand's own writes to Deployments: a GitOps deploy must never make one (Argo CD would undo it). */
function deploymentWrites(w: GitOpsWorld): string[] {
  return w.sim.requests.filter((r) => r.method !== 'GET' && /\/deployments/.test(r.path)).map((r) => `${r.method} ${r.path}`);
}

async function deployAndApprove(w: GitOpsWorld, line: string): Promise<string> {
  const asked = await w.say(line);
  const id = /#(\d+)/.exec(asked)?.[1];
  if (!id) throw new Error(`no deploy id in: ${asked}`);
  await w.say(`@bob /approve ${id}`);
  return id;
}

describe('GitOps through Argo CD, end to end (Redis, Octokit → simulated GitHub, client-node → simulated Argo CD)', () => {
  let w: GitOpsWorld;
  beforeEach(async () => { w = await startGitOpsWorld(); });
  afterEach(async () => { await w.stop(); });

  it('refuses a canary on a GitOps environment when it is asked for, with nothing recorded, committed or locked', async () => {
    const before = await commitsOf(w, OVERLAY);
    const reply = await w.say('/deploy catalog v1.1.0 to production canary 10%');
    expect(reply).toContain('catalog in production is delivered through Argo CD (GitOps): its rollout strategy lives in the manifests Argo CD syncs, so Deckhand cannot run a canary there. Nothing was changed. Deploy it with /deploy catalog v1.1.0 to production.');
    expect(await w.app.deploys.listOpen()).toEqual([]);
    expect(await commitsOf(w, OVERLAY)).toEqual(before);
    // The plain deploy it suggests goes through.
    expect(await w.say('/deploy catalog v1.1.0 to production')).toMatch(/Deploy #\d+: catalog v1\.1\.0 to production \(GitOps, Argo CD\) needs 1 approval/);
  });

  it('commits the tag to the Kustomize overlay and follows the Application to Synced and Healthy at that commit', async () => {
    const id = await deployAndApprove(w, '/deploy catalog v1.1.0 to production');
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back']);
    expect(d.phase, d.summary).toBe('succeeded');

    const [commit] = await commitsOf(w, OVERLAY);
    expect(commit?.message).toMatch(new RegExp(`^deploy\\(catalog\\): v1\\.1\\.0 to production — Deckhand deploy ${id} by alice \\(console `));
    expect(commit?.message).toContain(`Deckhand-Deploy: ${id}`);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.1.0');
    expect(d.summary).toContain(`Synced and Healthy at ${commit?.sha.slice(0, 7)}`);
    const app = await w.application('catalog-production');
    expect(app.status?.sync).toMatchObject({ status: 'Synced', revision: commit?.sha });
    expect(app.status?.health?.status).toBe('Healthy');
    // The card told the story with links: the commit on GitHub and the Application in Argo CD's UI.
    await w.app.cards.flush();
    const out = w.output();
    expect(out).toContain(`/acme/deploy-config/commit/${commit?.sha}`);
    expect(out).toContain('https://argocd.example.com/applications/argocd/catalog-production');
    expect(out).toMatch(/Argo CD catalog-production: .*Synced at [0-9a-f]{7} · Healthy/);
    expect(deploymentWrites(w)).toEqual([]);
  });

  it('fails a deploy whose sync never gets Healthy and puts the previous tag back with a revert commit', async () => {
    const id = await deployAndApprove(w, '/deploy catalog v1.2.0 to production');
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back'], 45_000);
    expect(d.phase, d.summary).toBe('rolled_back');
    const [revert, forward] = await commitsOf(w, OVERLAY);
    expect(forward?.message).toContain('deploy(catalog): v1.2.0 to production');
    expect(revert?.message).toMatch(/^revert\(catalog\): v1\.0\.0 back in production/);
    expect(revert?.message).toContain('Deckhand-Action: revert');
    expect(await w.file(OVERLAY)).toContain('newTag: v1.0.0');
    expect(d.summary).toMatch(/did not reach v1\.2\.0 Synced and Healthy within 10 s.*back on v1\.0\.0 in production: Argo CD synced the revert commit/);
    expect((await w.application('catalog-production')).status?.sync?.revision).toBe(revert?.sha);
    expect(deploymentWrites(w)).toEqual([]);
  });

  it('opens a pull request to the Helm values, merges it once approved, and follows the sync', async () => {
    const id = await deployAndApprove(w, '/deploy billing 3.2.0 to production');
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back']);
    expect(d.phase, d.summary).toBe('succeeded');
    expect(await w.file(VALUES)).toBe('replicaCount: 3\nimage:\n  tag: "3.2.0"\n');
    const pulls = await getJson(`${w.github.url}/repos/acme/deploy-config/pulls?state=closed`, z.array(z.object({ number: z.number(), merged_at: z.string().nullable(), head: z.object({ ref: z.string() }) })));
    expect(pulls).toHaveLength(1);
    expect(pulls[0]?.head.ref).toBe(`deckhand/billing-production-${id}-deploy`);
    expect(pulls[0]?.merged_at).not.toBeNull();
    await w.app.cards.flush();
    expect(w.output()).toMatch(/Pull request #\d+ sets 3\.2\.0 in apps\/billing\/production-values\.yaml; merging it/);
    expect((await w.application('billing-production')).status?.health?.status).toBe('Healthy');
  });

  it('/rollback is a commit back to the tag the file had before, found in its history', async () => {
    const first = await deployAndApprove(w, '/deploy catalog v1.1.0 to production');
    const before = await w.waitForPhase(first, ['succeeded', 'failed', 'rolled_back']);
    expect(before.phase, before.summary).toBe('succeeded');
    const id = await deployAndApprove(w, '/rollback catalog production');
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back']);
    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.summary).toMatch(/catalog is back on v1\.0\.0 in production/);
    const [commit] = await commitsOf(w, OVERLAY);
    expect(commit?.message).toMatch(/^rollback\(catalog\): v1\.0\.0 in production — Deckhand deploy/);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.0.0');
    expect(deploymentWrites(w)).toEqual([]);
  });
});

describe('GitOps failures and people, end to end', () => {
  let w: GitOpsWorld;
  beforeEach(async () => { w = await startGitOpsWorld(); });
  afterEach(async () => { await w.stop(); });

  async function atStep(id: string, step: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await w.app.deploys.get(id))?.step !== step) {
      if (Date.now() > deadline) throw new Error(`deploy #${id} never reached ${step}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('a Degraded application fails the deploy at once and the revert commit brings it back to Healthy', async () => {
    // The team's Deployment gives up after 2 s without progress: Argo CD's health check then says Degraded.
    const manifest = await w.file('apps/catalog/production/deployment.yaml');
    w.github.commit('acme/deploy-config', { files: { 'apps/catalog/production/deployment.yaml': manifest.replace('  replicas: 2\n', '  replicas: 2\n  progressDeadlineSeconds: 2\n') }, message: 'tighten the progress deadline', author: 'carol' });
    const id = await deployAndApprove(w, '/deploy catalog v1.2.0 to production');
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back']);
    expect(d.phase, d.summary).toBe('rolled_back');
    expect(d.summary).toMatch(/Argo CD could not sync v1\.2\.0: the application is Degraded/);
    await w.app.cards.flush();
    expect(w.output()).toMatch(/Argo CD catalog-production: Synced at [0-9a-f]{7} · Degraded/);
    expect((await commitsOf(w, OVERLAY))[0]?.message).toMatch(/^revert\(catalog\): v1\.0\.0 back in production/);
    expect((await w.application('catalog-production')).status?.health?.status).toBe('Healthy');
  });

  it('/abort while Argo CD syncs reverts the commit and ends aborted', async () => {
    const id = await deployAndApprove(w, '/deploy catalog v1.2.0 to production');
    await atStep(id, 'follow');
    await w.say('/abort catalog production');
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted']);
    expect(d.phase, d.summary).toBe('aborted');
    expect(d.summary).toMatch(/^Aborted by alice.*back on v1\.0\.0 in production: Argo CD synced the revert commit/);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.0.0');
    expect(deploymentWrites(w)).toEqual([]);
  });

  it('never overwrites a person who changed the tag meanwhile: the deploy is reported superseded, not reverted over them', async () => {
    const id = await deployAndApprove(w, '/deploy catalog v1.2.0 to production');
    await atStep(id, 'follow');
    // Someone pushes a hotfix tag by hand while Deckhand follows its own (failing) commit.
    const overlay = await w.file(OVERLAY);
    const human = w.github.commit('acme/deploy-config', { files: { [OVERLAY]: overlay.replace('newTag: v1.2.0', 'newTag: v1.3.0') }, message: 'hotfix: v1.3.0', author: 'carol' });
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back']);
    expect(d.phase, d.summary).toBe('failed');
    expect(d.summary).toMatch(/^Superseded: apps\/catalog\/production\/kustomization\.yaml was changed to v1\.3\.0 at [0-9a-f]{7} while Deckhand followed v1\.2\.0 .*Nothing was reverted/);
    expect((await commitsOf(w, OVERLAY))[0]?.sha).toBe(human);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.3.0');
  });

  it('re-applies its tag over a person\'s commit to the same file and follows the newer revision that carries it', async () => {
    const id = await deployAndApprove(w, '/deploy catalog v1.1.0 to production');
    await atStep(id, 'follow');
    const overlay = await w.file(OVERLAY);
    w.github.commit('acme/deploy-config', { files: { [OVERLAY]: overlay.replace('resources:', '# owned by the catalog team\nresources:') }, message: 'docs: owner', author: 'carol' });
    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back']);
    expect(d.phase, d.summary).toBe('succeeded');
    expect(await w.file(OVERLAY)).toContain('# owned by the catalog team');
  });
});
