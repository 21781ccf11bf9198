import { runSteps, type Deploy, type DeployEvent, type DeployRecords, type Step, type StepTable } from '../../src/deploy/index.ts';
import { FIRST_RELEASE_STEP } from '../../src/build/index.ts';

/** A deploy at the first release step, as the gate leaves it. */
export function deployOf(id: string, version: string, o: Partial<Deploy> = {}): Deploy {
  const at = new Date().toISOString();
  return {
    id, service: 'api', env: 'staging', action: { kind: 'deploy', version, strategy: { kind: 'rolling' } },
    requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] }, channel: 'console',
    phase: 'queued', step: FIRST_RELEASE_STEP, steering: {}, state: {}, approvals: [], createdAt: at, updatedAt: at, ...o,
  };
}

/** Deploy records in memory, with the same update contract as the store. */
export function memoryRecords(initial: Deploy[] = []): DeployRecords & { all: Map<string, Deploy>; put(d: Deploy): void } {
  const all = new Map(initial.map((d) => [d.id, d]));
  return {
    all,
    put(d) { all.set(d.id, d); },
    async get(id) { return all.get(id); },
    async update(id, change) {
      const cur = all.get(id);
      if (!cur) throw new Error(`no deploy ${id}`);
      const next = change(cur);
      if (next) all.set(id, { ...next, updatedAt: new Date().toISOString() });
      return all.get(id) as Deploy;
    },
  };
}

export interface Driven {
  deploy: Deploy;
  events: DeployEvent[];
  /** The `wait` delays the runner was asked for, in order. */
  waits: number[];
  startRan: boolean;
}

/**
 * Runs a deploy's steps the way the queue worker does: to the next wait, then again after the delay (here a
 * timer stands in for the delayed job). `wake()` re-enqueues at once, as the webhook handler does.
 */
export function driveSteps(records: ReturnType<typeof memoryRecords>, id: string, release: StepTable, o: { onEnd?: (d: Deploy) => Promise<void>; timeoutMs?: number; driver?: StepTable } = {}): { done: Promise<Driven>; wake(): void } {
  let wake: () => void = () => {};
  const events: DeployEvent[] = [];
  const waits: number[] = [];
  let startRan = false;
  const start: Step = async () => { startRan = true; return { kind: 'done', phase: 'succeeded', summary: 'rolled out' }; };
  // A stub rollout that only notes it ran, unless a real driver's steps are given.
  const table = new Map([...release, ...(o.driver ?? new Map([['start', start]]))]);
  const done = (async (): Promise<Driven> => {
    const deadline = Date.now() + (o.timeoutMs ?? 20_000);
    for (;;) {
      if (Date.now() > deadline) throw new Error('deploy did not end in time');
      const outcome = await runSteps({
        records, deployId: id, stepsFor: () => table, emit: (e) => events.push(e), signal: new AbortController().signal,
        onEnd: async (d) => { await o.onEnd?.(d); },
      });
      if (outcome.kind === 'finished') return { deploy: outcome.deploy, events, waits, startRan };
      waits.push(outcome.delayMs);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, outcome.delayMs);
        wake = () => { clearTimeout(t); resolve(); };
      });
    }
  })();
  return { done, wake: () => wake() };
}
