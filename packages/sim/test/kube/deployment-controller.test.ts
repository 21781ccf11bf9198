import { afterEach, describe, expect, it } from 'vitest';
import { computeHash } from '../../src/kube/controllers/deployment-util.ts';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../src/kube/kube-types.ts';
import type { SimCore } from '../../src/kube/sim-core.ts';
import { startSimCore } from '../../src/kube/sim-core.ts';
import { waitFor } from './wait-for.ts';

let core: SimCore | undefined;
afterEach(() => core?.close());

function start(options: { faulty?: (image: string) => boolean } = {}) {
  core = startSimCore({ readyDelayMs: 20, isFaultyImage: options.faulty ?? ((image) => image.startsWith('bad:')) });
  const c = core;
  c.store.create(c.type('v1', 'namespaces'), { metadata: { name: 'shop' } });
  const deployments = c.type('apps/v1', 'deployments');
  const replicaSets = c.type('apps/v1', 'replicasets');
  const pods = c.type('v1', 'pods');
  const get = () => c.store.get(deployments, 'shop', 'api') as Deployment;
  const rsList = () => (c.store.list(replicaSets, 'shop') as ReplicaSet[]).sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
  const podList = () => c.store.list(pods, 'shop') as Pod[];
  const update = (change: (d: Deployment) => void) => {
    const d = get();
    change(d);
    c.store.update(deployments, d as KubeObject);
  };
  const setImage = (image: string) => update((d) => {
    const container = d.spec.template.spec?.containers?.[0];
    if (container) container.image = image;
  });
  const complete = () => {
    const d = get();
    const p = d.status?.conditions?.find((x) => x.type === 'Progressing');
    return d.status?.observedGeneration === d.metadata.generation && p?.reason === 'NewReplicaSetAvailable' && d.status?.updatedReplicas === d.spec.replicas && d.status?.replicas === d.spec.replicas && d.status?.availableReplicas === d.spec.replicas;
  };
  const create = (spec: Partial<Deployment['spec']> = {}, image = 'api:v1') => c.store.create(deployments, {
    metadata: { name: 'api', namespace: 'shop' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image }] } }, ...spec },
  });
  return { c, get, rsList, podList, update, setImage, complete, create };
}

const revisions = (list: ReplicaSet[]) => list.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec.template.spec?.containers?.[0]?.image, rs.spec.replicas]);

describe('deployment controller', () => {
  it('rolls out revision 1: one RS named <deploy>-<hash>, owned, labelled, pods ready, conditions set', async () => {
    const t = start();
    t.create();
    await waitFor(t.complete, 5000, 'rollout');
    const [rs] = t.rsList();
    const hash = rs?.metadata.labels?.['pod-template-hash'];
    expect(rs?.metadata.name).toBe(`api-${hash}`);
    expect(rs?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'api', controller: true });
    expect(rs?.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs?.spec.selector.matchLabels).toEqual({ app: 'api', 'pod-template-hash': hash });
    const pods = t.podList();
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^api-${hash}-[a-z0-9]{5}$`));
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({ image: 'api:v1', ready: true });
    }
    const d = t.get();
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.conditions?.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
  });

  it('never exceeds maxSurge nor drops below minAvailable during a rolling update', async () => {
    const t = start();
    t.create({ replicas: 4 });
    await waitFor(t.complete, 5000, 'rollout v1');
    let maxPods = 0;
    let minAvailable = Infinity;
    const unsubscribe = t.c.store.subscribe(() => {
      const rsList = t.rsList();
      maxPods = Math.max(maxPods, rsList.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0));
      minAvailable = Math.min(minAvailable, rsList.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0));
    });
    t.setImage('api:v2');
    await waitFor(t.complete, 5000, 'rollout v2');
    unsubscribe();
    expect(maxPods).toBe(5); // 4 + 25% surge
    expect(minAvailable).toBe(3); // 4 - 25% unavailable
    expect(revisions(t.rsList())).toEqual([['1', 'api:v1', 0], ['2', 'api:v2', 4]]);
  });

  it('reuses the old RS when its template comes back and gives it the next revision (rollback)', async () => {
    const t = start();
    t.create();
    await waitFor(t.complete, 5000, 'rollout v1');
    t.setImage('api:v2');
    await waitFor(() => t.complete() && t.get().metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 5000, 'rollout v2');
    const firstRS = t.rsList()[0]?.metadata.name;
    t.setImage('api:v1');
    await waitFor(() => t.complete() && t.get().metadata.annotations?.['deployment.kubernetes.io/revision'] === '3', 5000, 'rollback');
    const list = t.rsList();
    expect(list).toHaveLength(2);
    expect(revisions(list)).toEqual([['2', 'api:v2', 0], ['3', 'api:v1', 3]]);
    expect(list[1]?.metadata.name).toBe(firstRS);
    expect(list[1]?.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
  });

  it('reports ProgressDeadlineExceeded when the new pods never become ready, keeping the old ones', async () => {
    const t = start();
    t.create({ progressDeadlineSeconds: 1 });
    await waitFor(t.complete, 5000, 'rollout v1');
    t.setImage('bad:v2');
    const d = await waitFor(() => {
      const current = t.get();
      return current.status?.conditions?.some((x) => x.reason === 'ProgressDeadlineExceeded') ? current : undefined;
    }, 5000, 'deadline');
    expect(d.status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'False', message: expect.stringMatching(/^ReplicaSet "api-[a-z0-9]+" has timed out progressing\.$/) });
    expect(d.status).toMatchObject({ availableReplicas: 3, updatedReplicas: 1, replicas: 4, unavailableReplicas: 1 });
    const badPod = t.podList().find((p) => p.spec.containers[0]?.image === 'bad:v2');
    expect(badPod?.status?.containerStatuses?.[0]?.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(badPod?.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('False');
    const backOff = await waitFor(() => {
      const events = (t.c.store.list(t.c.type('v1', 'events'), 'shop') as Array<KubeObject & { reason?: string; count?: number }>).filter((e) => e.reason === 'BackOff');
      return events.length === 1 && (events[0]?.count ?? 0) >= 2 ? events : undefined;
    }, 5000, 'aggregated BackOff event');
    expect(backOff[0]?.involvedObject).toMatchObject({ kind: 'Pod', name: badPod?.metadata.name });
  });

  it('Recreate scales the old RS to zero before starting new pods', async () => {
    const t = start();
    t.create({ strategy: { type: 'Recreate' } });
    await waitFor(t.complete, 5000, 'rollout v1');
    let overlap = false;
    const unsubscribe = t.c.store.subscribe(() => {
      const images = new Set(t.podList().map((p) => p.spec.containers[0]?.image));
      if (images.size > 1) overlap = true;
    });
    t.setImage('api:v2');
    await waitFor(() => t.complete() && t.get().metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 5000, 'recreate');
    unsubscribe();
    expect(overlap).toBe(false);
  });

  it('scales, pauses without rolling out, and resumes', async () => {
    const t = start();
    t.create();
    await waitFor(t.complete, 5000, 'rollout v1');
    t.update((d) => {
      d.spec.replicas = 5;
    });
    await waitFor(() => t.complete() && t.podList().length === 5, 5000, 'scale up');
    t.update((d) => {
      d.spec.paused = true;
    });
    await waitFor(() => t.get().status?.conditions?.some((x) => x.reason === 'DeploymentPaused'), 5000, 'paused');
    t.setImage('api:v2');
    await new Promise((r) => setTimeout(r, 100));
    expect(t.rsList()).toHaveLength(1);
    t.update((d) => {
      d.spec.paused = false;
    });
    await waitFor(() => t.complete() && t.get().metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 5000, 'resumed rollout');
  });

  it('scales proportionally mid-rollout (10→15 with old=8, new=5 gives old=11, new=7)', async () => {
    const t = start();
    t.create({ replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
    await waitFor(t.complete, 5000, 'rollout v1');
    t.setImage('bad:v2');
    await waitFor(() => {
      const sizes = revisions(t.rsList()).map((r) => r[2]);
      return sizes[0] === 8 && sizes[1] === 5;
    }, 5000, 'stuck rollout at 8 + 5');
    t.update((d) => {
      d.spec.replicas = 15;
    });
    await waitFor(() => {
      const sizes = revisions(t.rsList()).map((r) => r[2]);
      return sizes[0] === 11 && sizes[1] === 7;
    }, 5000, 'proportional scale to 11 + 7');
  });

  it('counts pods as available only after minReadySeconds', async () => {
    const t = start();
    t.create({ minReadySeconds: 2 });
    const readyNotAvailable = await waitFor(() => {
      const status = t.get().status;
      return status?.readyReplicas === 3 && (status.availableReplicas ?? 0) === 0 ? status : undefined;
    }, 5000, 'ready but not yet available');
    expect(readyNotAvailable.conditions?.find((c) => c.type === 'Available')?.status).toBe('False');
    await waitFor(t.complete, 5000, 'available after minReadySeconds');
    expect(t.rsList()[0]?.spec.minReadySeconds).toBe(2);
  });

  it('cleans up old RSs beyond revisionHistoryLimit', async () => {
    const t = start();
    t.create({ replicas: 1, revisionHistoryLimit: 1 });
    for (const [i, image] of ['api:v1', 'api:v2', 'api:v3', 'api:v4'].entries()) {
      if (i > 0) t.setImage(image);
      await waitFor(() => t.complete() && t.get().metadata.annotations?.['deployment.kubernetes.io/revision'] === String(i + 1), 5000, image);
    }
    await waitFor(() => t.rsList().length === 2, 5000, 'cleanup');
    expect(revisions(t.rsList())).toEqual([['3', 'api:v3', 0], ['4', 'api:v4', 1]]);
  });

  it('deleting the deployment deletes its ReplicaSets and pods', async () => {
    const t = start();
    t.create();
    await waitFor(t.complete, 5000, 'rollout');
    t.c.store.delete(t.c.type('apps/v1', 'deployments'), 'shop', 'api');
    await waitFor(() => t.rsList().length === 0 && t.podList().length === 0, 5000, 'cascade');
  });

  it('a recreated deployment adopts the ReplicaSet an orphaning delete left behind', async () => {
    const t = start();
    t.create();
    await waitFor(t.complete, 5000, 'rollout');
    const orphan = t.rsList()[0]?.metadata.name;
    t.c.store.delete(t.c.type('apps/v1', 'deployments'), 'shop', 'api', { propagationPolicy: 'Orphan' });
    expect(t.rsList()[0]?.metadata.ownerReferences).toBeUndefined();
    t.create();
    await waitFor(() => t.complete() && t.rsList()[0]?.metadata.ownerReferences?.[0]?.uid === t.get().metadata.uid, 5000, 'adoption');
    expect(t.rsList().map((rs) => rs.metadata.name)).toEqual([orphan]);
    expect(t.podList()).toHaveLength(3);
  });

  it('bumps collisionCount when a foreign ReplicaSet already has the new name', async () => {
    const t = start();
    t.create({ paused: true });
    const template = t.get().spec.template;
    const taken = `api-${computeHash(template)}`;
    t.c.store.create(t.c.type('apps/v1', 'replicasets'), { metadata: { name: taken, namespace: 'shop' }, spec: { replicas: 0, selector: { matchLabels: { other: 'x' } }, template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'x', image: 'x' }] } } } });
    t.update((d) => {
      d.spec.paused = false;
    });
    await waitFor(t.complete, 5000, 'rollout under a fresh name');
    expect(t.get().status?.collisionCount).toBe(1);
    expect(t.rsList().map((rs) => rs.metadata.name)).toContain(`api-${computeHash(template, 1)}`);
  });

  it('releases a pod whose labels stop matching and replaces it', async () => {
    const t = start();
    t.create({ replicas: 2 });
    await waitFor(t.complete, 5000, 'rollout');
    const pods = t.c.type('v1', 'pods');
    const [pod] = t.podList();
    t.c.store.update(pods, { ...pod!, metadata: { ...pod!.metadata, labels: { debug: 'true' } } } as KubeObject);
    await waitFor(() => t.podList().length === 3 && t.complete(), 5000, 'replacement');
    expect(t.c.store.get(pods, 'shop', pod!.metadata.name ?? '')?.metadata.ownerReferences).toBeUndefined();
  });

  it('records ScalingReplicaSet and SuccessfulCreate events', async () => {
    const t = start();
    t.create();
    await waitFor(t.complete, 5000, 'rollout');
    const events = t.c.store.list(t.c.type('v1', 'events'), 'shop') as Array<KubeObject & { reason?: string; message?: string }>;
    expect(events.some((e) => e.reason === 'ScalingReplicaSet' && /^Scaled up replica set api-\w+ from 0 to 3$/.test(e.message ?? ''))).toBe(true);
    expect(events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
  });
});
