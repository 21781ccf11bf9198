import type { AnalysisTarget, Assessment, CheckSpec } from '../analysis/index.ts';
import type { Analysis, BlueGreen, Canary, Probe } from '../config/index.ts';
import type { Deploy, WorkloadTarget } from '../deploy/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { TrafficRouters } from './traffic/index.ts';

/** A service's progressive-delivery settings, from its config entry. */
export interface ProgressiveSettings {
  canary: Canary;
  analysis: Analysis;
  probes: Probe[];
  bluegreen: BlueGreen;
  /** How long a promoted deploy is watched with the previous version kept warm (0: not at all). */
  soak: number;
}

/** How long a wait on a Deployment lasts when the Deployment watch does not wake it first (a missed event). */
export const WAIT_FALLBACK_MS = 1_000;

export interface ProgressiveDeps {
  kube: KubeClient;
  targetOf(deploy: Deploy): WorkloadTarget;
  settingsOf(deploy: Deploy): ProgressiveSettings;
  routers: TrafficRouters;
  /** Measures the checks and judges them (wired in main.ts from analysis/: providers + `assess`). */
  analyse(checks: CheckSpec[], target: AnalysisTarget, streaks: Record<string, number>, failureLimit: number, signal: AbortSignal): Promise<Assessment>;
  /**
   * How long a step waiting on pods waits when no change of the Deployment wakes it first. The Deployment watch
   * (rollout-waker.ts) wakes it on every change; this only covers a missed event. Default WAIT_FALLBACK_MS.
   */
  pollMs?: number;
  /** How long a paused deploy waits before looking again by itself (steering wakes it at once; default 60 s). */
  pausedRecheckMs?: number;
  now?: () => number;
}

/** The checks a round measures: the service's metric checks, then one probe check per configured probe. */
export function checksOf(settings: ProgressiveSettings): CheckSpec[] {
  const metric: CheckSpec[] = settings.analysis.checks.map((c) => ({ kind: 'prometheus', name: c.name, query: c.query, failAbove: c.failAbove, unit: c.unit }));
  const probes: CheckSpec[] = settings.probes.map((p) => ({ kind: 'probe', name: `probe ${p.path}`, path: p.path, expectStatus: p.expectStatus, timeoutMs: p.timeout, failAbove: 0, unit: 'count' }));
  return [...metric, ...probes];
}

/** Probe checks only (blue-green's preview is probed before the switch; it has no traffic to measure yet). */
export function probeChecksOf(settings: ProgressiveSettings): CheckSpec[] {
  return checksOf(settings).filter((c) => c.kind === 'probe');
}
