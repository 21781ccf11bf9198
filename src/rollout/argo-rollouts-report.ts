import type { AnalysisRunView, RolloutStep, RolloutView } from '../kube/index.ts';

/** Where a Rollout stands for a deploy that wrote `toImage` at `generation`. */
export type RolloutOutcome =
  | { kind: 'progressing' }
  | { kind: 'healthy' }
  /** Aborted (by a person, or by Argo on a failed analysis): the stable ReplicaSet has all the traffic again. */
  | { kind: 'aborted'; message: string }
  | { kind: 'degraded'; message: string }
  /** Someone else changed the image meanwhile: this deploy's version is no longer what the Rollout rolls out. */
  | { kind: 'superseded'; image: string };

/**
 * Judges a Rollout the way `kubectl argo rollouts status` does: nothing counts until the controller has observed our
 * generation; Healthy with the current pod hash stable is done; `status.abort` or Degraded is the end of this rollout.
 */
export function rolloutOutcome(r: RolloutView, o: { container: string; toImage: string; generation: number }): RolloutOutcome {
  const image = r.images[o.container];
  if (image !== undefined && image !== o.toImage) return { kind: 'superseded', image };
  if (r.observedGeneration < o.generation) return { kind: 'progressing' };
  const message = r.message ?? r.conditions.find((c) => c.type === 'Progressing' && c.status === 'False')?.message ?? '';
  if (r.abort) return r.phase === 'Degraded' || r.phase === undefined ? { kind: 'aborted', message } : { kind: 'progressing' };
  if (r.phase === 'Degraded') return { kind: 'degraded', message };
  if (r.phase === 'Healthy' && r.currentPodHash !== undefined && r.currentPodHash === r.stableRS) return { kind: 'healthy' };
  return { kind: 'progressing' };
}

function stepName(s: RolloutStep | undefined): string {
  if (!s) return 'done';
  switch (s.kind) {
    case 'setWeight': return `setWeight ${s.weight}%`;
    case 'pause': return s.duration === undefined ? 'pause (until promoted)' : `pause ${s.duration}`;
    case 'analysis': return `analysis${s.templates.length ? ` ${s.templates.join(', ')}` : ''}`;
    case 'other': return s.name;
  }
}

/**
 * The canary's share: `status.canary.weights` when the traffic is routed; otherwise (a replica ratio) the last
 * `setWeight` at or before the current step, as Argo sizes the canary ReplicaSet by it.
 */
export function canaryShare(r: RolloutView): { canary: number; stable: number } | undefined {
  if (r.weights) return r.weights;
  if (r.strategy !== 'canary' || r.currentStepIndex === undefined) return undefined;
  if (r.currentPodHash !== undefined && r.currentPodHash === r.stableRS) return { canary: 0, stable: 100 };
  const upTo = r.steps.slice(0, Math.min(r.currentStepIndex + 1, r.steps.length));
  const last = upTo.filter((s): s is Extract<RolloutStep, { kind: 'setWeight' }> => s.kind === 'setWeight').at(-1);
  const weight = r.currentStepIndex >= r.steps.length ? 100 : last?.weight ?? 0;
  return { canary: weight, stable: 100 - weight };
}

/** The run of the current step (or the background run), with its latest measurements per metric. */
function describeAnalysis(r: RolloutView, runs: readonly AnalysisRunView[]): string | undefined {
  const ref = r.currentStepAnalysisRun ?? r.backgroundAnalysisRun;
  const run = (ref && runs.find((x) => x.name === ref.name)) ?? (ref ? undefined : runs.at(-1));
  if (!run) return ref ? `analysis ${ref.name} ${ref.status ?? ''}`.trim() : undefined;
  const metrics = run.metrics.map((m) => {
    const values = m.measurements.slice(-3).map((x) => `${x.value ?? '—'} (${x.phase ?? '?'})`).join(', ');
    return `${m.name} ${m.phase ?? ''}${values ? `: ${values}` : ''}`.replace(/\s+:/, ':').trim();
  });
  return `analysis ${run.name} ${run.phase ?? 'Pending'}${metrics.length ? ` — ${metrics.join('; ')}` : ''}${run.message ? ` (${run.message})` : ''}`;
}

/** Argo Rollouts' dashboard page of the Rollout (`<url>/rollouts/rollout/<namespace>/<name>`). */
export function dashboardLink(dashboardUrl: string | undefined, r: { namespace: string; name: string }): string | undefined {
  if (!dashboardUrl) return undefined;
  return `${dashboardUrl.replace(/\/+$/, '')}/rollouts/rollout/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`;
}

/**
 * One line for the card: what Argo reports — phase, step i/n, weights, pause reasons, the current AnalysisRun's
 * measurements, and its message.
 */
export function describeRollout(r: RolloutView, runs: readonly AnalysisRunView[]): string {
  const parts: string[] = [`Rollout ${r.name}: ${r.phase ?? 'Pending'}`];
  if (r.strategy === 'canary' && r.steps.length > 0 && r.currentStepIndex !== undefined) {
    const i = r.currentStepIndex;
    parts.push(i >= r.steps.length ? `all ${r.steps.length} steps done` : `step ${i + 1}/${r.steps.length} (${stepName(r.steps[i])})`);
  }
  const share = canaryShare(r);
  if (share) parts.push(`canary ${share.canary}% / stable ${share.stable}%`);
  parts.push(`${r.replicas.available}/${r.replicas.desired} available, ${r.replicas.updated} updated`);
  const paused = [...(r.paused ? ['paused by a person (spec.paused)'] : []), ...r.pauseReasons];
  if (paused.length) parts.push(`paused: ${paused.join(', ')}`);
  if (r.abort) parts.push('aborted');
  const analysis = describeAnalysis(r, runs);
  if (analysis) parts.push(analysis);
  if (r.message && !r.pauseReasons.includes(r.message)) parts.push(r.message);
  return parts.join(' · ');
}
