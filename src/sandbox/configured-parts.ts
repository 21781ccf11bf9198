import type { Config } from '../config/index.ts';
import type { SandboxParts } from './start-sandbox-parts.ts';

/**
 * Whether the sandbox has anything to start: a redis-server when no REDIS_URL is set, the simulated cluster (and with
 * it the simulated Prometheus, GitHub, GitLab and Discord) when there is neither a KUBECONFIG nor a service account.
 */
export function needsSandboxParts(config: Config): boolean {
  const rt = config.runtime;
  return !rt.redisUrl || (!rt.kubeconfig && !rt.inCluster);
}

/**
 * The parts when everything is configured (production): nothing started, the banner says where each part is. It
 * loads none of the simulators, so a production process never pays for them.
 */
export function configuredParts(config: Config): SandboxParts {
  const rt = config.runtime;
  const lines = [
    'redis: REDIS_URL',
    rt.kubeconfig ? `cluster: ${rt.kubeconfig}` : 'cluster: the one Deckhand runs in (service account)',
    ...(rt.prometheusUrl ? ['prometheus: PROMETHEUS_URL'] : []),
    ...(rt.github.token !== undefined || rt.github.apiUrl !== undefined ? [`github: ${rt.github.apiUrl ?? 'api.github.com'}`] : []),
    ...(rt.gitlab ? [`gitlab: ${rt.gitlab.url ?? 'gitlab.com'}`] : []),
  ];
  return { config, deckhand: {}, describe: () => lines, close: async () => {} };
}
