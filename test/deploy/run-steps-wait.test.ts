import { describe, expect, it } from 'vitest';
import { runSteps, type Deploy, type StepResult } from '../../src/deploy/index.ts';

function draft(): Deploy {
  const now = new Date(0).toISOString();
  return {
    id: '1', service: 'api', env: 'staging', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'canary', percent: 10 } },
    requestedBy: { id: 'U1', name: 'alice', platform: 'console', groups: [] }, channel: 'c', phase: 'rolling_out', step: 'hold',
    steering: {}, state: {}, approvals: [], createdAt: now, updatedAt: now,
  };
}

describe('a step that waits', () => {
  it('is due again its delay after it began: the time the step and its save took count towards the wait', async () => {
    let record = draft();
    const records = {
      get: async () => record,
      // A save that takes a while (Redis under load).
      update: async (_id: string, change: (d: Deploy) => Deploy | undefined) => {
        await new Promise((r) => setTimeout(r, 60));
        record = change(record) ?? record;
        return record;
      },
    };
    const hold = async (): Promise<StepResult> => {
      await new Promise((r) => setTimeout(r, 60)); // an analysis round
      return { kind: 'wait', delayMs: 1_000 };
    };
    const outcome = await runSteps({ records, deployId: '1', stepsFor: () => new Map([['hold', hold]]), emit: () => {}, signal: new AbortController().signal, onEnd: async () => {} });
    expect(outcome.kind).toBe('wait');
    const delayMs = outcome.kind === 'wait' ? outcome.delayMs : 0;
    expect(delayMs).toBeLessThanOrEqual(1_000 - 110);
    expect(delayMs).toBeGreaterThan(500);
    expect(record.waitingFor).toBe('time');
  });

  it('never gets a negative delay when the step ran longer than it asked to wait', async () => {
    let record = draft();
    const records = { get: async () => record, update: async (_id: string, change: (d: Deploy) => Deploy | undefined) => { record = change(record) ?? record; return record; } };
    const slow = async (): Promise<StepResult> => { await new Promise((r) => setTimeout(r, 30)); return { kind: 'wait', delayMs: 5 }; };
    const outcome = await runSteps({ records, deployId: '1', stepsFor: () => new Map([['hold', slow]]), emit: () => {}, signal: new AbortController().signal, onEnd: async () => {} });
    expect(outcome).toEqual({ kind: 'wait', delayMs: 0 });
  });
});
