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
  it('is due its delay after it began: the time the step and its save took count towards the wait', async () => {
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
    const before = Date.now();
    const outcome = await runSteps({ records, deployId: '1', stepsFor: () => new Map([['hold', hold]]), emit: () => {}, signal: new AbortController().signal, onEnd: async () => {} });
    const after = Date.now();
    if (outcome.kind !== 'wait') throw new Error(`expected a wait, got ${outcome.kind}`);
    // The step's own words are kept; the moment it is due is counted from when it began.
    expect(outcome.delayMs).toBe(1_000);
    expect(outcome.dueAt).toBeGreaterThanOrEqual(before + 1_000);
    expect(outcome.dueAt).toBeLessThanOrEqual(before + 1_000 + 20);
    expect(outcome.dueAt - after).toBeLessThanOrEqual(1_000 - 110);
    expect(record.waitingFor).toBe('time');
  });

  it('that moves on to another step records that step and what it waits on, and its words reach the card', async () => {
    let record = draft();
    const records = { get: async () => record, update: async (_id: string, change: (d: Deploy) => Deploy | undefined) => { record = change(record) ?? record; return record; } };
    const events: { kind: string; message?: string }[] = [];
    const setWeight = async (): Promise<StepResult> => ({ kind: 'wait', step: 'await_canary', delayMs: 1_000, until: { namespace: 'shop', name: 'api-canary' }, message: 'Step 1/3: canary gets 10%' });
    record = { ...record, step: 'set_weight' };
    const outcome = await runSteps({ records, deployId: '1', stepsFor: () => new Map([['set_weight', setWeight]]), emit: (e) => events.push({ kind: e.kind, ...('message' in e && { message: e.message }) }), signal: new AbortController().signal, onEnd: async () => {} });
    expect(outcome.kind).toBe('wait');
    expect(record.step).toBe('await_canary');
    expect(record.waitingFor).toEqual({ namespace: 'shop', name: 'api-canary' });
    expect(events).toEqual([{ kind: 'note', message: 'Step 1/3: canary gets 10%' }]);
  });
});
