import { describe, expect, it } from 'vitest';
import { RolloutObject, sameTemplateIgnoringHash, toRolloutView, withImage } from '../../src/kube/argo-rollouts-objects.ts';

const object = RolloutObject.parse({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
  metadata: { name: 'api', namespace: 'shop', uid: 'u1', generation: 3, resourceVersion: '42' },
  spec: {
    replicas: 4, selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { initContainers: [{ name: 'migrate', image: 'acme/api:v1' }], containers: [{ name: 'api', image: 'acme/api:v1' }, { name: 'proxy', image: 'envoy:1' }] } },
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '30s' } }, { analysis: { templates: [{ templateName: 'error-rate' }] } }, { setCanaryScale: { replicas: 1 } }], trafficRouting: { istio: { virtualService: { name: 'api' } } } } },
  },
  status: {
    observedGeneration: '3', phase: 'Progressing', currentStepIndex: 2, currentPodHash: 'h2', stableRS: 'h1', pauseConditions: null,
    canary: { weights: { canary: { weight: 20, podTemplateHash: 'h2' }, stable: { weight: 80, podTemplateHash: 'h1' } }, currentStepAnalysisRunStatus: { name: 'api-h2-2', status: 'Running' } },
    newFieldFromALaterController: { x: 1 },
  },
});

describe('Rollout objects as read', () => {
  it('reads what the controller writes, observedGeneration as the string it is', () => {
    const v = toRolloutView(object);
    expect(v).toMatchObject({
      name: 'api', namespace: 'shop', generation: 3, observedGeneration: 3, strategy: 'canary', trafficRouted: true,
      images: { api: 'acme/api:v1', proxy: 'envoy:1' }, currentStepIndex: 2, weights: { canary: 20, stable: 80 },
      currentStepAnalysisRun: { name: 'api-h2-2', status: 'Running' }, pauseReasons: [],
    });
    expect(v.steps).toEqual([{ kind: 'setWeight', weight: 20 }, { kind: 'pause', duration: '30s' }, { kind: 'analysis', templates: ['error-rate'] }, { kind: 'other', name: 'setCanaryScale' }]);
  });

  it('a Rollout the controller has not looked at yet has observedGeneration -1', () => {
    expect(toRolloutView(RolloutObject.parse({ metadata: { name: 'api' }, spec: {} })).observedGeneration).toBe(-1);
  });

  it('set image: the named container (and an init container of that name), everything else untouched', () => {
    const changed = withImage(object, 'api', 'acme/api:v2');
    expect(changed?.spec.template?.spec?.containers).toEqual([{ name: 'api', image: 'acme/api:v2' }, { name: 'proxy', image: 'envoy:1' }]);
    expect(object.spec.template?.spec?.containers[0]?.image).toBe('acme/api:v1');
    expect(withImage(object, 'nope', 'x')).toBeUndefined();
  });

  it('undo compares templates without the pod-template-hash label, ignoring defaults the API server filled in', () => {
    const rollout = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'acme/api:v1' }] } };
    const replicaSet = { metadata: { labels: { app: 'api', 'rollouts-pod-template-hash': 'h1' } }, spec: { containers: [{ name: 'api', image: 'acme/api:v1', terminationMessagePath: '/dev/termination-log' }], restartPolicy: 'Always' } };
    expect(sameTemplateIgnoringHash(rollout, replicaSet)).toBe(true);
    expect(sameTemplateIgnoringHash({ ...rollout, spec: { containers: [{ name: 'api', image: 'acme/api:v2' }] } }, replicaSet)).toBe(false);
  });
});
