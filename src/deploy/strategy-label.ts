import type { Deploy } from './schema.ts';

/**
 * How a deploy rolls out, in a card's or a list's words: `canary 5%`, `bluegreen`, `rolling` — or the engine's
 * name where the engine runs its own strategy (Argo CD's manifests, the Rollout's steps).
 */
export function strategyLabel(d: Pick<Deploy, 'action' | 'delivery'>): string {
  if (d.action.kind === 'rollback') return 'rollback';
  if (d.delivery === 'gitops') return 'GitOps, Argo CD';
  if (d.delivery === 'argo-rollouts') return 'Argo Rollouts';
  const s = d.action.strategy;
  return s.kind === 'canary' ? `canary ${s.percent}%` : s.kind;
}
