import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';
import type { ApiClient, Json } from './rollout-api.ts';
import { apiClient, at, createServices, RO, rolloutManifest, setImage, until } from './rollout-api.ts';

let sim: SimCluster;
let api: ApiClient;

const rollout = (): Promise<Json> => api.get(RO, 'rollouts', 'api');
const untilRollout = (check: (ro: Json) => boolean, what: string): Promise<Json> => until(rollout, check, what);

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 20, isFaultyImage: (image) => image.endsWith(':broken') });
  api = apiClient(sim, 'shop');
  await createServices(api, 'shop', ['api']);
});

afterEach(async () => {
  await sim.close();
});

async function deployBroken(spec: Json): Promise<void> {
  const manifest = rolloutManifest({ image: 'registry.local/acme/api:v1', replicas: 2, steps: [{ setWeight: 50 }, { pause: {} }] });
  await api.create(RO, 'rollouts', { ...manifest, spec: { ...(typeof manifest.spec === 'object' ? manifest.spec : {}), progressDeadlineSeconds: 1, ...spec } });
  await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'revision 1');
  await setImage(api, 'registry.local/acme/api:broken');
}

describe('Rollout progress deadline', () => {
  it('a canary whose pods never get ready is Degraded with ProgressDeadlineExceeded', async () => {
    await deployBroken({});
    const stuck = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Degraded', 'the deadline');
    expect(at(stuck, 'status', 'message')).toBe(`ProgressDeadlineExceeded: ReplicaSet "api-${String(at(stuck, 'status', 'currentPodHash'))}" has timed out progressing.`);
    expect(at(stuck, 'status', 'abort')).toBeUndefined();
    expect(at(stuck, 'status', 'currentStepIndex')).toBe(0);
  });

  it('with progressDeadlineAbort the update is aborted and scaled away', async () => {
    await deployBroken({ progressDeadlineAbort: true });
    const aborted = await untilRollout((ro) => at(ro, 'status', 'abort') === true && at(ro, 'status', 'phase') === 'Degraded' && String(at(ro, 'status', 'message')).startsWith('RolloutAborted'), 'the abort');
    const canary = await api.get('/apis/apps/v1', 'replicasets', `api-${String(at(aborted, 'status', 'currentPodHash'))}`);
    expect(at(canary, 'spec', 'replicas')).toBe(0);
  });
});
