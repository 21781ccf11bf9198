import { z } from 'zod';
import type { AnalysisTarget, CheckResult } from '../analysis/index.ts';
import { versionOfImage, type Deploy, type StepContext } from '../deploy/index.ts';
import { checksOf, type ProgressiveDeps, type ProgressiveSettings } from './progressive-deps.ts';
import { nextRoundAt, runAnalysis } from './run-analysis.ts';
import { readState } from './schema.ts';

/**
 * The soak window every strategy shares after promotion (`soak:` per service): the new version serves all traffic,
 * the previous one is still running beside it with none, the checks keep running in the background, and an abort
 * — a person's, or an alert's (src/signals/) — switches traffic back in one write. What each driver keeps warm and
 * how it switches back is its own (README of this folder); this file holds the clock and the background analysis.
 */
export const SoakState = z.object({
  soakStartedAt: z.number().optional(),
  soakUntil: z.number().optional(),
  soakNextAnalysisAt: z.number().optional(),
  soakStreaks: z.record(z.string(), z.number()).optional(),
  soakRounds: z.number().int().optional(),
});
export type SoakState = z.infer<typeof SoakState>;

export function soakStateOf(d: Deploy): SoakState {
  return readState(SoakState, d, 'soak');
}

/** `10m`, `4m 30s`, `45 s`, `150 ms`: a window or what is left of it, for the card. */
export function formatSpan(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m}m ${rest}s` : `${m}m`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** The state a soak starts with: its window from now, the first round one interval in. */
export function startSoak(settings: ProgressiveSettings, t: number): SoakState {
  return { soakStartedAt: t, soakUntil: t + settings.soak, soakNextAnalysisAt: t + Math.min(settings.analysis.interval, settings.soak), soakStreaks: {}, soakRounds: 0 };
}

/** What the card says when a soak starts: how long, what keeps running, what stays warm. */
export function soakStartMessage(settings: ProgressiveSettings, s: SoakState, fromImage: string | undefined, toImage: string | undefined, warm: string): string {
  const checks = checksOf(settings).map((c) => c.name);
  const until = new Date(s.soakUntil ?? 0).toISOString().slice(11, 19);
  return `👀 ${versionOfImage(toImage ?? '')} serves all traffic; watching it for ${formatSpan(settings.soak)} (until ${until} UTC)`
    + `${checks.length ? `: ${checks.join(', ')} every ${formatSpan(settings.analysis.interval)}` : ''}, and alerts roll it back. `
    + `${versionOfImage(fromImage ?? '')} stays up (${warm}) for an instant switch back (Roll back, /rollback).`;
}

/** What one look at a soak decided: go on waiting, the window is over, or a check failed. */
export type SoakLook =
  | { kind: 'wait'; delayMs: number; state: SoakState }
  | { kind: 'over'; state: SoakState }
  | { kind: 'fail'; failed: CheckResult; text: string; state: SoakState };

/**
 * One look at a soaking deploy: the window's clock, and an analysis round when one is due (the same checks as the
 * canary's, on the new version's pods). A failing check ends the soak with a roll back; "no data" cannot ask anyone
 * at this point (the version already serves everything), so it is shown and the watch goes on.
 */
export async function lookAtSoak(ctx: StepContext, deps: ProgressiveDeps, target: AnalysisTarget): Promise<SoakLook> {
  const now = deps.now ?? Date.now;
  const settings = deps.settingsOf(ctx.deploy);
  const s = soakStateOf(ctx.deploy);
  const t = now();
  const until = s.soakUntil ?? t;
  if (t >= until) return { kind: 'over', state: {} };
  let next = s.soakNextAnalysisAt ?? t;
  const state: SoakState = {};
  const checks = checksOf(settings);
  if (t >= next && checks.length > 0) {
    const a = await runAnalysis(ctx, deps, checks, target, s.soakStreaks ?? {}, settings.analysis.failureLimit, `while watching (${formatSpan(until - t)} left)`);
    state.soakStreaks = a.streaks;
    state.soakRounds = (s.soakRounds ?? 0) + 1;
    if (a.verdict === 'fail' && a.failed) {
      const f = a.failed;
      return { kind: 'fail', failed: f, text: `Analysis failed while watching: ${f.check}`, state };
    }
  }
  if (t >= next) {
    next = nextRoundAt(next, t, settings.analysis.interval);
    state.soakNextAnalysisAt = next;
  }
  return { kind: 'wait', delayMs: Math.max(5, Math.min(next, until) - t), state };
}

/** The words of an abort request: whose, or which alert's — and the moment the latency of the switch is measured from. */
export function abortRequest(d: Deploy): { text: string; failedAt?: number; signal: boolean } | undefined {
  const asked = d.steering.abort;
  if (!asked) return undefined;
  const sig = asked.signal;
  if (sig) {
    const what = sig.source === 'sentry' ? `Sentry reported ${sig.name}` : `Alert ${sig.name} fired`;
    return { text: `${what}${sig.summary ? ` (“${sig.summary}”)` : ''}`, failedAt: sig.receivedAt, signal: true };
  }
  return { text: `Aborted by ${asked.by}${asked.reason ? ` (“${asked.reason}”)` : ''}`, signal: false };
}
