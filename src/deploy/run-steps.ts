import { DeckhandError } from '../errors.ts';
import { isEndPhase, type Deploy, type DeployEvent, type Steering } from './schema.ts';
import type { StepResult, StepTable } from './steps.ts';

/** The slice of the deploy store the runner needs. */
export interface DeployRecords {
  get(id: string): Promise<Deploy | undefined>;
  /**
   * `lastSeen`: the record as this caller last read or saved it, tried first to spare a read. A save that changes
   * the phase is recorded in the audit log by the same write, said in `note`.
   */
  update(id: string, change: (d: Deploy) => Deploy | undefined, lastSeen?: Deploy, note?: string): Promise<Deploy>;
}

export interface RunStepsOptions {
  records: DeployRecords;
  deployId: string;
  stepsFor(deploy: Deploy): StepTable;
  emit(event: DeployEvent): void;
  signal: AbortSignal;
  /** Called once when the deploy reaches an end phase (release the lock, final card). */
  onEnd(deploy: Deploy): Promise<void>;
  /** Told how long each step ran and whether it threw, with the record the step ran on (metrics, trace spans). */
  observe?(step: string, ms: number, result: 'ok' | 'error', deploy: Deploy): void;
}

/** A wait: `delayMs` as the step asked, counted from when it began; `dueAt` (epoch ms) is that moment, which the queue keeps. */
export type RunOutcome = { kind: 'finished'; deploy: Deploy } | { kind: 'wait'; delayMs: number; dueAt: number };

/** Records a step's result; the record is the single source of truth for where a deploy stands. */
function applyResult(d: Deploy, r: StepResult): Deploy | undefined {
  if (isEndPhase(d.phase)) return undefined;
  const state = r.state ? { ...d.state, ...r.state } : d.state;
  const steering = r.taken ? Object.fromEntries(Object.entries(d.steering).filter(([k]) => !r.taken?.includes(k as keyof Steering))) : d.steering;
  const { waitingFor: _was, ...rest } = d;
  switch (r.kind) {
    // A pinned digest is never replaced; its signer is what the latest gate verified.
    case 'next': return { ...rest, step: r.step, phase: r.phase ?? d.phase, state, steering, ...(r.artifact && (!d.artifact || d.artifact.digest === r.artifact.digest) && { artifact: r.artifact }) };
    case 'wait': return { ...rest, step: r.step ?? d.step, state, steering, waitingFor: r.until ?? 'time' };
    case 'done': return { ...rest, step: 'done', phase: r.phase, state, steering, summary: r.summary };
  }
}

/**
 * Runs a deploy's steps from the one recorded, recording each result before the next step starts. Safe to call
 * again after a crash at any point: it resumes at the recorded step, and steps are written to be re-runnable.
 */
export async function runSteps(o: RunStepsOptions): Promise<RunOutcome> {
  let deploy = await o.records.get(o.deployId);
  if (!deploy) throw new DeckhandError('deploy_not_found', `There is no deploy #${o.deployId}.`);
  while (!isEndPhase(deploy.phase)) {
    if (o.signal.aborted) throw new DeckhandError('internal_error', 'Shutting down; the deploy resumes on the next worker.');
    const steps = o.stepsFor(deploy);
    const step = steps.get(deploy.step);
    if (!step) throw new DeckhandError('deploy_invalid_state', `Deploy #${deploy.id} is at an unknown step "${deploy.step}".`);
    const current: Deploy = deploy;
    const started = performance.now();
    const began = Date.now();
    let result: StepResult;
    try {
      result = await step({
        deploy: current,
        emit: o.emit,
        signal: o.signal,
        reload: async () => (await o.records.get(current.id)) ?? current,
      });
    } catch (err) {
      o.observe?.(current.step, performance.now() - started, 'error', current);
      throw err;
    }
    o.observe?.(current.step, performance.now() - started, 'ok', current);
    const before = deploy.phase;
    const message = result.kind === 'done' ? result.summary : result.message;
    deploy = await o.records.update(current.id, (d) => applyResult(d, result), current, message ?? '');
    if (deploy.phase !== before || result.kind === 'done') {
      o.emit({ kind: 'phase', deploy, phase: deploy.phase, message: message ?? '' });
    } else if (message) {
      o.emit({ kind: 'note', deploy, message });
    }
    if (result.kind === 'wait') return { kind: 'wait', delayMs: result.delayMs, dueAt: began + result.delayMs };
  }
  await o.onEnd(deploy);
  return { kind: 'finished', deploy };
}
