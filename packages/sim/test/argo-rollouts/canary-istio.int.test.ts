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
const replicaSetReplicas = async (hash: unknown): Promise<unknown> => at(await api.get('/apis/apps/v1', 'replicasets', `api-${String(hash)}`), 'spec', 'replicas');

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 20 });
  api = apiClient(sim, 'shop');
  await createServices(api, 'shop', ['api', 'api-canary', 'api-stable']);
  await api.create(ISTIO, 'virtualservices', {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api' },
    spec: { hosts: ['api'], http: [{ name: 'primary', route: [{ destination: { host: 'api-stable' }, weight: 100 }, { destination: { host: 'api-canary' }, weight: 0 }] }] },
  });
});

afterEach(async () => {
  await sim.close();
});

async function createIstioRollout(steps: unknown[]): Promise<Json> {
  await api.create(RO, 'rollouts', rolloutManifest({
    image: V1, replicas: 4, steps, canaryService: 'api-canary', stableService: 'api-stable',
    trafficRouting: { istio: { virtualService: { name: 'api', routes: ['primary'] } } },
  }));
  return untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'the first revision to be Healthy');
}

describe('Rollout canary with Istio host-level traffic splitting', () => {
  it('starts Healthy and stable: revision 1 skips the steps, all traffic to stable', async () => {
    const ro = await createIstioRollout([{ setWeight: 20 }, { pause: {} }]);
    expect(at(ro, 'status', 'stableRS')).toBe(at(ro, 'status', 'currentPodHash'));
    expect(at(ro, 'status', 'currentStepIndex')).toBe(2);
    expect(at(ro, 'status', 'availableReplicas')).toBe(4);
    expect(at(ro, 'status', 'observedGeneration')).toBe('1');
    expect(at(ro, 'metadata', 'annotations', 'rollout.argoproj.io/revision')).toBe('1');
    expect(await vsWeights(api)).toEqual({ 'api-stable': 100, 'api-canary': 0 });
    const stable = await api.get('/api/v1', 'services', 'api-stable');
    expect(at(stable, 'spec', 'selector', 'rollouts-pod-template-hash')).toBe(at(ro, 'status', 'stableRS'));
  });

  it('walks the steps with exact weights, pauses until promoted, and finishes on the new stable', async () => {
    const first = await createIstioRollout([{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '1s' } }, { setWeight: 75 }]);
    const stableHash = at(first, 'status', 'stableRS');
    await setImage(api, V2);

    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the pause step');
    const canaryHash = at(paused, 'status', 'currentPodHash');
    expect(canaryHash).not.toBe(stableHash);
    expect(at(paused, 'status', 'currentStepIndex')).toBe(1);
    expect(at(paused, 'status', 'message')).toBe('CanaryPauseStep');
    expect(at(paused, 'status', 'controllerPause')).toBe(true);
    expect(at(paused, 'status', 'pauseConditions', 0, 'reason')).toBe('CanaryPauseStep');
    expect(at(paused, 'status', 'canary', 'weights')).toEqual({
      canary: { weight: 25, podTemplateHash: canaryHash, serviceName: 'api-canary' },
      stable: { weight: 75, podTemplateHash: stableHash, serviceName: 'api-stable' },
    });
    expect(await vsWeights(api)).toEqual({ 'api-stable': 75, 'api-canary': 25 });
    expect(await replicaSetReplicas(canaryHash)).toBe(1);
    expect(await replicaSetReplicas(stableHash)).toBe(4);
    expect(at(await api.get('/api/v1', 'services', 'api-canary'), 'spec', 'selector', 'rollouts-pod-template-hash')).toBe(canaryHash);

    // `kubectl argo rollouts promote api`: paused with pause conditions → only the status patch.
    await api.mergePatch(RO, 'rollouts', 'api', { status: { pauseConditions: null } }, 'status');
    const timed = await untilRollout((ro) => at(ro, 'status', 'currentStepIndex') === 3, 'the timed pause');
    expect(at(timed, 'status', 'phase')).toBe('Paused');
    expect(await vsWeights(api)).toEqual({ 'api-stable': 50, 'api-canary': 50 });
    expect(await replicaSetReplicas(canaryHash)).toBe(2);

    const done = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'the end of the steps');
    expect(at(done, 'status', 'stableRS')).toBe(canaryHash);
    expect(at(done, 'status', 'currentStepIndex')).toBe(5);
    expect(at(done, 'status', 'canary', 'weights', 'canary', 'weight')).toBe(0);
    expect(at(done, 'status', 'canary', 'weights', 'stable')).toEqual({ weight: 100, podTemplateHash: canaryHash, serviceName: 'api-stable' });
    expect(await vsWeights(api)).toEqual({ 'api-stable': 100, 'api-canary': 0 });
    expect(await replicaSetReplicas(stableHash)).toBe(0);
    expect(await replicaSetReplicas(canaryHash)).toBe(4);
    expect(at(done, 'metadata', 'annotations', 'rollout.argoproj.io/revision')).toBe('2');
  });

  it('promote --full skips the remaining steps', async () => {
    await createIstioRollout([{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]);
    await setImage(api, V2);
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the first pause');
    // `promote --full`: currentPodHash != stableRS → status.promoteFull on the status subresource.
    await api.mergePatch(RO, 'rollouts', 'api', { status: { promoteFull: true } }, 'status');
    const done = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'full promotion');
    expect(at(done, 'status', 'stableRS')).toBe(at(paused, 'status', 'currentPodHash'));
    expect(at(done, 'status', 'promoteFull')).toBeUndefined();
    expect(at(done, 'status', 'currentStepIndex')).toBe(4);
    expect(await vsWeights(api)).toEqual({ 'api-stable': 100, 'api-canary': 0 });
  });

  it('promote while not paused moves to the next step (the plugin sets currentStepIndex)', async () => {
    await createIstioRollout([{ pause: {} }, { setWeight: 30 }, { pause: {} }]);
    await setImage(api, V2);
    await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused' && at(ro, 'status', 'currentStepIndex') === 0, 'the first pause');
    await api.mergePatch(RO, 'rollouts', 'api', { status: { pauseConditions: null } }, 'status');
    const second = await untilRollout((ro) => at(ro, 'status', 'currentStepIndex') === 2 && at(ro, 'status', 'phase') === 'Paused', 'the second pause');
    expect(at(second, 'status', 'canary', 'weights', 'canary', 'weight')).toBe(30);
  });

  it('abort sends all traffic back to stable at once, scales the canary down, and retry starts over', async () => {
    const first = await createIstioRollout([{ setWeight: 50 }, { pause: {} }]);
    const stableHash = at(first, 'status', 'stableRS');
    await setImage(api, V2);
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the pause');
    const canaryHash = at(paused, 'status', 'currentPodHash');
    expect(await vsWeights(api)).toEqual({ 'api-stable': 50, 'api-canary': 50 });

    // `kubectl argo rollouts abort api`
    await api.mergePatch(RO, 'rollouts', 'api', { status: { abort: true } }, 'status');
    const aborted = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Degraded', 'the abort');
    expect(at(aborted, 'status', 'message')).toBe('RolloutAborted: Rollout aborted update to revision 2');
    expect(at(aborted, 'status', 'abort')).toBe(true);
    expect(typeof at(aborted, 'status', 'abortedAt')).toBe('string');
    expect(at(aborted, 'status', 'currentStepIndex')).toBe(0);
    expect(at(aborted, 'status', 'stableRS')).toBe(stableHash);
    expect(at(aborted, 'status', 'canary', 'weights', 'canary', 'weight')).toBe(0);
    expect(await vsWeights(api)).toEqual({ 'api-stable': 100, 'api-canary': 0 });
    expect(await replicaSetReplicas(canaryHash)).toBe(0);

    // `kubectl argo rollouts retry rollout api`
    await api.mergePatch(RO, 'rollouts', 'api', { status: { abort: false } }, 'status');
    const retried = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the retried pause');
    expect(at(retried, 'status', 'abortedAt')).toBeUndefined();
    expect(await vsWeights(api)).toEqual({ 'api-stable': 50, 'api-canary': 50 });
  });

  it('pause and resume through spec.paused', async () => {
    await createIstioRollout([{ setWeight: 20 }, { pause: { duration: 1 } }]);
    await api.mergePatch(RO, 'rollouts', 'api', { spec: { paused: true } });
    await setImage(api, V2);
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused' && at(ro, 'status', 'observedGeneration') === '3', 'manual pause');
    expect(at(paused, 'status', 'message')).toBe('manually paused');
    expect(at(paused, 'status', 'currentStepIndex')).toBe(0);
    await api.mergePatch(RO, 'rollouts', 'api', { spec: { paused: false } });
    await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy' && at(ro, 'status', 'stableRS') === at(ro, 'status', 'currentPodHash'), 'the resumed rollout to finish');
  });

  it('a selector that does not select the template is InvalidSpec', async () => {
    const manifest = rolloutManifest({ image: V1, replicas: 1, steps: [] });
    await api.create(RO, 'rollouts', { ...manifest, spec: { ...(typeof manifest.spec === 'object' ? manifest.spec : {}), selector: { matchLabels: { app: 'web' } } } });
    const invalid = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Degraded', 'InvalidSpec');
    expect(at(invalid, 'status', 'message')).toBe('InvalidSpec: The Rollout "api" is invalid: spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`');
    expect(await api.list('/apis/apps/v1', 'replicasets')).toEqual([]);
  });

  it('rejects an invalid Rollout with 422, as the CRD schema does', async () => {
    const bad = rolloutManifest({ image: V1, replicas: 1, steps: [{ setWeight: 'lots' }] });
    const res = await api.send('POST', `${RO}/namespaces/shop/rollouts`, bad);
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(JSON.stringify(res.body)).toContain('spec.strategy.canary.steps[0].setWeight');
  });
});
