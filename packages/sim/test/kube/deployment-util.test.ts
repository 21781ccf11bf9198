import { describe, expect, it } from 'vitest';
import {
  computeHash,
  equalIgnoreHash,
  newRSNewReplicas,
  planOldReplicaSetScaleDown,
  resolveFenceposts,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  setNewReplicaSetAnnotations,
} from '../../src/kube/controllers/deployment-util.ts';
import type { Deployment, IntOrString, ReplicaSet } from '../../src/kube/kube-types.ts';

function deployment(replicas: number, maxSurge: IntOrString = '25%', maxUnavailable: IntOrString = '25%', annotations: Record<string, string> = {}): Deployment {
  return {
    metadata: { name: 'api', namespace: 'shop', annotations },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'api' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:v2' }] } },
    },
  };
}

function rs(name: string, replicas: number, available: number, created: string, revision?: number): ReplicaSet {
  return {
    metadata: { name, namespace: 'shop', creationTimestamp: created, annotations: revision === undefined ? {} : { [REVISION_ANNOTATION]: String(revision) } },
    spec: { replicas, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:v1' }] } } },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}

describe('resolveFenceposts', () => {
  it.each([
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 1, 1, 0],
    ['25%', '25%', 10, 3, 2],
    [0, 0, 5, 0, 1],
    [2, '50%', 5, 2, 2],
    ['100%', 0, 3, 3, 0],
  ] as Array<[IntOrString, IntOrString, number, number, number]>)('surge %s unavailable %s of %i → (%i, %i)', (surge, unavailable, desired, expectSurge, expectUnavailable) => {
    expect(resolveFenceposts(surge, unavailable, desired)).toEqual([expectSurge, expectUnavailable]);
  });
});

describe('newRSNewReplicas', () => {
  it('grows the new RS only up to replicas + maxSurge in total', () => {
    const d = deployment(4);
    const old = rs('api-old', 4, 4, '2026-01-01T00:00:00Z');
    const fresh = rs('api-new', 0, 0, '2026-01-01T00:01:00Z');
    expect(newRSNewReplicas(d, [old, fresh], fresh)).toBe(1);
    const grown = rs('api-new', 1, 1, '2026-01-01T00:01:00Z');
    const shrunk = rs('api-old', 3, 3, '2026-01-01T00:00:00Z');
    expect(newRSNewReplicas(d, [shrunk, grown], grown)).toBe(2);
    expect(newRSNewReplicas(d, [old, grown], grown)).toBe(1);
  });

  it('never exceeds the desired replicas', () => {
    const d = deployment(2, '100%', 0);
    const fresh = rs('api-new', 0, 0, '2026-01-01T00:01:00Z');
    expect(newRSNewReplicas(d, [rs('api-old', 2, 2, '2026-01-01T00:00:00Z'), fresh], fresh)).toBe(2);
  });
});

describe('planOldReplicaSetScaleDown', () => {
  it('scales old down only as far as availability allows (maxUnavailable 0)', () => {
    const d = deployment(3, 1, 0);
    const old = rs('api-old', 3, 3, '2026-01-01T00:00:00Z');
    expect(planOldReplicaSetScaleDown(d, [old], rs('api-new', 1, 0, '2026-01-01T00:01:00Z')).size).toBe(0);
    expect(planOldReplicaSetScaleDown(d, [old], rs('api-new', 1, 1, '2026-01-01T00:01:00Z')).get('api-old')).toBe(2);
  });

  it('drops unhealthy old pods first, then the oldest RS', () => {
    const d = deployment(4, 1, 1);
    const oldest = rs('api-a', 2, 1, '2026-01-01T00:00:00Z');
    const older = rs('api-b', 2, 2, '2026-01-01T00:00:30Z');
    const plan = planOldReplicaSetScaleDown(d, [older, oldest], rs('api-new', 1, 1, '2026-01-01T00:01:00Z'));
    expect(plan.get('api-a')).toBe(0);
    expect(plan.has('api-b')).toBe(false);
  });
});

describe('setNewReplicaSetAnnotations', () => {
  it('stamps a new RS with the revision, desired and max replicas and copies change-cause', () => {
    const d = deployment(4, '25%', '25%', { 'kubernetes.io/change-cause': 'deploy v2', [REVISION_ANNOTATION]: '1' });
    const fresh = rs('api-new', 0, 0, '2026-01-01T00:01:00Z');
    expect(setNewReplicaSetAnnotations(d, fresh, 2, false)).toBe(true);
    expect(fresh.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'deploy v2',
      [REVISION_ANNOTATION]: '2',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  it('bumps a reused RS (rollback) to the new revision and remembers the old one', () => {
    const reused = rs('api-v1', 0, 0, '2026-01-01T00:00:00Z', 1);
    expect(setNewReplicaSetAnnotations(deployment(4), reused, 3, true)).toBe(true);
    expect(reused.metadata.annotations?.[REVISION_ANNOTATION]).toBe('3');
    expect(reused.metadata.annotations?.[REVISION_HISTORY_ANNOTATION]).toBe('1');
  });

  it('leaves a current RS alone', () => {
    const current = rs('api-v2', 4, 4, '2026-01-01T00:00:00Z', 2);
    expect(setNewReplicaSetAnnotations(deployment(4), current, 2, true)).toBe(false);
  });
});

describe('computeHash / equalIgnoreHash', () => {
  const template = { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:v1' }] } };
  it('is stable, ignores the pod-template-hash label and changes with the template', () => {
    const hash = computeHash(template);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(computeHash({ ...template, metadata: { labels: { app: 'api', 'pod-template-hash': hash } } })).toBe(hash);
    expect(computeHash({ ...template, spec: { containers: [{ name: 'api', image: 'api:v2' }] } })).not.toBe(hash);
    expect(computeHash(template, 1)).not.toBe(hash);
    // kubectl rollout undo sends the template with `creationTimestamp: null` (Go's zero metav1.Time).
    expect(computeHash({ ...template, metadata: { ...template.metadata, creationTimestamp: null as unknown as string } })).toBe(hash);
  });

  it('compares templates apart from the hash label', () => {
    expect(equalIgnoreHash(template, { ...template, metadata: { labels: { app: 'api', 'pod-template-hash': 'abc' } } })).toBe(true);
    expect(equalIgnoreHash(template, { ...template, spec: { containers: [{ name: 'api', image: 'api:v2' }] } })).toBe(false);
  });
});
