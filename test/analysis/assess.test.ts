import { describe, expect, it } from 'vitest';
import { assess, type CheckSpec, type Measurement } from '../../src/analysis/index.ts';

const ERRORS: CheckSpec = { kind: 'prometheus', name: 'error-rate', query: 'q', failAbove: 0.01, unit: 'ratio' };
const P99: CheckSpec = { kind: 'prometheus', name: 'latency-p99', query: 'q', failAbove: 800, unit: 'ms' };
const value = (check: string, v: number): Measurement => ({ kind: 'value', check, value: v });

describe('assess: one pure judgement, worst result wins', () => {
  it.each([
    ['both under their limits', [value('error-rate', 0.001), value('latency-p99', 120)], 'pass'],
    ['a value exactly at the limit passes', [value('error-rate', 0.01), value('latency-p99', 800)], 'pass'],
    ['errors above the limit', [value('error-rate', 0.08), value('latency-p99', 120)], 'fail'],
    ['no data is inconclusive, never a pass', [{ kind: 'no_data', check: 'error-rate', detail: 'no series' }, value('latency-p99', 120)], 'inconclusive'],
    ['a provider error is inconclusive', [{ kind: 'error', check: 'error-rate', detail: 'down' }, value('latency-p99', 120)], 'inconclusive'],
    ['a missing measurement is inconclusive', [value('latency-p99', 120)], 'inconclusive'],
    ['fail beats inconclusive', [{ kind: 'no_data', check: 'error-rate', detail: 'x' }, value('latency-p99', 950)], 'fail'],
    ['NaN fails', [value('error-rate', Number.NaN), value('latency-p99', 1)], 'fail'],
    ['+Inf fails', [value('error-rate', 0), value('latency-p99', Infinity)], 'fail'],
  ] as const)('%s', (_name, measurements, verdict) => {
    expect(assess([ERRORS, P99], [...measurements], {}, 1).verdict).toBe(verdict);
  });

  it('fails only after failureLimit failed evaluations in a row, and a pass resets the streak', () => {
    const bad = [value('error-rate', 0.05), value('latency-p99', 100)];
    const first = assess([ERRORS, P99], bad, {}, 3);
    expect([first.verdict, first.streaks['error-rate']]).toEqual(['failing', 1]);
    const second = assess([ERRORS, P99], bad, first.streaks, 3);
    expect([second.verdict, second.streaks['error-rate']]).toEqual(['failing', 2]);
    const reset = assess([ERRORS, P99], [value('error-rate', 0), value('latency-p99', 100)], second.streaks, 3);
    expect([reset.verdict, reset.streaks['error-rate']]).toEqual(['pass', 0]);
    const third = assess([ERRORS, P99], bad, { 'error-rate': 2 }, 3);
    expect(third.verdict).toBe('fail');
    expect(third.failed).toMatchObject({ check: 'error-rate', value: 0.05, threshold: 0.01, streak: 3 });
  });

  it('reports each check with its value and threshold', () => {
    const a = assess([ERRORS, P99], [value('error-rate', 0.08), { kind: 'no_data', check: 'latency-p99', detail: 'no series' }], {}, 1);
    expect(a.results).toEqual([
      { check: 'error-rate', status: 'fail', value: 0.08, threshold: 0.01, unit: 'ratio', streak: 1, detail: undefined },
      { check: 'latency-p99', status: 'inconclusive', threshold: 800, unit: 'ms', streak: 0, detail: 'no series' },
    ]);
  });
});
