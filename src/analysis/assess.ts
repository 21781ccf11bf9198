import type { CheckSpec, CheckUnit, Measurement } from './types.ts';

export type CheckStatus = 'pass' | 'fail' | 'inconclusive';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** Absent when there was no number to judge. */
  value?: number;
  threshold: number;
  unit: CheckUnit;
  /** Failed evaluations in a row, this one included. */
  streak: number;
  detail?: string;
}

/**
 * The overall verdict, worst first: `fail` (a check failed `failureLimit` times in a row), `inconclusive` (a check
 * had no data or could not be measured — never taken as success), `failing` (a check failed, but fewer times in a
 * row than the limit: measure again before deciding), `pass`.
 */
export type Verdict = 'fail' | 'inconclusive' | 'failing' | 'pass';

export interface Assessment {
  verdict: Verdict;
  results: CheckResult[];
  /** Failure streaks to carry into the next evaluation. */
  streaks: Record<string, number>;
  /** The check that decided a `fail` verdict. */
  failed?: CheckResult;
}

const ORDER: Verdict[] = ['pass', 'failing', 'inconclusive', 'fail'];

/**
 * Judges one round of measurements against the checks' limits. Pure: same input, same answer.
 * A value above `failAbove` fails (NaN and infinities included); a missing measurement is inconclusive.
 */
export function assess(checks: readonly CheckSpec[], measurements: readonly Measurement[], previous: Readonly<Record<string, number>>, failureLimit: number): Assessment {
  const streaks: Record<string, number> = {};
  const results: CheckResult[] = [];
  let verdict: Verdict = 'pass';
  let failed: CheckResult | undefined;
  const worsen = (v: Verdict): void => { if (ORDER.indexOf(v) > ORDER.indexOf(verdict)) verdict = v; };
  for (const check of checks) {
    const m = measurements.find((x) => x.check === check.name);
    const base = { check: check.name, threshold: check.failAbove, unit: check.unit };
    if (!m || m.kind !== 'value') {
      streaks[check.name] = previous[check.name] ?? 0;
      results.push({ ...base, status: 'inconclusive', streak: streaks[check.name] ?? 0, detail: m?.detail ?? 'not measured' });
      worsen('inconclusive');
      continue;
    }
    const bad = !(m.value <= check.failAbove);
    const streak = bad ? (previous[check.name] ?? 0) + 1 : 0;
    streaks[check.name] = streak;
    const result: CheckResult = { ...base, status: bad ? 'fail' : 'pass', value: m.value, streak, detail: m.detail };
    results.push(result);
    if (bad && streak >= failureLimit) { worsen('fail'); failed ??= result; }
    else if (bad) worsen('failing');
  }
  return { verdict, results, streaks, failed };
}
