import { describe, expect, it } from 'vitest';
import type { ArgoApplication } from '../../src/kube/index.ts';
import { describeApplication, judgeSync } from '../../src/rollout/gitops/judge-sync.ts';

const C = 'c0ffee1234567890c0ffee1234567890c0ffee12';
const OLD = '0ld0000000000000000000000000000000000000';

function app(over: Partial<ArgoApplication>): ArgoApplication {
  return { namespace: 'argocd', name: 'api-production', conditions: [], ...over };
}

describe('judgeSync: what Argo CD reports, judged', () => {
  it.each([
    ['Synced and Healthy at the change', app({ syncStatus: 'Synced', syncRevision: C, healthStatus: 'Healthy', operation: { phase: 'Succeeded', revision: C } }), true, 'succeeded'],
    ['OutOfSync at the change (auto-sync not started yet)', app({ syncStatus: 'OutOfSync', syncRevision: C, healthStatus: 'Healthy' }), true, 'waiting'],
    ['Synced but still Progressing', app({ syncStatus: 'Synced', syncRevision: C, healthStatus: 'Progressing' }), true, 'waiting'],
    ['Missing resources', app({ syncStatus: 'OutOfSync', syncRevision: C, healthStatus: 'Missing' }), true, 'waiting'],
    ['Synced and Healthy, sync hooks still Running', app({ syncStatus: 'Synced', syncRevision: C, healthStatus: 'Healthy', operation: { phase: 'Running', revision: C } }), true, 'waiting'],
    ['Synced and Healthy at an older revision', app({ syncStatus: 'Synced', syncRevision: OLD, healthStatus: 'Healthy' }), false, 'waiting'],
    ['Degraded at an older revision (not ours to judge)', app({ syncStatus: 'Synced', syncRevision: OLD, healthStatus: 'Degraded' }), false, 'waiting'],
    ['a failed sync of an older revision', app({ syncStatus: 'OutOfSync', syncRevision: C, healthStatus: 'Healthy', operation: { phase: 'Failed', revision: OLD } }), true, 'waiting'],
  ] as const)('%s → %s', (_what, a, reached, kind) => {
    expect(judgeSync(a, reached).kind).toBe(kind);
  });

  it.each([
    [app({ syncStatus: 'OutOfSync', syncRevision: C, healthStatus: 'Healthy', operation: { phase: 'Failed', revision: C, message: 'one or more objects failed to apply' } }), /the sync failed: one or more objects failed to apply/],
    [app({ syncStatus: 'OutOfSync', syncRevision: C, healthStatus: 'Healthy', operation: { phase: 'Error', revision: C, message: 'hook failed' } }), /the sync errored: hook failed/],
    [app({ syncStatus: 'Synced', syncRevision: C, healthStatus: 'Degraded', healthMessage: 'Deployment "api" exceeded its progress deadline' }), /Degraded: Deployment "api" exceeded its progress deadline/],
    [app({ syncStatus: 'Unknown', syncRevision: C, conditions: [{ type: 'ComparisonError', message: 'rpc error: kustomize build failed' }] }), /ComparisonError: rpc error: kustomize build failed/],
  ])('fails the change when Argo CD says it failed (%#)', (a, reason) => {
    const v = judgeSync(a, true);
    expect(v.kind).toBe('failed');
    if (v.kind === 'failed') expect(v.reason).toMatch(reason);
  });

  it('a condition left from before the change (a failed sync of a person\'s commit) waits for Argo CD to look again', () => {
    const written = Date.parse('2026-12-07T05:00:10Z');
    const syncError = [{ type: 'SyncError', message: `Failed sync attempt to ${OLD}: one or more objects failed to apply` }];
    const before = app({ syncStatus: 'OutOfSync', syncRevision: OLD, healthStatus: 'Degraded', conditions: syncError, reconciledAt: '2026-12-07T05:00:09Z' });
    expect(judgeSync(before, false, written).kind).toBe('waiting');
    // Compared again since the commit, and still blocked: now it is about the change.
    const after = { ...before, reconciledAt: '2026-12-07T05:00:12Z' };
    expect(judgeSync(after, false, written)).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^Argo CD reports SyncError: Failed sync attempt/) });
    // At the change's own revision a condition is always about it.
    expect(judgeSync(before, true, written).kind).toBe('failed');
  });

  it('describes the Application in Argo CD\'s words for the card', () => {
    expect(describeApplication(app({ syncStatus: 'Synced', syncRevision: C, healthStatus: 'Degraded', healthMessage: 'not ready', operation: { phase: 'Succeeded', revision: C, message: 'successfully synced' } })))
      .toBe('Synced at c0ffee1 · Degraded (not ready) · sync Succeeded at c0ffee1: successfully synced');
  });
});
