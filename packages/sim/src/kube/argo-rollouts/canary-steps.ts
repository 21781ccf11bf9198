import type { CanaryStepSpec, RolloutAnalysis } from './rollout-types.ts';

/** A canary step as a union on `kind` (the CRD's "exactly one field set" turned into something a switch can check). */
export type CanaryStep =
  | { kind: 'setWeight'; weight: number }
  | { kind: 'pause'; durationMs: number | undefined }
  | { kind: 'analysis'; analysis: RolloutAnalysis }
  /** Steps the sim does not run (experiment, setCanaryScale, setHeaderRoute …): passed over as done. */
  | { kind: 'unsupported'; field: string };

export function toCanaryStep(spec: CanaryStepSpec): CanaryStep {
  if (typeof spec.setWeight === 'number') return { kind: 'setWeight', weight: spec.setWeight };
  if (spec.pause !== undefined) return { kind: 'pause', durationMs: spec.pause.duration === undefined ? undefined : parseArgoDuration(spec.pause.duration) };
  if (spec.analysis !== undefined) return { kind: 'analysis', analysis: spec.analysis };
  return { kind: 'unsupported', field: Object.keys(spec)[0] ?? 'unknown' };
}

/**
 * Argo's durations: an integer is seconds (`pause: {duration: 30}`, also as the string "30"); otherwise Go's
 * time.ParseDuration form (`10s`, `1m30s`, `500ms`, `1h`). Unparseable text is undefined (treated as no duration).
 */
export function parseArgoDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = value.trim();
  if (rest === '') return undefined;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    const unit = match?.[2];
    if (!match || unit === undefined) return undefined;
    total += Number(match[1]) * (unitMs[unit] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return total;
}

/**
 * GetCurrentSetWeight (utils/replicaset/canary.go): the canary's traffic weight at a step index — the last
 * setWeight at or before it, 0 before any, 100 once past the last step (or with no steps).
 */
export function weightAtStep(steps: CanaryStep[], index: number): number {
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i -= 1) {
    const step = steps[i];
    if (step?.kind === 'setWeight') return step.weight;
  }
  return 0;
}

/**
 * GetDesiredReplicaCountsForCanary: the canary gets ceil(weight% of replicas); the stable keeps all of them under
 * traffic routing (the mesh splits the traffic), else ceil((100 - weight)% of them), so the replica ratio is
 * the traffic split.
 */
export function desiredReplicaCounts(replicas: number, weight: number, trafficRouted: boolean): { canary: number; stable: number } {
  const canary = Math.ceil((replicas * weight) / 100);
  const stable = trafficRouted ? replicas : Math.ceil((replicas * (100 - weight)) / 100);
  return { canary, stable };
}
