import type { Artifact, Deploy, DeployEvent, Phase, Steering } from './schema.ts';

/**
 * What a step decided. A step reads the recorded deploy, makes at most one external write, and says what comes
 * next; the runner records that before anything else happens, so a step re-run after a crash sees its own
 * effect in the world (e.g. the image already patched) and does not repeat it.
 */
export type StepResult = (
  /** `artifact`: the image digest the gate pinned and its signer (a pinned digest is never replaced by another). */
  | { kind: 'next'; step: string; phase?: Phase; state?: Record<string, unknown>; message?: string; artifact?: Artifact }
  /**
   * Run `step` (default: the same one) again `delayMs` after this step began (the time it and its save took counts
   * towards the wait, so a hold lasts what was configured), from a delayed job rather than a sleeping worker — or
   * sooner, as soon as the Deployment `until` names changes (the watch wakes it; `delayMs` is then only the fallback)
   * — with `when: 'settled'`, only once it has rolled out its spec, stopped progressing, or is gone: a step that only
   * looks for the end of a rollout is not run for each pod on the way there.
   */
  | { kind: 'wait'; delayMs: number; step?: string; state?: Record<string, unknown>; until?: { namespace: string; name: string; when?: 'settled' }; message?: string }
  | { kind: 'done'; phase: Phase; summary: string; state?: Record<string, unknown> }
) & {
  /** The steering requests this step acted on, cleared as it is recorded (Steering). */
  taken?: readonly (keyof Steering)[];
};

export interface StepContext {
  readonly deploy: Deploy;
  /** Progress and notes for the chat card and the audit log; never persisted by the step itself. */
  emit(event: DeployEvent): void;
  /** Aborted when the process is shutting down: the step should return promptly, its work resumes elsewhere. */
  readonly signal: AbortSignal;
  /** Re-reads the deploy record (a person may have asked to abort while this step was running). */
  reload(): Promise<Deploy>;
}

export type Step = (ctx: StepContext) => Promise<StepResult>;

/** A strategy's steps by name; a driver's table begins at `DRIVER_FIRST_STEP`. */
export type StepTable = ReadonlyMap<string, Step>;
/** Every deploy record starts here: the pipeline's policy gate, before any build or rollout step. */
export const FIRST_STEP = 'gate';
/** Where a rollout driver's own steps begin, after the gate (and the release steps, when configured). */
export const DRIVER_FIRST_STEP = 'start';
