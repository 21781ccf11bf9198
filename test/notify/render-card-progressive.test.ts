import { describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/deploy/index.ts';
import { renderCard } from '../../src/notify/index.ts';

function canary(over: Partial<Deploy> = {}): Deploy {
  return {
    id: '7', service: 'api', env: 'staging', channel: 'c', phase: 'rolling_out', step: 'hold', steering: {}, state: {}, approvals: [],
    action: { kind: 'deploy', version: 'v1.5.2', strategy: { kind: 'canary', percent: 5 } },
    requestedBy: { id: 'alice', name: 'alice', platform: 'console', groups: [] }, createdAt: '', updatedAt: '', ...over,
  };
}

describe('deploy card for progressive deploys', () => {
  it('shows each analysis check with value, threshold and judgement', () => {
    const card = renderCard(canary(), {
      analysis: {
        label: 'step 1/4 (5%)', verdict: 'fail', checks: [
          { check: 'error-rate', status: 'fail', value: 0.08, threshold: 0.01, unit: 'ratio' },
          { check: 'latency-p99', status: 'pass', value: 182.4, threshold: 800, unit: 'ms' },
          { check: 'probe /healthz', status: 'inconclusive', threshold: 0, unit: 'count' },
        ],
      },
    });
    expect(card.lines.map(String)).toContain('Analysis step 1/4 (5%): ❌ error-rate 8% > 1% · ✅ latency-p99 182 ms ≤ 800 ms · ❔ probe /healthz no data vs 0');
  });

  it('shows what the pods answered for a probe, and why a metric had no data', () => {
    const card = renderCard(canary(), {
      analysis: {
        label: 'step 2/4 (25%)', verdict: 'fail', checks: [
          { check: 'error-rate', status: 'inconclusive', threshold: 0.01, unit: 'ratio', detail: 'no series for api v1.5.2 yet' },
          { check: 'probe /healthz', status: 'fail', value: 1, threshold: 0, unit: 'count', detail: 'api-canary-7f-x2 answered 503' },
          { check: 'probe /ready', status: 'pass', value: 0, threshold: 0, unit: 'count', detail: '2 pod(s) answered 200' },
        ],
      },
    });
    expect(card.lines.map(String)).toContain('Analysis step 2/4 (25%): ❔ error-rate no data vs 1% (no series for api v1.5.2 yet) · ❌ probe /healthz: api-canary-7f-x2 answered 503 · ✅ probe /ready: 2 pod(s) answered 200');
  });

  it.each([
    ['running', {}, {}, 'hold', ['Promote', 'Pause', 'Abort']],
    ['paused', {}, { paused: true }, 'hold', ['Promote', 'Resume', 'Abort']],
    ['inconclusive', { pausedInconclusive: true }, {}, 'hold', ['Promote', 'Abort']],
  ])('buttons while %s', (_name, state, steering, step, labels) => {
    expect(renderCard(canary({ state, steering, step })).actions.map((a) => a.label)).toEqual(labels);
  });

  it('blue-green in its keep window offers Promote and Roll back', () => {
    const d = canary({ step: 'keep', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'bluegreen' } } });
    expect(renderCard(d).actions.map((a) => a.label)).toEqual(['Promote', 'Roll back']);
  });

  it('a watched deploy offers End watch and Roll back, whose confirmation says how the roll back is done', () => {
    const watching = canary({ phase: 'watching', step: 'soak', action: { kind: 'deploy', version: 'v1.5.0', strategy: { kind: 'rolling' } } });
    expect(renderCard(watching).actions.map((a) => [a.label, a.confirm])).toEqual([['End watch', undefined], ['Roll back', expect.stringMatching(/^Switch api in staging back to .* \(still running\) now\?$/)]]);
    const gitops = renderCard({ ...watching, delivery: 'gitops' }).actions.find((a) => a.id === 'abort');
    expect(gitops?.confirm).toMatch(/^Revert api in staging to .* \(a revert commit Argo CD syncs\)\?$/);
  });
});
