import type { Assessment, CheckSpec, AnalysisTarget } from '../analysis/index.ts';
import type { StepContext } from '../deploy/index.ts';
import type { ProgressiveDeps } from './progressive-deps.ts';

/**
 * One analysis round: measure and judge (injected: analysis/ measures with its providers and judges with the one
 * pure `assess`), then post the results to the card. The caller records the streaks it returns, so a round re-run
 * after a crash only measures again.
 */
export async function runAnalysis(ctx: StepContext, deps: ProgressiveDeps, checks: CheckSpec[], target: AnalysisTarget, streaks: Record<string, number>, failureLimit: number, label: string): Promise<Assessment> {
  const a = await deps.analyse(checks, target, streaks, failureLimit, ctx.signal);
  ctx.emit({
    kind: 'analysis', deploy: ctx.deploy, label, verdict: a.verdict,
    checks: a.results.map((r) => ({ check: r.check, status: r.status, value: r.value, threshold: r.threshold, unit: r.unit, detail: r.detail })),
  });
  return a;
}

/**
 * When the round after one that was due at `due` (and ran at `t`) is due: one interval after it was due, so a round
 * run late (a busy worker) does not push back every round after it, and the step's end with them. A round later than
 * a whole interval (the worker was away) starts the count again from now rather than running rounds back to back.
 */
export function nextRoundAt(due: number, t: number, interval: number): number {
  const next = due + interval;
  return next > t ? next : t + interval;
}
