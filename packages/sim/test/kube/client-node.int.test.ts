import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, makeInformer, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/kube/index.ts';
import { startSimCluster } from '../../src/kube/index.ts';
import { waitFor } from './wait-for.ts';

let sim: SimCluster;
let kc: KubeConfig;

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 50, seed: [{ namespace: 'shop', name: 'api', container: 'api', image: 'ghcr.io/acme/api:v1', replicas: 2 }] });
  kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig({ contextName: 'sim' }));
});

afterEach(async () => {
  await sim.close();
});

describe('@kubernetes/client-node against the sim', () => {
  it('reads a deployment and lists pods by label', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const d = await apps.readNamespacedDeployment({ name: 'api', namespace: 'shop' });
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status?.availableReplicas).toBe(2);
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('ghcr.io/acme/api:v1');
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=api' });
    expect(pods.items).toHaveLength(2);
    expect(pods.items[0]?.status?.phase).toBe('Running');
  });

  it('patches with each content type (client-node defaults to JSON patch)', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeployment(
      { name: 'api', namespace: 'shop', body: { spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:v2' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await apps.patchNamespacedDeployment({ name: 'api', namespace: 'shop', body: { metadata: { labels: { tier: 'web' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await apps.patchNamespacedDeployment({ name: 'api', namespace: 'shop', body: [{ op: 'add', path: '/metadata/annotations/team', value: 'payments' }] });
    const d = await apps.readNamespacedDeployment({ name: 'api', namespace: 'shop' });
    expect(d.spec?.template.spec?.containers.map((c) => c.image)).toEqual(['ghcr.io/acme/api:v2']);
    expect(d.metadata?.labels).toEqual({ app: 'api', tier: 'web' });
    expect(d.metadata?.annotations?.team).toBe('payments');
    expect(sim.requests.filter((r) => r.method === 'PATCH').map((r) => r.contentType)).toEqual(['application/strategic-merge-patch+json', 'application/merge-patch+json', 'application/json-patch+json']);
  });

  it('works through the generic KubernetesObjectApi (discovery-driven)', async () => {
    const client = KubernetesObjectApi.makeApiClient(kc);
    const d = await client.read<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' } });
    expect(d.spec?.replicas).toBe(2);
    await client.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:v9' }] } } } },
      undefined, undefined, undefined, undefined, PatchStrategy.StrategicMergePatch,
    );
    const patched = await client.read<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' } });
    expect(patched.spec?.template.spec?.containers.map((c) => c.image)).toEqual(['ghcr.io/acme/api:v9']);
    const route = await client.create({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' }, spec: { rules: [] } });
    expect((route as { metadata?: { uid?: string } }).metadata?.uid).toBeDefined();
  });

  it('surfaces Status errors as ApiException with the code and body', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const error = await apps.readNamespacedDeployment({ name: 'nope', namespace: 'shop' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 404 });
    expect(JSON.parse((error as { body: string }).body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'deployments.apps "nope" not found' });

    const current = await apps.readNamespacedDeployment({ name: 'api', namespace: 'shop' });
    const stale: V1Deployment = { ...current, metadata: { ...current.metadata, resourceVersion: '1' } };
    const conflict = await apps.replaceNamespacedDeployment({ name: 'api', namespace: 'shop', body: stale }).catch((err: unknown) => err);
    expect(conflict).toMatchObject({ code: 409 });
  });

  it('watches a deployment roll out (ADDED then MODIFIED with rising updatedReplicas)', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const watch = new Watch(kc);
    const events: Array<{ type: string; updated?: number; image?: string }> = [];
    let ended: unknown = 'open';
    const controller = await watch.watch(
      '/apis/apps/v1/namespaces/shop/deployments',
      { fieldSelector: 'metadata.name=api', allowWatchBookmarks: true },
      (type, obj: V1Deployment) => events.push({ type, updated: obj.status?.updatedReplicas, image: obj.spec?.template.spec?.containers[0]?.image }),
      (err) => {
        ended = err;
      },
    );
    await waitFor(() => events.length > 0, 5000, 'initial ADDED');
    expect(events[0]).toMatchObject({ type: 'ADDED', image: 'ghcr.io/acme/api:v1' });
    await apps.patchNamespacedDeployment(
      { name: 'api', namespace: 'shop', body: { spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:v2' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await waitFor(() => events.some((e) => e.type === 'MODIFIED' && e.image === 'ghcr.io/acme/api:v2' && e.updated === 2), 10_000, 'rolled out');
    expect(events.slice(1).every((e) => e.type === 'MODIFIED')).toBe(true);
    controller.abort();
    await waitFor(() => ended !== 'open', 5000, 'watch end');
  });

  it('feeds an informer (list, then watch from the list resourceVersion)', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const informer = makeInformer(kc, '/apis/apps/v1/namespaces/shop/deployments', () => apps.listNamespacedDeployment({ namespace: 'shop' }));
    const images: string[] = [];
    informer.on('add', (d: V1Deployment) => images.push(`add ${d.spec?.template.spec?.containers[0]?.image ?? ''}`));
    informer.on('update', (d: V1Deployment) => images.push(`update ${d.spec?.template.spec?.containers[0]?.image ?? ''}`));
    await informer.start();
    try {
      await waitFor(() => images.includes('add ghcr.io/acme/api:v1'), 5000, 'informer add');
      await apps.patchNamespacedDeployment({ name: 'api', namespace: 'shop', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'ghcr.io/acme/api:v3' }] });
      await waitFor(() => images.includes('update ghcr.io/acme/api:v3'), 5000, 'informer update');
      expect(informer.list('shop').map((d) => d.metadata?.name)).toEqual(['api']);
    } finally {
      await informer.stop();
    }
  });

  it('resumes a watch from a resourceVersion and gets 410 Gone for a compacted one', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'shop' });
    const since = list.metadata?.resourceVersion ?? '';
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeploymentScale({ name: 'api', namespace: 'shop', body: { spec: { replicas: 3 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));

    const seen: string[] = [];
    const watch = new Watch(kc);
    const controller = await watch.watch('/api/v1/namespaces/shop/pods', { resourceVersion: since }, (type, obj: { metadata?: { name?: string } }) => seen.push(`${type} ${obj.metadata?.name ?? ''}`), () => {});
    await waitFor(() => seen.some((s) => s.startsWith('ADDED')), 5000, 'replayed ADDED of the new pod');
    expect(seen.filter((s) => s.startsWith('ADDED'))).toHaveLength(1);
    controller.abort();

    const gone = await fetch(`${sim.url}/api/v1/namespaces/shop/pods?watch=true&resourceVersion=1`);
    const text = await gone.text();
    expect(JSON.parse(text.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });
});
