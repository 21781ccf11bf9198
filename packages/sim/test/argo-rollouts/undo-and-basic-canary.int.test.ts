import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';
import type { ApiClient, Json } from './rollout-api.ts';
import { apiClient, at, createServices, ISTIO, RO, rolloutManifest, setImage, until, vsWeights } from './rollout-api.ts';

const V1 = 'registry.local/acme/api:v1';
const V2 = 'registry.local/acme/api:v2';

let sim: SimCluster;
let api: ApiClient;

const rollout = (): Promise<Json> => api.get(RO, 'rollouts', 'api');
const untilRollout = (check: (ro: Json) => boolean, what: string): Promise<Json> => until(rollout, check, what);
const imageOf = (ro: Json): unknown => at(ro, 'spec', 'template', 'spec', 'containers', 0, 'image');
const replicaSetReplicas = async (hash: unknown): Promise<unknown> => at(await api.get('/apis/apps/v1', 'replicasets', `api-${String(hash)}`), 'spec', 'replicas');

/**
 * `kubectl argo rollouts undo api` (cmd/undo/undo.go): the owned ReplicaSet with the second-highest
 * `rollout.argoproj.io/revision`, its template without the hash label, as a JSON patch replacing /spec/template.
 */
async function undo(): Promise<void> {
  const ro = await rollout();
  const uid = at(ro, 'metadata', 'uid');
  const owned = (await api.list('/apis/apps/v1', 'replicasets', 'app=api')).filter((rs) => at(rs, 'metadata', 'ownerReferences', 0, 'uid') === uid);
  const byRevision = owned.map((rs) => ({ rs, revision: Number(at(rs, 'metadata', 'annotations', 'rollout.argoproj.io/revision')) })).sort((a, b) => b.revision - a.revision);
  const previous = byRevision[1]?.rs;
  if (!previous) throw new Error('no previous revision');
  const template = structuredClone(at(previous, 'spec', 'template'));
  const labels = at(template, 'metadata', 'labels');
  if (typeof labels === 'object' && labels !== null) Reflect.deleteProperty(labels, 'rollouts-pod-template-hash');
  await api.jsonPatch(RO, 'rollouts', 'api', [{ op: 'replace', path: '/spec/template', value: template }]);
}

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 20 });
  api = apiClient(sim, 'shop');
  await createServices(api, 'shop', ['api', 'api-canary', 'api-stable']);
});

afterEach(async () => {
  await sim.close();
});

describe('kubectl argo rollouts undo', () => {
  beforeEach(async () => {
    await api.create(ISTIO, 'virtualservices', {
      metadata: { name: 'api' },
      spec: { hosts: ['api'], http: [{ route: [{ destination: { host: 'api-stable' }, weight: 100 }, { destination: { host: 'api-canary' }, weight: 0 }] }] },
    });
    await api.create(RO, 'rollouts', rolloutManifest({
      image: V1, replicas: 2, canaryService: 'api-canary', stableService: 'api-stable',
      trafficRouting: { istio: { virtualService: { name: 'api' } } }, steps: [{ setWeight: 50 }, { pause: {} }],
    }));
    await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'revision 1');
  });

  it('during a canary: back to the stable template, which is promoted at once', async () => {
    const stableHash = at(await rollout(), 'status', 'stableRS');
    await setImage(api, V2);
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the canary pause');
    await undo();
    const back = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'the undo');
    expect(imageOf(back)).toBe(V1);
    expect(at(back, 'status', 'currentPodHash')).toBe(stableHash);
    expect(at(back, 'status', 'stableRS')).toBe(stableHash);
    expect(at(back, 'metadata', 'annotations', 'rollout.argoproj.io/revision')).toBe('3');
    expect(await vsWeights(api)).toEqual({ 'api-stable': 100, 'api-canary': 0 });
    expect(await replicaSetReplicas(at(paused, 'status', 'currentPodHash'))).toBe(0);
  });

  it('after a full promotion: the previous revision becomes a new canary, renumbered, through the steps', async () => {
    const v1Hash = at(await rollout(), 'status', 'stableRS');
    await setImage(api, V2);
    await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the canary pause');
    await api.mergePatch(RO, 'rollouts', 'api', { status: { pauseConditions: null } }, 'status');
    const v2 = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'v2 promoted');
    await undo();
    const canary = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the undo canary');
    expect(imageOf(canary)).toBe(V1);
    expect(at(canary, 'status', 'currentPodHash')).toBe(v1Hash);
    expect(at(canary, 'status', 'stableRS')).toBe(at(v2, 'status', 'stableRS'));
    expect(at(canary, 'metadata', 'annotations', 'rollout.argoproj.io/revision')).toBe('3');
    const v1Rs = await api.get('/apis/apps/v1', 'replicasets', `api-${String(v1Hash)}`);
    expect(at(v1Rs, 'metadata', 'annotations', 'rollout.argoproj.io/revision')).toBe('3');
    expect(await vsWeights(api)).toEqual({ 'api-stable': 50, 'api-canary': 50 });
  });
});

describe('canary without traffic routing', () => {
  it('splits by replica count and keeps no weights in status', async () => {
    await api.create(RO, 'rollouts', rolloutManifest({ image: V1, replicas: 4, steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: {} }] }));
    const first = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'revision 1');
    await setImage(api, V2);
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the first pause');
    expect(await replicaSetReplicas(at(paused, 'status', 'currentPodHash'))).toBe(1);
    expect(await replicaSetReplicas(at(first, 'status', 'stableRS'))).toBe(3);
    expect(at(paused, 'status', 'canary', 'weights')).toBeUndefined();
    await api.mergePatch(RO, 'rollouts', 'api', { status: { pauseConditions: null } }, 'status');
    const second = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused' && at(ro, 'status', 'currentStepIndex') === 3, 'the second pause');
    expect(await replicaSetReplicas(at(second, 'status', 'currentPodHash'))).toBe(3);
    expect(await replicaSetReplicas(at(first, 'status', 'stableRS'))).toBe(1);
    expect(at(second, 'status', 'updatedReplicas')).toBe(3);
  });
});
