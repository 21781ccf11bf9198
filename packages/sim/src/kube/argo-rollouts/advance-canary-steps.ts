import type { ReplicaSet } from '../kube-types.ts';
import type { CanaryStep } from './canary-steps.ts';
import { desiredReplicaCounts } from './canary-steps.ts';
import type { AnalysisPhase, RolloutAnalysis, RolloutStatus } from './rollout-types.ts';

export const CANARY_PAUSE_STEP = 'CanaryPauseStep';
export const INCONCLUSIVE_ANALYSIS = 'InconclusiveAnalysisRun';

/** What the step machine needs from the controller; it mutates `status` and calls back for side effects. */
export interface StepContext {
  steps: CanaryStep[];
  status: RolloutStatus;
  replicas: number;
  trafficRouted: boolean;
  newRS: ReplicaSet;
  stableRS: ReplicaSet;
  revision: number;
  now: number;
  /** The AnalysisRun of the step at `index` (created when missing), or why it cannot be. */
  stepRun(index: number, analysis: RolloutAnalysis): { name: string; phase: AnalysisPhase | undefined; message?: string } | { invalid: string };
  requeueAfter(ms: number): void;
  completed(index: number, step: CanaryStep): void;
}

export interface StepOutcome {
  /** Set when an analysis step failed: the rollout aborts with this message. */
  abortMessage?: string;
  /** Set when a step cannot run (a template is missing): InvalidSpec. */
  invalidSpec?: string;
}

type StepProgress = 'done' | 'wait' | { abort: string } | { invalid: string };

/**
 * Runs the canary steps from `status.currentStepIndex` as far as they can go now (rollout/canary.go,
 * completedCurrentCanaryStep): setWeight is done when the canary (and, without traffic routing, the stable) is at
 * its replica count and available, and — with traffic routing — the weight is applied; `pause` adds the
 * CanaryPauseStep condition and is done when its duration passed or a promote removed the condition
 * (controllerPause without a condition is "unpausing"); `analysis` is done when its run is Successful, aborts
 * the rollout when Failed or Error, and pauses (InconclusiveAnalysisRun) when Inconclusive.
 * Each completed step clears the pause conditions, so a promote only ever skips what it should.
 */
export function advanceCanarySteps(ctx: StepContext): StepOutcome {
  const { status, steps } = ctx;
  let index = Math.min(Math.max(status.currentStepIndex ?? 0, 0), steps.length);
  while (index < steps.length) {
    const step = steps[index];
    if (!step) break;
    const progress = stepProgress(ctx, step, index);
    if (progress === 'wait') break;
    if (progress !== 'done') {
      status.currentStepIndex = index;
      return 'abort' in progress ? { abortMessage: progress.abort } : { invalidSpec: progress.invalid };
    }
    delete status.pauseConditions;
    delete status.controllerPause;
    ctx.completed(index, step);
    index += 1;
  }
  status.currentStepIndex = index;
  return {};
}

function stepProgress(ctx: StepContext, step: CanaryStep, index: number): StepProgress {
  switch (step.kind) {
    case 'setWeight': {
      const want = desiredReplicaCounts(ctx.replicas, step.weight, ctx.trafficRouted);
      const canaryReady = (ctx.newRS.spec.replicas ?? 0) === want.canary && (ctx.newRS.status?.availableReplicas ?? 0) >= want.canary;
      const stableReady = ctx.trafficRouted || ctx.stableRS === ctx.newRS || (ctx.stableRS.status?.replicas ?? 0) <= want.stable;
      const weightApplied = !ctx.trafficRouted || ctx.status.canary?.weights?.canary.weight === step.weight;
      return canaryReady && stableReady && weightApplied ? 'done' : 'wait';
    }
    case 'pause':
      return pauseProgress(ctx, CANARY_PAUSE_STEP, step.durationMs);
    case 'analysis': {
      const run = ctx.stepRun(index, step.analysis);
      if ('invalid' in run) return { invalid: run.invalid };
      const canary = (ctx.status.canary ??= {});
      canary.currentStepAnalysisRunStatus = { name: run.name, status: run.phase ?? 'Pending', ...(run.message ? { message: run.message } : {}) };
      if (run.phase === 'Successful') return 'done';
      if (run.phase === 'Failed' || run.phase === 'Error') return { abort: `Rollout aborted update to revision ${ctx.revision}: ${run.message ?? `AnalysisRun ${run.name} ${run.phase}`}` };
      if (run.phase === 'Inconclusive') return pauseProgress(ctx, INCONCLUSIVE_ANALYSIS, undefined);
      return 'wait';
    }
    case 'unsupported':
      return 'done';
    default: {
      const never: never = step;
      return never;
    }
  }
}

/** CompletedCanaryPausedStep, and AddPauseCondition when the pause starts. */
function pauseProgress(ctx: StepContext, reason: string, durationMs: number | undefined): StepProgress {
  const { status } = ctx;
  const condition = status.pauseConditions?.find((c) => c.reason === reason);
  if (!condition && status.controllerPause) return 'done';
  if (!condition) {
    // Millisecond precision (still RFC 3339): a `pause: {duration: 2s}` lasts 2 s, not 1–2 s as a whole-second
    // timestamp would make it.
    status.pauseConditions = [...(status.pauseConditions ?? []), { reason, startTime: new Date(ctx.now).toISOString() }];
    status.controllerPause = true;
    if (durationMs !== undefined) ctx.requeueAfter(durationMs);
    return 'wait';
  }
  if (durationMs === undefined) return 'wait';
  const left = Date.parse(condition.startTime) + durationMs - ctx.now;
  if (left <= 0) return 'done';
  ctx.requeueAfter(left);
  return 'wait';
}
