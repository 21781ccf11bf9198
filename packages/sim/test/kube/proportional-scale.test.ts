import { describe, expect, it } from 'vitest';
import { planScale } from '../../src/kube/controllers/proportional-scale.ts';
import type { Deployment, ReplicaSet } from '../../src/kube/kube-types.ts';

function deployment(replicas: number, maxSurge: number | string = 3, maxUnavailable: number | string = 2): Deployment {
  return {
    metadata: { name: 'api' },
    spec: { replicas, selector: { matchLabels: { app: 'api' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } }, template: {} },
    status: { replicas: 13 },
  };
}

function rs(name: string, replicas: number, created: string, maxReplicas: number, available = replicas): ReplicaSet {
  return {
    metadata: { name, creationTimestamp: created, annotations: { 'deployment.kubernetes.io/max-replicas': String(maxReplicas), 'deployment.kubernetes.io/desired-replicas': String(maxReplicas - 3) } },
    spec: { replicas, selector: {}, template: {} },
    status: { replicas, availableReplicas: available },
  };
}

describe('planScale', () => {
  it('spreads a scale-up mid-rollout in proportion (the documented 10→15 example: +3 old, +2 new)', () => {
    const old = rs('api-old', 8, '2026-01-01T00:00:00Z', 13);
    const fresh = rs('api-new', 5, '2026-01-01T00:01:00Z', 13, 0);
    expect(planScale(deployment(15), fresh, [old])).toEqual(new Map([['api-old', 11], ['api-new', 7]]));
  });

  it('takes a scale-down from both, largest first', () => {
    const old = rs('api-old', 8, '2026-01-01T00:00:00Z', 13);
    const fresh = rs('api-new', 5, '2026-01-01T00:01:00Z', 13, 0);
    const plan = planScale(deployment(5), fresh, [old]);
    expect([...plan.values()].reduce((a, b) => a + b, 0)).toBe(5 + 3);
    expect(plan.get('api-old')).toBeLessThan(8);
    expect(plan.get('api-new')).toBeLessThan(5);
  });

  it('gives the whole size to the only active RS', () => {
    const only = rs('api-new', 3, '2026-01-01T00:01:00Z', 6);
    const idle = rs('api-old', 0, '2026-01-01T00:00:00Z', 6);
    expect(planScale(deployment(7), only, [idle])).toEqual(new Map([['api-new', 7]]));
  });
});
