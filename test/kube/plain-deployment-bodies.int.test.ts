import { ApiException, AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { loadKubeConfig } from '../../src/kube/kube-client.ts';
import { withPlainDeploymentBodies } from '../../src/kube/plain-deployment-bodies.ts';
import { makeApiClient } from '../../src/kube/request-http-library.ts';

describe('Deployment answers as the API server sent them', () => {
  let sim: SimCluster;
  let apps: AppsV1Api;
  beforeEach(async () => {
    sim = await startSimCluster({ seed: [{ namespace: 'staging', name: 'api', container: 'api', image: 'registry.local/acme/api:v1.4.0', replicas: 2 }], readyDelayMs: 10 });
    apps = withPlainDeploymentBodies(makeApiClient(loadKubeConfig({ kubeconfigYaml: sim.kubeconfig() }), AppsV1Api));
  });
  afterEach(async () => { await sim.close(); });

  it('a read is the JSON the API server answered, times left as its strings', async () => {
    const read = await apps.readNamespacedDeployment({ name: 'api', namespace: 'staging' });
    const raw = await (await fetch(`${sim.url}/apis/apps/v1/namespaces/staging/deployments/api`)).json() as { metadata: { resourceVersion: string } };
    expect(read).toEqual(raw);
    expect(typeof read.metadata?.creationTimestamp).toBe('string');
  });

  it('a patch and a create answer with the JSON too, and what is sent is unchanged', async () => {
    const patched = await apps.patchNamespacedDeployment({ name: 'api', namespace: 'staging', body: { spec: { replicas: 3 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(patched.spec?.replicas).toBe(3);
    expect(typeof patched.metadata?.creationTimestamp).toBe('string');
    // A template copied from a plain read goes back through client-node's serializer as it came.
    const source = await apps.readNamespacedDeployment({ name: 'api', namespace: 'staging' });
    const template = { ...source.spec!.template, metadata: { ...source.spec!.template.metadata, labels: { app: 'api', track: 'canary' } } };
    const created = await apps.createNamespacedDeployment({ namespace: 'staging', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api-canary' }, spec: { replicas: 0, selector: { matchLabels: { app: 'api', track: 'canary' } }, template } } });
    expect(created.metadata?.name).toBe('api-canary');
    expect(created.spec?.template.spec?.containers[0]?.image).toBe('registry.local/acme/api:v1.4.0');
  });

  it('an error is client-node’s own ApiException, with the status code and the API server’s Status body', async () => {
    const err = await apps.readNamespacedDeployment({ name: 'nope', namespace: 'staging' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<unknown>).code).toBe(404);
    expect(JSON.stringify((err as ApiException<unknown>).body)).toContain('NotFound');
  });
});
