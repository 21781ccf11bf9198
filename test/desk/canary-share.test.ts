import { describe, expect, it } from 'vitest';
import { replicaRatioShare } from '../../src/desk/canary-share.ts';
import { planReplicas } from '../../src/rollout/index.ts';

describe('the canary share the desk announces at request time', () => {
  it.each([
    [1, 5], [2, 5], [2, 50], [3, 5], [3, 33], [4, 5], [4, 25], [5, 30], [10, 5], [20, 5], [2, 100],
  ])('%i replicas at %i%%: the same pods and share the replica router will set', (replicas, percent) => {
    const { canary, stable } = planReplicas(replicas, percent);

    expect(replicaRatioShare(replicas, percent)).toEqual({ canaryPods: canary, stablePods: stable, actual: Math.round((canary / (canary + stable)) * 100) });
  });

  it.each([
    [2, 5, 50], [4, 5, 25], [4, 25, 25], [20, 5, 5], [10, 5, 10],
  ])('%i replicas asked %i%% → %i%% of traffic', (replicas, percent, actual) => {
    expect(replicaRatioShare(replicas, percent).actual).toBe(actual);
  });
});
