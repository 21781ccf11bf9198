import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/kube/index.ts';
import { startSimCluster } from '../../src/kube/index.ts';

let sim: SimCluster;

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 30, bookmarkIntervalMs: 100, seed: [{ namespace: 'shop', name: 'api', container: 'api', image: 'ghcr.io/acme/api:v1', replicas: 2 }] });
});

afterEach(async () => {
  await sim.close();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function send(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.url}${path}`, { method, headers: { 'content-type': contentType }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Reads a watch stream's newline-delimited events until `enough` says stop (or the server ends it). */
async function readWatch(path: string, enough: (events: Array<{ type: string; object: Record<string, unknown> }>) => boolean, options: { headers?: Record<string, string>; onOpen?: () => Promise<void> } = {}) {
  const controller = new AbortController();
  const response = await fetch(`${sim.url}${path}`, { signal: controller.signal, headers: options.headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  const reader = response.body!.getReader();
  const events: Array<{ type: string; object: Record<string, unknown> }> = [];
  let buffer = '';
  let opened = false;
  const decoder = new TextDecoder();
  for (;;) {
    if (!opened && options.onOpen) {
      opened = true;
      void options.onOpen();
    }
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      events.push(JSON.parse(buffer.slice(0, newline)) as { type: string; object: Record<string, unknown> });
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    if (enough(events)) {
      controller.abort();
      break;
    }
  }
  return events;
}

const deploymentPath = '/apis/apps/v1/namespaces/shop/deployments';

describe('discovery', () => {
  it('serves /version, /api, /apis and resource lists with subresources and short names', async () => {
    expect((await get('/version')).body).toMatchObject({ major: '1', minor: '32' });
    expect((await get('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await get('/apis')).body as { groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
    expect(groups.groups.map((g) => g.preferredVersion.groupVersion)).toEqual(expect.arrayContaining(['apps/v1', 'gateway.networking.k8s.io/v1']));
    const apps = (await get('/apis/apps/v1')).body as { resources: Array<{ name: string; kind: string; shortNames?: string[]; namespaced: boolean; verbs: string[] }> };
    expect(apps.resources.find((r) => r.name === 'deployments')).toMatchObject({ kind: 'Deployment', shortNames: ['deploy'], namespaced: true, verbs: expect.arrayContaining(['watch', 'patch']) });
    expect(apps.resources.find((r) => r.name === 'deployments/scale')).toMatchObject({ kind: 'Scale', group: 'autoscaling', version: 'v1' });
    const core = (await get('/api/v1')).body as { resources: Array<{ name: string }> };
    expect(core.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['namespaces', 'pods', 'pods/log', 'services', 'events', 'nodes']));
    expect((await get('/apis/nope/v1')).status).toBe(404);
  });
});

describe('CRUD and Status errors', () => {
  const manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { generateName: 'job-' }, spec: { selector: { matchLabels: { app: 'job' } }, template: { metadata: { labels: { app: 'job' } }, spec: { containers: [{ name: 'job', image: 'job:1' }] } } } };

  it('creates with generateName (201) and answers the usual failures with Status objects', async () => {
    const created = await send('POST', deploymentPath, manifest);
    expect(created.status).toBe(201);
    expect((created.body.metadata as { name: string }).name).toMatch(/^job-[a-z0-9]{5}$/);

    const cases: Array<[Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
      [send('POST', deploymentPath, { ...manifest, metadata: { name: 'api' } }), 409, 'AlreadyExists'],
      [send('POST', deploymentPath, { ...manifest, metadata: { name: 'x' }, spec: { ...manifest.spec, selector: { matchLabels: { app: 'other' } } } }), 422, 'Invalid'],
      [send('POST', deploymentPath, { ...manifest, kind: 'Service' }), 400, 'BadRequest'],
      [get(`${deploymentPath}/ghost`), 404, 'NotFound'],
      [get(`${deploymentPath}?labelSelector=a%3Db%3Dc`), 400, 'BadRequest'],
      [send('PATCH', `${deploymentPath}/api`, { spec: {} }, 'application/json-patch+json'), 400, 'BadRequest'],
      [send('PATCH', `${deploymentPath}/api`, { spec: {} }, 'text/plain'), 415, 'UnsupportedMediaType'],
    ];
    for (const [request, code, reason] of cases) {
      const { status, body } = await request;
      expect({ status, kind: body.kind, reason: body.reason, code: body.code }).toEqual({ status: code, kind: 'Status', reason, code });
    }
    const invalid = await send('POST', deploymentPath, { ...manifest, metadata: { name: 'x' }, spec: { ...manifest.spec, selector: { matchLabels: { app: 'other' } } } });
    expect(invalid.body.message).toBe('Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: {"app":"job"}: `selector` does not match template `labels`');
  });

  it('lists with label and field selectors and omits kind on items', async () => {
    const list = (await get(`${deploymentPath}?fieldSelector=metadata.name%3Dapi`)).body as { kind: string; metadata: { resourceVersion: string }; items: Array<Record<string, unknown>> };
    expect(list.kind).toBe('DeploymentList');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).not.toHaveProperty('kind');
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(((await get('/api/v1/pods?labelSelector=app%3Dapi')).body.items as unknown[]).length).toBe(2);
    expect(((await get('/api/v1/pods?labelSelector=app%3Dnope')).body.items as unknown[]).length).toBe(0);
  });

  it('answers GET, LIST and PATCH from the stored objects without changing them', async () => {
    // A LIST answer drops kind from its items and a PATCH works on its own copy: the stored object keeps both.
    expect(((await get(deploymentPath)).body.items as Array<Record<string, unknown>>)[0]).not.toHaveProperty('kind');
    const patched = await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { tier: 'web' } } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    const one = (await get(`${deploymentPath}/api`)).body as { kind: string; apiVersion: string; metadata: { labels: Record<string, string>; resourceVersion: string } };
    expect(one).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { labels: { tier: 'web' } } });
    expect(one.metadata.resourceVersion).toBe((patched.body.metadata as { resourceVersion: string }).resourceVersion);
    // A merge patch that changes nothing stores nothing: same resourceVersion.
    const again = await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { tier: 'web' } } }, 'application/merge-patch+json');
    expect((again.body.metadata as { resourceVersion: string }).resourceVersion).toBe(one.metadata.resourceVersion);
  });

  it('pages lists with limit and continue', async () => {
    const first = (await get('/api/v1/namespaces/shop/pods?limit=1')).body as { items: Array<{ metadata: { name: string } }>; metadata: { continue?: string; remainingItemCount?: number } };
    expect(first.items).toHaveLength(1);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = (await get(`/api/v1/namespaces/shop/pods?limit=1&continue=${first.metadata.continue ?? ''}`)).body as typeof first;
    expect(second.items).toHaveLength(1);
    expect(second.metadata.continue).toBeUndefined();
    expect(second.items[0]?.metadata.name).not.toBe(first.items[0]?.metadata.name);
    expect((await get('/api/v1/namespaces/shop/pods?limit=1&continue=%%%')).status).toBe(400);
  });

  it('serves the scale and status subresources', async () => {
    expect((await get(`${deploymentPath}/api/scale`)).body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=api' } });
    const scaled = await send('PUT', `${deploymentPath}/api/scale`, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'api', namespace: 'shop' }, spec: { replicas: 4 } });
    expect(scaled.body).toMatchObject({ spec: { replicas: 4 } });
    const status = await send('PATCH', `${deploymentPath}/api/status`, { status: { observedGeneration: 99 } }, 'application/merge-patch+json');
    expect(status.body).toMatchObject({ status: { observedGeneration: 99 } });
  });

  it('deletes with background propagation: ReplicaSets at once, pods after terminating gracefully', async () => {
    const deleted = await fetch(`${sim.url}${deploymentPath}/api`, { method: 'DELETE' });
    expect(await deleted.json()).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'api', group: 'apps', kind: 'deployments' } });
    expect(((await get('/apis/apps/v1/namespaces/shop/replicasets')).body.items as unknown[]).length).toBe(0);
    const terminating = (await get('/api/v1/namespaces/shop/pods')).body.items as Array<{ metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number } }>;
    expect(terminating).toHaveLength(2);
    for (const pod of terminating) expect(pod.metadata).toMatchObject({ deletionTimestamp: expect.any(String), deletionGracePeriodSeconds: 30 });
    const deadline = Date.now() + 5000;
    while (((await get('/api/v1/namespaces/shop/pods')).body.items as unknown[]).length > 0) {
      if (Date.now() > deadline) throw new Error('pods never went away');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('deletes a pod gracefully (answering with the pod) or at once with gracePeriodSeconds=0', async () => {
    const pods = (await get('/api/v1/namespaces/shop/pods')).body.items as Array<{ metadata: { name: string } }>;
    const graceful = await fetch(`${sim.url}/api/v1/namespaces/shop/pods/${pods[0]?.metadata.name ?? ''}`, { method: 'DELETE' });
    expect(await graceful.json()).toMatchObject({ kind: 'Pod', metadata: { name: pods[0]?.metadata.name, deletionTimestamp: expect.any(String) } });
    const forced = await fetch(`${sim.url}/api/v1/namespaces/shop/pods/${pods[1]?.metadata.name ?? ''}?gracePeriodSeconds=0`, { method: 'DELETE' });
    expect(await forced.json()).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await get(`/api/v1/namespaces/shop/pods/${pods[1]?.metadata.name ?? ''}`)).status).toBe(404);
  });
});

describe('setFaultyImage', () => {
  it('makes pods started afterwards with a matching image crash-loop', async () => {
    sim.setFaultyImage((image) => image.endsWith(':v2'));
    await send('PATCH', `${deploymentPath}/api`, { spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:v2' }] } } } }, 'application/strategic-merge-patch+json');
    const deadline = Date.now() + 5000;
    for (;;) {
      const pods = (await get('/api/v1/namespaces/shop/pods')).body.items as Array<{ spec: { containers: Array<{ image: string }> }; status?: { containerStatuses?: Array<{ state: { waiting?: { reason?: string } } }> } }>;
      const crashing = pods.filter((p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff');
      if (crashing.length > 0) {
        expect(crashing.every((p) => p.spec.containers[0]?.image === 'ghcr.io/acme/api:v2')).toBe(true);
        break;
      }
      if (Date.now() > deadline) throw new Error('no pod crash-looped');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});

describe('pods/log', () => {
  it('answers the log, and with follow=true keeps streaming until the pod is gone', async () => {
    const pods = (await get('/api/v1/namespaces/shop/pods')).body.items as Array<{ metadata: { name: string } }>;
    const name = pods[0]?.metadata.name ?? '';
    const plain = await (await fetch(`${sim.url}/api/v1/namespaces/shop/pods/${name}/log`)).text();
    expect(plain).toMatch(/\[deckhand-sim\] container api started from image ghcr\.io\/acme\/api:v1\n/);
    const follow = await fetch(`${sim.url}/api/v1/namespaces/shop/pods/${name}/log?follow=true`);
    const reader = follow.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(plain);
    await fetch(`${sim.url}/api/v1/namespaces/shop/pods/${name}?gracePeriodSeconds=0`, { method: 'DELETE' });
    expect((await reader.read()).done).toBe(true);
  });
});

describe('events.k8s.io/v1 over core/v1 events', () => {
  it('serves the same Events under both versions, converting field names both ways', async () => {
    const core = (await get('/api/v1/namespaces/shop/events?fieldSelector=reason%3DScalingReplicaSet')).body.items as Array<{ metadata: { uid: string }; message: string; involvedObject: { name: string } }>;
    const v1 = (await get('/apis/events.k8s.io/v1/namespaces/shop/events?fieldSelector=reason%3DScalingReplicaSet')).body as { kind: string; apiVersion: string; items: Array<{ metadata: { uid: string }; note: string; regarding: { name: string } }> };
    expect(v1).toMatchObject({ kind: 'EventList', apiVersion: 'events.k8s.io/v1' });
    expect(v1.items.map((e) => [e.metadata.uid, e.note, e.regarding.name])).toEqual(core.map((e) => [e.metadata.uid, e.message, e.involvedObject.name]));

    const created = await send('POST', '/apis/events.k8s.io/v1/namespaces/shop/events', { metadata: { name: 'deckhand.1' }, eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'deckhand', reportingInstance: 'bot', action: 'Deploy', reason: 'DeployStarted', note: 'deploying api v2', type: 'Normal', regarding: { kind: 'Deployment', name: 'api', namespace: 'shop' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'deploying api v2' });
    expect((await get('/api/v1/namespaces/shop/events/deckhand.1')).body).toMatchObject({ kind: 'Event', apiVersion: 'v1', message: 'deploying api v2', reportingComponent: 'deckhand', involvedObject: { name: 'api' } });
  });
});

describe('tables', () => {
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('renders deployments as a Table with PartialObjectMetadata rows by default', async () => {
    const table = (await get(deploymentPath, { accept: TABLE })).body as { kind: string; apiVersion: string; columnDefinitions: Array<{ name: string; priority: number }>; rows: Array<{ cells: unknown[]; object: Record<string, unknown> }> };
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    expect(table.rows[0]?.cells.slice(0, 4)).toEqual(['api', '2/2', 2, 2]);
    expect(table.rows[0]?.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'api' } });
  });

  it.each([
    ['Object', { kind: 'Deployment' }],
    ['None', undefined],
  ])('honours includeObject=%s', async (include, expected) => {
    const table = (await get(`${deploymentPath}?includeObject=${include}`, { accept: TABLE })).body as { rows: Array<{ object?: Record<string, unknown> }> };
    if (expected) expect(table.rows[0]?.object).toMatchObject(expected);
    else expect(table.rows[0]?.object).toBeUndefined();
  });
});

describe('watch', () => {
  it('sends synthetic ADDED for current state, then live events (watch=1)', async () => {
    const events = await readWatch(`${deploymentPath}?watch=1`, (e) => e.some((x) => x.type === 'MODIFIED'), {
      onOpen: async () => {
        await new Promise((r) => setTimeout(r, 50));
        await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { touched: 'yes' } } }, 'application/merge-patch+json');
      },
    });
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'api' } } });
    expect(events.find((e) => e.type === 'MODIFIED')?.object).toMatchObject({ metadata: { labels: { touched: 'yes' } } });
  });

  it('resumes after a resourceVersion, sends bookmarks, and ends at timeoutSeconds', async () => {
    const list = (await get('/api/v1/namespaces/shop/pods')).body as { metadata: { resourceVersion: string } };
    await send('PATCH', `${deploymentPath}/api/scale`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    const events = await readWatch(`/api/v1/namespaces/shop/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=1`, () => false);
    expect(events[0]?.type).toBe('ADDED');
    expect(events.filter((e) => e.type === 'ADDED')).toHaveLength(1);
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    const versions = events.filter((e) => e.type !== 'BOOKMARK').map((e) => Number((e.object.metadata as { resourceVersion: string }).resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('reports an object leaving a label selection as DELETED', async () => {
    const events = await readWatch(`${deploymentPath}?watch=true&labelSelector=team%3Dcore`, (e) => e.some((x) => x.type === 'DELETED'), {
      onOpen: async () => {
        await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { team: 'core' } } }, 'application/merge-patch+json');
        await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { team: 'edge' } } }, 'application/merge-patch+json');
      },
    });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('replays enter/leave of a label selection when resuming from a resourceVersion', async () => {
    const since = ((await get(deploymentPath)).body.metadata as { resourceVersion: string }).resourceVersion;
    await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { team: 'core' } } }, 'application/merge-patch+json');
    await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { team: 'edge' } } }, 'application/merge-patch+json');
    const events = await readWatch(`${deploymentPath}?watch=true&labelSelector=team%3Dcore&resourceVersion=${since}&timeoutSeconds=1`, () => false);
    expect(events.map((e) => [e.type, (e.object.metadata as { labels: Record<string, string> }).labels.team])).toEqual([['ADDED', 'core'], ['DELETED', 'edge']]);
  });

  it('streams one-row Tables with headers only on the first event', async () => {
    const events = await readWatch(`${deploymentPath}?watch=true`, (e) => e.length >= 2, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
      onOpen: async () => {
        await new Promise((r) => setTimeout(r, 50));
        await send('PATCH', `${deploymentPath}/api`, { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
      },
    });
    expect(events[0]?.object).toMatchObject({ kind: 'Table', columnDefinitions: expect.any(Array), rows: [{ cells: expect.arrayContaining(['api']) }] });
    expect(events[1]?.object).toMatchObject({ kind: 'Table', columnDefinitions: null });
  });

  it('answers 410 Expired (as an ERROR event) for a too-old resourceVersion', async () => {
    const events = await readWatch(`${deploymentPath}?watch=true&resourceVersion=5`, () => false);
    expect(events).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) }]);
  });
});

describe('request log', () => {
  it('records method, path, query and content type', async () => {
    await send('PATCH', `${deploymentPath}/api?fieldManager=test`, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json');
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `${deploymentPath}/api`, query: 'fieldManager=test', contentType: 'application/merge-patch+json', at: expect.any(Number), status: 200 });
    await get(`${deploymentPath}/ghost`);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: `${deploymentPath}/ghost`, status: 404 });
  });
});
