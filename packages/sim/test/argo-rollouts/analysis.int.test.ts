import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimCluster, type SimCluster } from '../../src/kube/index.ts';
import { HEALTHY, startSimPrometheus, type SimPrometheus } from '../../src/prometheus/index.ts';
import type { ApiClient, Json } from './rollout-api.ts';
import { apiClient, at, createServices, ISTIO, RO, rolloutManifest, setImage, until, vsWeights } from './rollout-api.ts';

const IMAGE = 'registry.local/acme/api';

let sim: SimCluster;
let prom: SimPrometheus;
let api: ApiClient;

const rollout = (): Promise<Json> => api.get(RO, 'rollouts', 'api');
const untilRollout = (check: (ro: Json) => boolean, what: string): Promise<Json> => until(rollout, check, what);

beforeEach(async () => {
  sim = await startSimCluster({ readyDelayMs: 20 });
  api = apiClient(sim, 'shop');
  prom = await startSimPrometheus({
    kubeUrl: sim.url, requestsPerSecond: 100, snapshotTtlMs: 20,
    services: [{ service: 'api', namespace: 'shop', kubeService: 'api' }],
    profileOf: (image) => (image.endsWith(':v2-bad') ? { ...HEALTHY, errorRate: 0.08 } : HEALTHY),
  });
  await createServices(api, 'shop', ['api', 'api-canary', 'api-stable']);
  await api.create(ISTIO, 'virtualservices', {
    metadata: { name: 'api' },
    spec: { hosts: ['api'], http: [{ route: [{ destination: { host: 'api-stable' }, weight: 100 }, { destination: { host: 'api-canary' }, weight: 0 }] }] },
  });
  await api.create(RO, 'analysistemplates', {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'error-rate' },
    spec: {
      args: [{ name: 'version' }],
      metrics: [{
        name: 'error-rate', interval: '100ms', count: 2, failureLimit: 0, successCondition: 'result[0] < 0.05',
        provider: { prometheus: { address: prom.url, query: 'sum(rate(http_requests_total{namespace="shop",service="api",version="{{args.version}}",code="500"}[1m])) / sum(rate(http_requests_total{namespace="shop",service="api",version="{{args.version}}"}[1m]))' } },
      }],
    },
  });
  await api.create(RO, 'rollouts', rolloutManifest({
    image: `${IMAGE}:v1`, replicas: 4, canaryService: 'api-canary', stableService: 'api-stable',
    trafficRouting: { istio: { virtualService: { name: 'api' } } },
    steps: [{ setWeight: 25 }, { analysis: { templates: [{ templateName: 'error-rate' }], args: [{ name: 'version', value: 'PLACEHOLDER' }] } }, { setWeight: 50 }, { pause: {} }],
  }));
  await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'revision 1');
});

afterEach(async () => {
  await prom.close();
  await sim.close();
});

/** A new version whose analysis step asks about that version (the step's args name it). */
async function deploy(tag: string): Promise<void> {
  const ro = await rollout();
  const steps = at(ro, 'spec', 'strategy', 'canary', 'steps');
  const withArgs = Array.isArray(steps) ? steps.map((s) => (at(s, 'analysis') ? { analysis: { templates: [{ templateName: 'error-rate' }], args: [{ name: 'version', value: tag }] } } : s)) : [];
  await api.mergePatch(RO, 'rollouts', 'api', { spec: { strategy: { canary: { steps: withArgs } } } });
  await setImage(api, `${IMAGE}:${tag}`);
}

describe('Rollout step analysis against the simulated Prometheus', () => {
  it('a successful AnalysisRun lets the steps go on', async () => {
    await deploy('v2');
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the pause after the analysis');
    expect(at(paused, 'status', 'currentStepIndex')).toBe(3);
    const runStatus = at(paused, 'status', 'canary', 'currentStepAnalysisRunStatus');
    expect(runStatus).toMatchObject({ status: 'Successful' });
    const run = await api.get(RO, 'analysisruns', String(at(runStatus, 'name')));
    expect(at(run, 'metadata', 'name')).toBe(`api-${String(at(paused, 'status', 'currentPodHash'))}-2-1`);
    expect(at(run, 'metadata', 'labels')).toEqual({ 'rollouts-pod-template-hash': at(paused, 'status', 'currentPodHash'), 'rollout-type': 'Step', 'step-index': '1' });
    expect(at(run, 'spec', 'metrics', 0, 'provider', 'prometheus', 'query')).toContain('version="v2"');
    expect(at(run, 'status', 'phase')).toBe('Successful');
    expect(at(run, 'status', 'metricResults', 0)).toMatchObject({ name: 'error-rate', phase: 'Successful', count: 2, successful: 2 });
    const value = at(run, 'status', 'metricResults', 0, 'measurements', 0, 'value');
    // 0.1 % of the canary's requests fail: the query's answer, as Argo prints a vector.
    expect(value).toMatch(/^\[0\.00(09+\d*|1|10*\d*)\]$/);
    expect(await vsWeights(api)).toEqual({ 'api-stable': 50, 'api-canary': 50 });
  });

  it('a failed AnalysisRun aborts the rollout: Degraded, traffic back to stable, canary scaled down', async () => {
    const stableHash = at(await rollout(), 'status', 'stableRS');
    await deploy('v2-bad');
    const aborted = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Degraded', 'the abort');
    expect(at(aborted, 'status', 'message')).toBe('RolloutAborted: Rollout aborted update to revision 2: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)');
    expect(at(aborted, 'status', 'abort')).toBe(true);
    expect(at(aborted, 'status', 'stableRS')).toBe(stableHash);
    expect(at(aborted, 'status', 'canary', 'currentStepAnalysisRunStatus', 'status')).toBe('Failed');
    const run = await api.get(RO, 'analysisruns', String(at(aborted, 'status', 'canary', 'currentStepAnalysisRunStatus', 'name')));
    expect(at(run, 'status', 'phase')).toBe('Failed');
    expect(at(run, 'status', 'message')).toBe('Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)');
    expect(at(run, 'status', 'metricResults', 0, 'measurements', 0)).toMatchObject({ phase: 'Failed', value: '[0.08]' });
    expect(await vsWeights(api)).toEqual({ 'api-stable': 100, 'api-canary': 0 });
    const canaryRs = await api.get('/apis/apps/v1', 'replicasets', `api-${String(at(aborted, 'status', 'currentPodHash'))}`);
    expect(at(canaryRs, 'spec', 'replicas')).toBe(0);
  });

  it('retry after a failed analysis runs the step again in a new AnalysisRun (`.1`)', async () => {
    await deploy('v2-bad');
    const aborted = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Degraded', 'the abort');
    const failedRun = String(at(aborted, 'status', 'canary', 'currentStepAnalysisRunStatus', 'name'));
    prom.setProfile(`${IMAGE}:v2-bad`, { errorRate: 0.001 });
    // `kubectl argo rollouts retry rollout api`
    await api.mergePatch(RO, 'rollouts', 'api', { status: { abort: false } }, 'status');
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the retried steps');
    expect(at(paused, 'status', 'canary', 'currentStepAnalysisRunStatus')).toMatchObject({ name: `${failedRun}.1`, status: 'Successful' });
    expect(at(await api.get(RO, 'analysisruns', failedRun), 'status', 'phase')).toBe('Failed');
  });

  it('an Inconclusive analysis pauses the rollout until it is promoted', async () => {
    await api.create(RO, 'analysistemplates', {
      metadata: { name: 'grey-zone' },
      spec: { metrics: [{
        name: 'error-rate', successCondition: 'result[0] < 0.0001', failureCondition: 'result[0] > 0.05',
        provider: { prometheus: { address: prom.url, query: 'sum(rate(http_requests_total{namespace="shop",service="api",code="500"}[1m])) / sum(rate(http_requests_total{namespace="shop",service="api"}[1m]))' } },
      }] },
    });
    await api.mergePatch(RO, 'rollouts', 'api', { spec: { strategy: { canary: { steps: [{ setWeight: 25 }, { analysis: { templates: [{ templateName: 'grey-zone' }] } }, { setWeight: 75 }] } } } });
    await setImage(api, `${IMAGE}:v2`);
    const paused = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Paused', 'the inconclusive pause');
    expect(at(paused, 'status', 'message')).toBe('InconclusiveAnalysisRun');
    expect(at(paused, 'status', 'canary', 'currentStepAnalysisRunStatus', 'status')).toBe('Inconclusive');
    await api.mergePatch(RO, 'rollouts', 'api', { status: { pauseConditions: null } }, 'status');
    const done = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Healthy', 'the promoted rollout');
    expect(at(done, 'status', 'stableRS')).toBe(at(paused, 'status', 'currentPodHash'));
  });

  it('a template that does not exist is InvalidSpec (Degraded) until it is created', async () => {
    await api.mergePatch(RO, 'rollouts', 'api', { spec: { strategy: { canary: { steps: [{ analysis: { templates: [{ templateName: 'missing' }] } }] } } } });
    await setImage(api, `${IMAGE}:v3`);
    const invalid = await untilRollout((ro) => at(ro, 'status', 'phase') === 'Degraded', 'InvalidSpec');
    expect(at(invalid, 'status', 'message')).toBe("InvalidSpec: AnalysisTemplate 'missing' not found");
  });
});
