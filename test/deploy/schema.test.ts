import { describe, expect, it } from 'vitest';
import { DeployId, isEndPhase, Strategy } from '../../src/deploy/index.ts';

describe('deploy schema', () => {
  it.each(['1', '12', '900'])('accepts deploy id %s', (id) => {
    expect(DeployId.safeParse(id).success).toBe(true);
  });
  it.each(['0', '-1', 'abc', '1.5', ''])('rejects deploy id %j', (id) => {
    expect(DeployId.safeParse(id).success).toBe(false);
  });
  it('rejects a canary share outside 1–100', () => {
    expect(Strategy.safeParse({ kind: 'canary', percent: 0 }).success).toBe(false);
    expect(Strategy.safeParse({ kind: 'canary', percent: 101 }).success).toBe(false);
    expect(Strategy.safeParse({ kind: 'canary', percent: 5 }).success).toBe(true);
  });
  it('knows which phases are final', () => {
    expect(isEndPhase('succeeded')).toBe(true);
    expect(isEndPhase('rolling_out')).toBe(false);
  });
});
