import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/kube/api-error.ts';
import { createResourceRegistry } from '../../src/kube/create-resource-registry.ts';
import type { KubeObject } from '../../src/kube/kube-types.ts';
import type { StoreEvent } from '../../src/kube/object-store.ts';
import { ObjectStore } from '../../src/kube/object-store.ts';

function setup(historyLimit?: number) {
  const registry = createResourceRegistry();
  const store = new ObjectStore(registry, { historyLimit });
  const ns = registry.lookup('v1', 'namespaces')!;
  const deployments = registry.lookup('apps/v1', 'deployments')!;
  const replicaSets = registry.lookup('apps/v1', 'replicasets')!;
  store.create(ns, { metadata: { name: 'shop' } });
  return { store, ns, deployments, replicaSets };
}

function deployment(name: string, image = 'api:v1'): KubeObject {
  return {
    metadata: { name, namespace: 'shop' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
  };
}

function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof KubeApiError) return err.status;
    throw err;
  }
  throw new Error('expected a KubeApiError');
}

describe('ObjectStore', () => {
  it('gives copies by default; shared owned reads give the stored objects, which cannot be changed', () => {
    const { store, deployments, replicaSets } = setup();
    const owner = store.create(deployments, deployment('api'));
    const rs = { metadata: { name: 'api-1', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: owner.metadata.uid ?? '', controller: true }] }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:v1' }] } } } };
    store.create(replicaSets, rs);
    const copy = store.listOwned(replicaSets, 'shop', owner.metadata.uid ?? '')[0]!;
    copy.metadata.labels = { changed: 'yes' };
    const [shared] = store.listOwned(replicaSets, 'shop', owner.metadata.uid ?? '', { shared: true });
    expect(shared).toBe(store.listOwned(replicaSets, 'shop', owner.metadata.uid ?? '', { shared: true })[0]);
    expect(shared!.metadata.labels).toBeUndefined();
    expect(() => { shared!.metadata.labels = { changed: 'yes' }; }).toThrow(TypeError);
    expect(() => { (shared!.spec as { replicas?: number }).replicas = 3; }).toThrow(TypeError);
    expect(store.get(replicaSets, 'shop', 'api-1')!.metadata.labels).toBeUndefined();
  });

  it('creates with uid, timestamp, generation 1, defaults and a rising resourceVersion', () => {
    const { store, deployments } = setup();
    const before = store.resourceVersion;
    const created = store.create(deployments, deployment('api'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.generation).toBe(1);
    expect(Number(created.metadata.resourceVersion)).toBe(before + 1);
    expect(created.kind).toBe('Deployment');
    expect(created.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('fills generateName with a five-character suffix', () => {
    const { store, deployments } = setup();
    const created = store.create(deployments, { ...deployment('x'), metadata: { generateName: 'api-', namespace: 'shop' } });
    expect(created.metadata.name).toMatch(/^api-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it.each([
    ['AlreadyExists', 409, (s: ObjectStore, t: ReturnType<typeof setup>) => s.create(t.deployments, deployment('api'))],
    ['NotFound', 404, (s: ObjectStore, t: ReturnType<typeof setup>) => s.require(t.deployments, 'shop', 'nope')],
    ['NotFound', 404, (s: ObjectStore, t: ReturnType<typeof setup>) => s.create(t.deployments, { ...deployment('y'), metadata: { name: 'y', namespace: 'ghost' } })],
    ['Invalid', 422, (s: ObjectStore, t: ReturnType<typeof setup>) => s.create(t.deployments, { ...deployment('z'), spec: { selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'z' } }, spec: { containers: [{ name: 'z', image: 'z' }] } } } })],
    ['Invalid', 422, (s: ObjectStore, t: ReturnType<typeof setup>) => s.create(t.deployments, deployment('Bad_Name'))],
  ])('answers %s (%i)', (reason, code, act) => {
    const t = setup();
    t.store.create(t.deployments, deployment('api'));
    expect(statusOf(() => act(t.store, t))).toMatchObject({ reason, code });
  });

  it('rejects a stale resourceVersion with 409 Conflict and bumps generation only on spec changes', () => {
    const { store, deployments } = setup();
    const created = store.create(deployments, deployment('api'));
    const labelled = store.update(deployments, { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    expect(labelled.metadata.generation).toBe(1);
    const status = statusOf(() => store.update(deployments, { ...created, spec: { ...(created.spec as object), replicas: 3 } }));
    expect(status).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(status.message).toBe('Operation cannot be fulfilled on deployments.apps "api": the object has been modified; please apply your changes to the latest version and try again');
    const scaled = store.update(deployments, { ...labelled, spec: { ...(labelled.spec as object), replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('refuses to change a Deployment selector (immutable in apps/v1)', () => {
    const { store, deployments } = setup();
    const created = store.create(deployments, deployment('api'));
    const spec = created.spec as { selector: unknown; template: { metadata: { labels: Record<string, string> } } };
    const status = statusOf(() => store.update(deployments, { ...created, spec: { ...spec, selector: { matchLabels: { app: 'api', v: '2' } }, template: { ...spec.template, metadata: { labels: { app: 'api', v: '2' } } } } }));
    expect(status).toMatchObject({ code: 422, reason: 'Invalid', message: 'Deployment.apps "api" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"api","v":"2"}}: field is immutable' });
  });

  it('keeps status on main-resource updates and only status on /status updates', () => {
    const { store, deployments } = setup();
    const created = store.create(deployments, deployment('api'));
    const withStatus = store.update(deployments, { ...created, status: { replicas: 5 } }, { subresource: 'status' });
    expect(withStatus.status).toEqual({ replicas: 5 });
    const overwritten = store.update(deployments, { ...withStatus, status: { replicas: 0 } });
    expect(overwritten.status).toEqual({ replicas: 5 });
  });

  it('does not bump the resourceVersion for a no-op update', () => {
    const { store, deployments } = setup();
    const created = store.create(deployments, deployment('api'));
    expect(store.update(deployments, created).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('deletes dependents by ownerReferences (background) and orphans them on request', () => {
    const { store, deployments, replicaSets } = setup();
    for (const [name, policy] of [['a', 'Background'], ['b', 'Orphan']] as const) {
      const owner = store.create(deployments, deployment(name));
      store.create(replicaSets, { ...deployment(`${name}-1`), metadata: { name: `${name}-1`, namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: owner.metadata.uid ?? '', controller: true }] } });
      store.delete(deployments, 'shop', name, { propagationPolicy: policy });
    }
    expect(store.get(replicaSets, 'shop', 'a-1')).toBeUndefined();
    expect(store.get(replicaSets, 'shop', 'b-1')?.metadata.ownerReferences).toBeUndefined();
  });

  it('keeps a namespace Terminating until its last pod is gone, refusing new content meanwhile', () => {
    const { store, ns, deployments } = setup();
    const pods = store.registry.lookup('v1', 'pods')!;
    store.create(pods, { metadata: { name: 'p', namespace: 'shop' }, spec: { nodeName: 'node', containers: [{ name: 'c', image: 'i' }] } });
    const terminating = store.delete(ns, undefined, 'shop');
    expect(terminating.status).toMatchObject({ phase: 'Terminating' });
    expect(store.get(pods, 'shop', 'p')?.metadata.deletionTimestamp).toBeDefined();
    expect(statusOf(() => store.create(deployments, deployment('late')))).toMatchObject({ code: 403, reason: 'Forbidden', message: 'deployments.apps "late" is forbidden: unable to create new content in namespace shop because it is being terminated' });
    store.delete(pods, 'shop', 'p', { gracePeriodSeconds: 0 });
    expect(store.get(ns, undefined, 'shop')).toBeUndefined();
  });

  it('replays history after a resourceVersion and answers 410 Expired once it is compacted', () => {
    const { store, deployments } = setup(3);
    const start = store.resourceVersion;
    const seen: StoreEvent[] = [];
    store.subscribe((e) => seen.push(e));
    store.create(deployments, deployment('a'));
    store.create(deployments, deployment('b'));
    expect(store.eventsSince(deployments, start).map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'a'], ['ADDED', 'b']]);
    store.delete(deployments, 'shop', 'a');
    store.create(deployments, deployment('c'));
    expect(statusOf(() => store.eventsSince(deployments, start))).toMatchObject({ code: 410, reason: 'Expired' });
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'DELETED', 'ADDED']);
  });
});
