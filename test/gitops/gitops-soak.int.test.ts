import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GITOPS_CONFIG, getJson, startGitOpsWorld, type GitOpsWorld } from './gitops-world.ts';

const OVERLAY = 'apps/catalog/production/kustomization.yaml';
const Commits = z.array(z.object({ sha: z.string(), commit: z.object({ message: z.string() }) }));

/** The catalog of the GitOps world, watched for `soak` after Argo CD has synced a deploy (no metric checks: no Prometheus here). */
function soakConfig(soak: string): string {
  return GITOPS_CONFIG.replace('  catalog:\n    team: payments\n', `  catalog:\n    team: payments\n    soak: ${soak}\n    analysis: { interval: 200ms, checks: [] }\n`);
}

async function commitMessages(w: GitOpsWorld): Promise<string[]> {
  const body = await getJson(`${w.github.url}/repos/acme/deploy-config/commits?sha=main&path=${encodeURIComponent(OVERLAY)}`, Commits);
  return body.map((c) => c.commit.message);
}

/** Deckhand's own writes to Deployments: a GitOps deploy never makes one, in its window either (Argo CD would undo it). */
function deploymentWrites(w: GitOpsWorld): string[] {
  return w.sim.requests.filter((r) => r.method !== 'GET' && /\/deployments/.test(r.path)).map((r) => `${r.method} ${r.path}`);
}

async function watchedDeploy(w: GitOpsWorld, version: string): Promise<string> {
  const asked = await w.say(`/deploy catalog ${version} to production`);
  const id = /#(\d+)/.exec(asked)?.[1];
  if (!id) throw new Error(`no deploy id in: ${asked}`);
  await w.say(`@bob /approve ${id}`);
  const d = await w.waitForPhase(id, ['watching', 'succeeded', 'failed', 'rolled_back']);
  expect(d.phase, d.summary).toBe('watching');
  return id;
}

describe('GitOps with soak: a synced deploy is watched, and its window ends in a revert commit or in success', () => {
  let w: GitOpsWorld | undefined;
  afterEach(async () => { await w?.stop(); w = undefined; });

  it('watches the synced version for the window, then ends succeeded with nothing reverted', async () => {
    w = await startGitOpsWorld({ config: soakConfig('2s') });
    const id = await watchedDeploy(w, 'v1.1.0');
    await w.app.cards.flush();
    expect(w.output()).toMatch(/👀 v1\.1\.0 is Synced and Healthy at [0-9a-f]{7} .*; watching it for 2 s \(until \d\d:\d\d:\d\d UTC\), and alerts roll it back\. A roll back is a revert commit that Argo CD syncs/);
    // The file stays held through the window: another deploy of it would wait.
    expect(await w.app.deploys.get(id)).toMatchObject({ step: 'soak' });

    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted']);
    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.summary).toMatch(/^catalog v1\.1\.0 is live in production, watched for [23] s \(0 analysis round\(s\), no alert\): Argo CD application catalog-production is Synced and Healthy at [0-9a-f]{7}\.$/);
    expect((await commitMessages(w))[0]).toMatch(/^deploy\(catalog\): v1\.1\.0 to production/);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.1.0');
    expect(deploymentWrites(w)).toEqual([]);
  });

  it('an alert for the service in its window reverts the commit, and the deploy ends rolled back', async () => {
    w = await startGitOpsWorld({ config: soakConfig('5m') });
    const id = await watchedDeploy(w, 'v1.1.0');
    const outcome = await w.app.injectAlert({ service: 'catalog', env: 'production', name: 'HighErrorRate', summary: '5xx above 5%' });
    expect(outcome.aborted).toEqual([id]);

    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted']);
    expect(d.phase, d.summary).toBe('rolled_back');
    expect(d.summary).toMatch(/^Alert HighErrorRate fired \(“5xx above 5%”\)\. catalog is back on v1\.0\.0 in production: Argo CD synced the revert commit/);
    expect((await commitMessages(w))[0]).toMatch(/^revert\(catalog\): v1\.0\.0 back in production/);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.0.0');
    expect(deploymentWrites(w)).toEqual([]);
  });

  it('an application that goes Degraded in its window is reverted, and the card says what Argo CD reported', async () => {
    w = await startGitOpsWorld({ config: soakConfig('5m') });
    const id = await watchedDeploy(w, 'v1.1.0');
    // A person's change to the Deployment (a new variable; a 2 s progress deadline) rolls out pods of v1.1.0 that
    // never become ready: the Deployment misses its deadline and Argo CD calls the application Degraded.
    w.sim.setFaultyImage((image) => image.endsWith(':v1.1.0'));
    const manifest = await w.file('apps/catalog/production/deployment.yaml');
    w.github.commit('acme/deploy-config', {
      files: { 'apps/catalog/production/deployment.yaml': manifest.replace('  replicas: 2\n', '  replicas: 2\n  progressDeadlineSeconds: 2\n').replace('            - containerPort: 8080\n', '            - containerPort: 8080\n          env:\n            - name: CHECKOUT_V2\n              value: "on"\n') },
      message: 'turn on checkout v2', author: 'carol',
    });

    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted'], 45_000);
    expect(d.phase, d.summary).toBe('rolled_back');
    expect(d.summary).toMatch(/^Argo CD reports catalog-production Degraded while it was watched.*\. catalog is back on v1\.0\.0 in production: Argo CD synced the revert commit/);
    expect((await commitMessages(w))[0]).toMatch(/^revert\(catalog\): v1\.0\.0 back in production/);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.0.0');
    await w.app.cards.flush();
    expect(w.output()).toMatch(/Argo CD catalog-production: Synced at [0-9a-f]{7} · Degraded/);
    expect(deploymentWrites(w)).toEqual([]);
  });

  it('/abort in the window says it reverts, and the deploy ends aborted on the previous tag', async () => {
    w = await startGitOpsWorld({ config: soakConfig('5m') });
    const id = await watchedDeploy(w, 'v1.1.0');
    expect(await w.say('/abort catalog production')).toContain(`Aborting deploy #${id}: a revert commit puts the previous version of catalog back in production; Argo CD syncs it.`);

    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted']);
    expect(d.phase, d.summary).toBe('aborted');
    expect(d.summary).toMatch(/^Aborted by alice\. catalog is back on v1\.0\.0 in production/);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.0.0');
  });

  it('/promote ends the watch at once; /pause is refused with what can be done', async () => {
    w = await startGitOpsWorld({ config: soakConfig('5m') });
    const id = await watchedDeploy(w, 'v1.1.0');
    expect(await w.say('/pause catalog production')).toContain('/promote catalog production ends the watch now.');
    expect(await w.say('/promote catalog production')).toContain(`Deploy #${id} (catalog in production) is promoted: its watch ends now.`);

    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted'], 10_000);
    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.summary).toMatch(/^catalog v1\.1\.0 is live in production, watched for \d+ (ms|s)/);
    expect(await w.file(OVERLAY)).toContain('newTag: v1.1.0');
  });

  it('a person who sets another tag in the window takes over: the watch ends and nothing is reverted over them', async () => {
    w = await startGitOpsWorld({ config: soakConfig('5m') });
    const id = await watchedDeploy(w, 'v1.1.0');
    const overlay = await w.file(OVERLAY);
    w.github.commit('acme/deploy-config', { files: { [OVERLAY]: overlay.replace('newTag: v1.1.0', 'newTag: v1.3.0') }, message: 'hotfix: v1.3.0', author: 'carol' });

    const d = await w.waitForPhase(id, ['succeeded', 'failed', 'rolled_back', 'aborted']);
    expect(d.phase, d.summary).toBe('succeeded');
    expect(d.summary).toMatch(/^catalog v1\.1\.0 went live in production; while it was watched, apps\/catalog\/production\/kustomization\.yaml was changed to v1\.3\.0 at [0-9a-f]{7}, which Argo CD syncs now\. The watch ended there; nothing was reverted\.$/);
    expect((await commitMessages(w))[0]).toBe('hotfix: v1.3.0');
    expect(await w.file(OVERLAY)).toContain('newTag: v1.3.0');
  });
});
