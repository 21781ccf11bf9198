import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';
import type { ApiClient, Json } from './rollout-api.ts';
import { apiClient, at, createServices, RO, setImage, until } from './rollout-api.ts';

let sim: SimCluster;
let api: ApiClient;

const rollout = (): Promise<Json> => api.get(RO, 'rollouts', 'api');
const untilRollout = (check: (ro: Json) => boolean, what: string): Promise<Json> => until(rollout, check, what);
const selectorHash = async (service: string): Promise<unknown> => at(await api.get('/api/v1', 'services', service), 'spec', 'selector', 'rollouts-pod-template-hash');
const replicaSetReplicas = async (hash: unknown): Promise<unknown> => at(await api.get('/apis/apps/v1', 'replicasets', `api-${String(hash)}`), 'spec', 'replicas');

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 20 });
  api = apiClient(sim, 'shop');
  await createServices(api, 'shop', ['api-active', 'api-preview']);
});

afterEach(async () => {
  await sim.close();
});

async function createBlueGreen(blueGreen: Json): Promise<Json> {
  await api.create(RO, 'rollouts', {
    metadata: { name: 'api' },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'registry.local/acme/api:v1', ports: [{ containerPort: 8080 }] }] } },
      strategy: { blueGreen: { activeService: 'api-active', previewService: 'api-preview', ...blueGreen } },
    },
  });
  return untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'revision 1');
}

describe('Rollout blue-green', () => {
  it('without auto-promotion: preview first, paused, then promote switches the active Service', async () => {
    const first = await createBlueGreen({ autoPromotionEnabled: false });
    const blue = at(first, 'status', 'stableRS');
    expect(at(first, 'status', 'blueGreen')).toEqual({ activeSelector: blue, previewSelector: blue });
    expect(await selectorHash('api-active')).toBe(blue);

    await setImage(api, 'registry.local/acme/api:v2');
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the BlueGreenPause');
    const green = at(paused, 'status', 'currentPodHash');
    expect(at(paused, 'status', 'message')).toBe('BlueGreenPause');
    expect(at(paused, 'status', 'blueGreen')).toEqual({ activeSelector: blue, previewSelector: green });
    expect(await selectorHash('api-active')).toBe(blue);
    expect(await selectorHash('api-preview')).toBe(green);
    expect(await replicaSetReplicas(green)).toBe(2);

    await api.mergePatch(RO, 'rollouts', 'api', { status: { pauseConditions: null } }, 'status');
    const done = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'the promotion');
    expect(at(done, 'status', 'stableRS')).toBe(green);
    expect(at(done, 'status', 'blueGreen', 'activeSelector')).toBe(green);
    expect(await selectorHash('api-active')).toBe(green);
    expect(await replicaSetReplicas(blue)).toBe(0);
  });

  it('with auto-promotion (the default) promotes as soon as the preview is available; abort keeps blue', async () => {
    await createBlueGreen({});
    await setImage(api, 'registry.local/acme/api:v2');
    const done = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy' && at(ro, 'status', 'stableRS') === at(ro, 'status', 'currentPodHash'), 'auto-promotion');
    expect(await selectorHash('api-active')).toBe(at(done, 'status', 'currentPodHash'));

    await api.mergePatch(RO, 'rollouts', 'api', { spec: { strategy: { blueGreen: { autoPromotionEnabled: false } } } });
    await setImage(api, 'registry.local/acme/api:v3');
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the v3 preview');
    await api.mergePatch(RO, 'rollouts', 'api', { status: { abort: true } }, 'status');
    const aborted = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Degraded', 'the abort');
    expect(at(aborted, 'status', 'message')).toBe('RolloutAborted: Rollout aborted update to revision 3');
    expect(await selectorHash('api-active')).toBe(at(done, 'status', 'currentPodHash'));
    expect(await selectorHash('api-preview')).toBe(at(done, 'status', 'currentPodHash'));
    expect(await replicaSetReplicas(at(paused, 'status', 'currentPodHash'))).toBe(0);
  });
});
