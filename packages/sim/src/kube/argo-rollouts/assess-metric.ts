import { evaluateCondition, EvaluationError } from './evaluate-condition.ts';
import { parseArgoDuration } from './canary-steps.ts';
import type { AnalysisPhase, Metric, MetricResult } from './rollout-types.ts';
import { isCompletedPhase } from './rollout-types.ts';

const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

function intOf(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
}

export function limitsOf(metric: Metric): { failure: number; inconclusive: number; consecutiveError: number } {
  return {
    failure: intOf(metric.failureLimit, 0),
    inconclusive: intOf(metric.inconclusiveLimit, 0),
    consecutiveError: intOf(metric.consecutiveErrorLimit, DEFAULT_CONSECUTIVE_ERROR_LIMIT),
  };
}

/** Metric.EffectiveCount: `count`, or 1 when neither count nor interval is set; undefined = measure until terminated. */
export function effectiveCount(metric: Metric): number | undefined {
  if (metric.count !== undefined) return intOf(metric.count, 1);
  return metric.interval === undefined ? 1 : undefined;
}

export function intervalMs(metric: Metric): number {
  return metric.interval === undefined ? 0 : parseArgoDuration(metric.interval) ?? 0;
}

/**
 * evaluate.EvaluateResult: failureCondition true → Failed; successCondition true → Successful; with only a
 * success condition a false one is Failed, with only a failure condition a false one is Successful; with both and
 * neither true, Inconclusive; with none, Successful. An expression that cannot be evaluated is an Error.
 */
export function measurementPhase(metric: Metric, result: number | number[]): { phase: AnalysisPhase; message?: string } {
  try {
    const success = metric.successCondition ? evaluateCondition(metric.successCondition, result) : undefined;
    const failure = metric.failureCondition ? evaluateCondition(metric.failureCondition, result) : undefined;
    if (success === undefined && failure === undefined) return { phase: 'Successful' };
    const failed = failure ?? !success;
    const succeeded = success ?? !failure;
    if (failed) return { phase: 'Failed' };
    return { phase: succeeded ? 'Successful' : 'Inconclusive' };
  } catch (err) {
    if (err instanceof EvaluationError) return { phase: 'Error', message: err.message };
    throw err;
  }
}

/**
 * assessMetricStatus (analysis/analysis.go): a metric is Failed / Inconclusive / Error once its counter passes the
 * limit, Successful once it reached its count (or when the run is terminating), else still Running.
 */
export function assessMetric(metric: Metric, result: MetricResult, terminating: boolean): { phase: AnalysisPhase; message?: string } {
  if (isCompletedPhase(result.phase)) return { phase: result.phase, ...(result.message ? { message: result.message } : {}) };
  const measurements = result.measurements ?? [];
  if (measurements.length === 0) return { phase: terminating ? 'Successful' : 'Pending' };
  const limits = limitsOf(metric);
  if ((result.failed ?? 0) > limits.failure) return { phase: 'Failed', message: `failed (${result.failed ?? 0}) > failureLimit (${limits.failure})` };
  if ((result.inconclusive ?? 0) > limits.inconclusive) return { phase: 'Inconclusive', message: `inconclusive (${result.inconclusive ?? 0}) > inconclusiveLimit (${limits.inconclusive})` };
  if ((result.consecutiveError ?? 0) > limits.consecutiveError) return { phase: 'Error', message: `consecutiveErrors (${result.consecutiveError ?? 0}) > consecutiveErrorLimit (${limits.consecutiveError})` };
  const count = effectiveCount(metric);
  if (count !== undefined && (result.count ?? 0) >= count) return { phase: 'Successful' };
  return { phase: terminating ? 'Successful' : 'Running' };
}

const SEVERITY: Record<AnalysisPhase, number> = { Pending: 0, Running: 0, Successful: 1, Inconclusive: 2, Error: 3, Failed: 4 };

/** analysisutil.IsWorse: Failed is worse than Error, Error than Inconclusive, Inconclusive than Successful. */
export function isWorse(current: AnalysisPhase, candidate: AnalysisPhase): boolean {
  return SEVERITY[candidate] > SEVERITY[current];
}
