import { describe, expect, it } from 'vitest';
import { nextRoundAt } from '../../src/rollout/run-analysis.ts';

describe('nextRoundAt: analysis rounds keep their cadence', () => {
  it('is one interval after the round was due, however late it ran within the interval', () => {
    expect(nextRoundAt(10_000, 10_000, 1_000)).toBe(11_000);
    expect(nextRoundAt(10_000, 10_300, 1_000)).toBe(11_000);
    // Five rounds each run 300 ms late still end one interval apart from the first due time.
    let due = 10_000;
    for (let i = 0; i < 5; i++) due = nextRoundAt(due, due + 300, 1_000);
    expect(due).toBe(15_000);
  });

  it('counts again from now after a round later than a whole interval, instead of rounds back to back', () => {
    expect(nextRoundAt(10_000, 11_000, 1_000)).toBe(12_000);
    expect(nextRoundAt(10_000, 25_000, 1_000)).toBe(26_000);
  });
});
