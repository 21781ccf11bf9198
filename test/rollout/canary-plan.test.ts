import { describe, expect, it } from 'vitest';
import { planReplicas, scheduleFor } from '../../src/rollout/index.ts';

describe('canary schedule and replica plan', () => {
  it.each([
    [[5, 25, 50, 100], 5, [5, 25, 50, 100]],
    [[5, 25, 50, 100], 10, [10, 25, 50, 100]],
    [[5, 25, 50, 100], 30, [30, 50, 100]],
    [[5, 25, 50, 100], 100, [100]],
  ])('steps %j from a command asking %i%% → %j', (configured, first, expected) => {
    expect(scheduleFor(configured, first)).toEqual(expected);
  });

  it.each([
    [4, 5, { canary: 1, stable: 3 }],
    [4, 50, { canary: 2, stable: 2 }],
    [4, 90, { canary: 3, stable: 1 }],
    [4, 100, { canary: 4, stable: 0 }],
    [1, 5, { canary: 1, stable: 1 }],
    [10, 25, { canary: 3, stable: 7 }],
  ])('%i replicas at %i%% → %j (the stable side keeps at least one pod until 100%%)', (total, percent, expected) => {
    expect(planReplicas(total, percent)).toEqual(expected);
  });
});
