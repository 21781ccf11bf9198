import type { ApiTarget } from './metrics.ts';

/** Which outside system a coded error came from, for the API-errors metric; undefined for Deckhand's own errors. */
export function apiTargetOf(code: string): ApiTarget | undefined {
  if (code.startsWith('kube_') || code.startsWith('rollout_')) return 'kubernetes';
  if (code.startsWith('github_') || code.startsWith('build_')) return 'github';
  if (code.startsWith('gitlab_')) return 'gitlab';
  if (code === 'registry_error') return 'registry';
  if (code === 'store_unavailable') return 'redis';
  if (code.startsWith('policy_')) return 'policy';
  return undefined;
}
