import { describe, expect, it } from 'vitest';
import { assessMetric, measurementPhase } from '../../src/kube/argo-rollouts/assess-metric.ts';
import { desiredReplicaCounts, parseArgoDuration, toCanaryStep, weightAtStep } from '../../src/kube/argo-rollouts/canary-steps.ts';
import { evaluateCondition, EvaluationError } from '../../src/kube/argo-rollouts/evaluate-condition.ts';
import type { Metric } from '../../src/kube/argo-rollouts/rollout-types.ts';

describe('evaluateCondition (the forms in Argo Rollouts\' analysis docs)', () => {
  it.each([
    ['result[0] < 0.05', [0.01], true],
    ['result[0] < 0.05', [0.08], false],
    ['result[0] >= 0.95', [0.95], true],
    ['result >= 0.95', 0.97, true],
    ['len(result) == 0 || result[0] >= 0.95', [], true],
    ['len(result) == 0 || result[0] >= 0.95', [0.5], false],
    ['isNaN(result[0]) || result[0] < 0.05', [Number.NaN], true],
    ['default(result[0], 0) < 0.05', [], true],
    ['all(result, {# < 0.05})', [0.01, 0.02], true],
    ['any(result, {# > 0.5})', [0.01, 0.9], true],
    ['result[0] <= 0.01 and not (result[1] > 2)', [0.01, 1], true],
    ['(result[0] + result[1]) * 100 / 2 == 3', [0.02, 0.04], true],
    ['result[-1] == 4', [1, 4], true],
  ])('%s with %j is %s', (condition, result, expected) => {
    expect(evaluateCondition(condition, result)).toBe(expected);
  });

  it.each([
    ['result[0] < 0.05', []],
    ['result[0] <', [1]],
    ['frobnicate(result)', [1]],
    ['result[0] + 1', [1]],
  ])('%s with %j cannot be evaluated', (condition, result) => {
    expect(() => evaluateCondition(condition, result)).toThrow(EvaluationError);
  });
});

const metric = (overrides: Partial<Metric>): Metric => ({ name: 'error-rate', provider: { prometheus: { address: 'http://p', query: 'q' } }, ...overrides });

describe('measurement and metric assessment', () => {
  it.each([
    [{ successCondition: 'result[0] < 0.05' }, [0.01], 'Successful'],
    [{ successCondition: 'result[0] < 0.05' }, [0.08], 'Failed'],
    [{ failureCondition: 'result[0] > 0.05' }, [0.01], 'Successful'],
    [{ successCondition: 'result[0] < 0.01', failureCondition: 'result[0] > 0.05' }, [0.03], 'Inconclusive'],
    [{}, [0.5], 'Successful'],
    [{ successCondition: 'result[0] < 0.05' }, [], 'Error'],
  ])('%j over %j is %s', (conditions, result, phase) => {
    expect(measurementPhase(metric(conditions), result).phase).toBe(phase);
  });

  it('fails past failureLimit, errors past consecutiveErrorLimit, succeeds at count', () => {
    expect(assessMetric(metric({ failureLimit: 1, count: 5 }), { name: 'm', phase: 'Running', measurements: [{ phase: 'Failed', finishedAt: 'x' }], failed: 1, count: 1 }, false).phase).toBe('Running');
    expect(assessMetric(metric({ failureLimit: 1, count: 5 }), { name: 'm', phase: 'Running', measurements: [{ phase: 'Failed', finishedAt: 'x' }], failed: 2, count: 2 }, false)).toEqual({ phase: 'Failed', message: 'failed (2) > failureLimit (1)' });
    expect(assessMetric(metric({ count: 5 }), { name: 'm', phase: 'Running', measurements: [{ phase: 'Error', finishedAt: 'x' }], consecutiveError: 5 }, false)).toEqual({ phase: 'Error', message: 'consecutiveErrors (5) > consecutiveErrorLimit (4)' });
    expect(assessMetric(metric({ count: 2 }), { name: 'm', phase: 'Running', measurements: [{ phase: 'Successful', finishedAt: 'x' }], successful: 2, count: 2 }, false).phase).toBe('Successful');
    expect(assessMetric(metric({ interval: '10s' }), { name: 'm', phase: 'Running', measurements: [{ phase: 'Successful', finishedAt: 'x' }], successful: 9, count: 9 }, false).phase).toBe('Running');
  });
});

describe('canary step arithmetic', () => {
  const steps = [{ setWeight: 20 }, { pause: {} }, { analysis: {} }, { setWeight: 60 }, { pause: { duration: '1m30s' } }].map(toCanaryStep);

  it('the weight is the last setWeight at or before the step, 100 past the end', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => weightAtStep(steps, i))).toEqual([20, 20, 20, 60, 60, 100]);
    expect(weightAtStep([toCanaryStep({ pause: {} })], 0)).toBe(0);
  });

  it('replica counts round up, and traffic routing keeps the stable whole', () => {
    expect(desiredReplicaCounts(3, 20, false)).toEqual({ canary: 1, stable: 3 });
    expect(desiredReplicaCounts(4, 25, false)).toEqual({ canary: 1, stable: 3 });
    expect(desiredReplicaCounts(4, 25, true)).toEqual({ canary: 1, stable: 4 });
    expect(desiredReplicaCounts(4, 100, false)).toEqual({ canary: 4, stable: 0 });
  });

  it.each([[30, 30_000], ['30', 30_000], ['1m30s', 90_000], ['500ms', 500], ['1h', 3_600_000], ['soon', undefined]])('duration %j is %j ms', (text, ms) => {
    expect(parseArgoDuration(text)).toBe(ms);
  });
});
