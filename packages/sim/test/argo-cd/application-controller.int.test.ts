import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simApplication } from '../../src/kube/index.ts';
import { startArgoCdWorld, settled } from './argo-cd-fixture.ts';

const KUSTOMIZATION = 'apps/catalog/production/kustomization.yaml';

describe('the simulated Argo CD syncs Applications from the simulated GitHub', () => {
  let world: Awaited<ReturnType<typeof startArgoCdWorld>>;
  beforeEach(async () => {
    world = await startArgoCdWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('syncs a Kustomize app, then follows a commit to Synced and Healthy at that revision with the new image rolled out', async () => {
    const first = await world.mainSha();
    const created = await world.createApp(world.application('catalog', 'apps/catalog/production'));
    expect(created.status).toBe(201);
    const initial = await world.waitForApp('catalog', settled(first));
    expect(initial.status).toMatchObject({ sourceType: 'Kustomize', summary: { images: ['registry.local/acme/catalog:v1.0.0'] } });

    const commit = await world.commitFile(KUSTOMIZATION, (t) => t.replace('newTag: v1.0.0', 'newTag: v1.1.0'), 'deploy catalog v1.1.0');
    const app = await world.waitForApp('catalog', settled(commit));
    const live = await world.deployment('production', 'catalog');

    expect(live.body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/catalog:v1.1.0');
    expect(live.body.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe('catalog:apps/Deployment:production/catalog');
    expect(app.status?.operationState).toMatchObject({ phase: 'Succeeded', message: 'successfully synced (all tasks run)', operation: { sync: { revision: commit }, initiatedBy: { automated: true } }, syncResult: { revision: commit } });
    expect(app.status?.operationState?.syncResult?.resources).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'catalog', status: 'Synced', message: 'deployment.apps/catalog configured' })]);
    expect(app.status?.history?.map((h) => h.revision)).toEqual([first, commit]);
    expect(app.status?.summary?.images).toEqual(['registry.local/acme/catalog:v1.1.0']);
    expect(app.status?.resources).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'catalog', status: 'Synced', health: { status: 'Healthy' } })]);
  });

  it('reports Progressing while the new ReplicaSet rolls out', async () => {
    await world.close();
    world = await startArgoCdWorld({ readyDelayMs: 400 });
    const first = await world.mainSha();
    await world.createApp(world.application('catalog', 'apps/catalog/production'));
    await world.waitForApp('catalog', settled(first));

    const commit = await world.commitFile(KUSTOMIZATION, (t) => t.replace('newTag: v1.0.0', 'newTag: v1.2.0'));
    const progressing = await world.waitForApp('catalog', (a) => a.status?.sync?.revision === commit && a.status.health?.status === 'Progressing');
    expect(progressing.status?.sync?.status).toBe('Synced');
    await world.waitForApp('catalog', settled(commit));
  });

  it('fails the sync of a commit whose YAML does not parse: an Error operation at that revision and a ComparisonError', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('catalog', 'apps/catalog/production'));
    await world.waitForApp('catalog', settled(first));

    const bad = await world.commitFile(KUSTOMIZATION, (t) => t.replace('images:', 'images:\n  - name: [unclosed'), 'broken');
    const app = await world.waitForApp('catalog', (a) => a.status?.operationState?.operation?.sync?.revision === bad && a.status.operationState.phase === 'Error');
    const live = await world.deployment('production', 'catalog');

    expect(app.status?.sync).toMatchObject({ status: 'Unknown', revision: bad });
    expect(app.status?.conditions).toEqual([expect.objectContaining({ type: 'ComparisonError', message: expect.stringContaining('failed to generate manifest') })]);
    expect(app.status?.operationState?.message).toContain('ComparisonError');
    expect(app.status?.history?.map((h) => h.revision)).toEqual([first]);
    expect(live.body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/catalog:v1.0.0');
  });

  it('syncs the merge commit of a pull request merged onto the tracked branch', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('catalog', 'apps/catalog/production'));
    await world.waitForApp('catalog', settled(first));

    await world.gh('POST', '/git/refs', { ref: 'refs/heads/deploy-catalog', sha: first });
    const file = await world.gh<{ content: string; sha: string }>('GET', '/contents/' + KUSTOMIZATION);
    const text = Buffer.from(file.body.content, 'base64').toString('utf8').replace('newTag: v1.0.0', 'newTag: v1.3.0');
    await world.gh('PUT', '/contents/' + KUSTOMIZATION, { message: 'catalog v1.3.0', content: Buffer.from(text).toString('base64'), sha: file.body.sha, branch: 'deploy-catalog' });
    const pull = await world.gh<{ number: number }>('POST', '/pulls', { title: 'Deploy catalog v1.3.0', head: 'deploy-catalog', base: 'main' });
    const merged = await world.gh<{ sha: string }>('PUT', `/pulls/${pull.body.number}/merge`, { merge_method: 'merge' });
    await world.waitForApp('catalog', settled(merged.body.sha));

    expect((await world.deployment('production', 'catalog')).body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/catalog:v1.3.0');
  });

  it('reports a ComparisonError when the app path is missing at the revision', async () => {
    await world.createApp(world.application('ghost', 'apps/ghost/production'));
    const app = await world.waitForApp('ghost', (a) => (a.status?.conditions ?? []).length > 0);
    expect(app.status?.conditions?.[0]?.message).toContain('apps/ghost/production: app path does not exist');
    expect(app.status?.sync?.status).toBe('Unknown');
  });

  it('reverts a direct change to a synced Deployment with selfHeal, as Argo CD does', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('catalog', 'apps/catalog/production', { selfHeal: true }));
    await world.waitForApp('catalog', settled(first));

    const patched = await world.kube('PATCH', '/apis/apps/v1/namespaces/production/deployments/catalog', { spec: { template: { spec: { containers: [{ name: 'catalog', image: 'registry.local/acme/catalog:hotfix' }] } } } }, 'application/strategic-merge-patch+json');
    expect(patched.status).toBe(200);
    await world.waitForApp('catalog', (a) => (a.status?.history ?? []).length === 2);
    const live = await world.deployment('production', 'catalog');

    expect(live.body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/catalog:v1.0.0');
  });

  it('leaves drift alone without selfHeal, showing OutOfSync', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('catalog', 'apps/catalog/production'));
    await world.waitForApp('catalog', settled(first));

    await world.kube('PATCH', '/apis/apps/v1/namespaces/production/deployments/catalog', { spec: { template: { spec: { containers: [{ name: 'catalog', image: 'registry.local/acme/catalog:hotfix' }] } } } }, 'application/strategic-merge-patch+json');
    const app = await world.waitForApp('catalog', (a) => a.status?.sync?.status === 'OutOfSync');
    const live = await world.deployment('production', 'catalog');

    expect(app.status?.history).toHaveLength(1);
    expect(live.body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/catalog:hotfix');
  });

  it('renders a Helm chart with value files and parameters', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('billing', 'apps/billing/chart', { helm: { valueFiles: ['../production-values.yaml'], parameters: [{ name: 'image.tag', value: '3.2.0' }] } }));
    const app = await world.waitForApp('billing', settled(first));
    const live = await world.deployment('production', 'billing');

    expect(app.status?.sourceType).toBe('Helm');
    expect(live.body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/billing:3.2.0');
    expect(live.body.spec.replicas).toBe(3);
  });

  it('follows a Helm values commit', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('billing', 'apps/billing/chart', { helm: { valueFiles: ['../production-values.yaml'] } }));
    await world.waitForApp('billing', settled(first));

    const commit = await world.commitFile('apps/billing/production-values.yaml', (t) => t.replace('tag: "3.1.0"', 'tag: "3.1.1"'));
    await world.waitForApp('billing', settled(commit));
    expect((await world.deployment('production', 'billing')).body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/billing:3.1.1');
  });

  it('applies a plain directory and prunes what git no longer has', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('inventory', 'apps/inventory/production'));
    const app = await world.waitForApp('inventory', settled(first));
    expect(app.status?.sourceType).toBe('Directory');

    const commit = world.github.commit('acme/deploy-config', { files: { 'apps/inventory/production/deployment.yaml': null, 'apps/inventory/production/keep.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inventory-settings\ndata:\n  mode: readonly\n' }, message: 'retire inventory' });
    await world.waitForApp('inventory', settled(commit));
    expect((await world.deployment('production', 'inventory')).status).toBe(404);
    expect((await world.kube('GET', '/api/v1/namespaces/production/configmaps/inventory-settings')).status).toBe(200);
  });

  it('goes Degraded when the rollout exceeds its progress deadline', async () => {
    const first = await world.mainSha();
    world.cluster.setFaultyImage((image) => image.endsWith(':broken'));
    await world.createApp(world.application('catalog', 'apps/catalog/production'));
    await world.waitForApp('catalog', settled(first));

    await world.commitFile('apps/catalog/production/deployment.yaml', (t) => t.replace('  replicas: 2', '  replicas: 2\n  progressDeadlineSeconds: 1'));
    const commit = await world.commitFile(KUSTOMIZATION, (t) => t.replace('newTag: v1.0.0', 'newTag: broken'));
    const app = await world.waitForApp('catalog', (a) => a.status?.sync?.revision === commit && a.status.health?.status === 'Degraded', 10_000);
    expect(app.status?.resources?.[0]?.health).toEqual({ status: 'Degraded', message: 'Deployment "catalog" exceeded its progress deadline' });
    expect(app.status?.sync?.status).toBe('Synced');
  });

  it('syncs the Applications it starts with, in the argocd namespace', async () => {
    await world.close();
    world = await startArgoCdWorld({ applications: [simApplication({ name: 'inventory', repoURL: 'https://github.com/acme/deploy-config.git', path: 'apps/inventory/production', namespace: 'production' })] });
    await world.waitForApp('inventory', settled(await world.mainSha()));
    expect((await world.deployment('production', 'inventory')).body.spec.template.spec.containers[0]?.image).toBe('registry.local/acme/inventory:2.0.0');
  });

  it('shows the Application at the path of Argo CD\'s web UI, its values escaped', async () => {
    const first = await world.mainSha();
    await world.createApp(world.application('catalog', 'apps/catalog/production'));
    await world.waitForApp('catalog', settled(first));

    const page = await fetch(`${world.uiUrl}/applications/argocd/catalog`);
    const missing = await fetch(`${world.uiUrl}/applications/argocd/nope`);
    const html = await page.text();

    expect(page.status).toBe(200);
    expect(html).toContain('Sync: <b>Synced</b>');
    expect(html).toContain(first);
    expect(html).toContain('Health: <b>Healthy</b>');
    expect(missing.status).toBe(404);
  });

  it('answers 422 for an Application the CRD schema rejects', async () => {
    const invalid = world.application('bad', 'apps/catalog/production');
    const res = await world.createApp({ ...invalid, spec: { ...invalid.spec, project: undefined, source: { ...invalid.spec.source, path: 42 } } });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('Application.argoproj.io "bad" is invalid');
  });

  it('runs a requested operation once and clears it, and honours the refresh annotation', async () => {
    const first = await world.mainSha();
    const manual = world.application('catalog', 'apps/catalog/production');
    await world.createApp({ ...manual, spec: { ...manual.spec, syncPolicy: { syncOptions: ['CreateNamespace=true'] } } });
    const outOfSync = await world.waitForApp('catalog', (a) => a.status?.sync?.status === 'OutOfSync');
    expect(outOfSync.status?.health?.status).toBe('Missing');

    await world.kube('PATCH', '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/catalog', { operation: { sync: { revision: first }, initiatedBy: { username: 'alice' } }, metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } }, 'application/merge-patch+json');
    const app = await world.waitForApp('catalog', settled(first));

    expect(app.operation).toBeUndefined();
    expect(app.metadata.annotations?.['argocd.argoproj.io/refresh']).toBeUndefined();
    expect(app.status?.operationState?.phase).toBe('Succeeded');
  });
});
