import type { Config } from '../config/index.ts';
import type { DeskService } from './desk.ts';

/** The catalog as the desk sees it: service → environment → where it runs (the image repository included). */
export function servicesFromConfig(config: Pick<Config, 'services'>): Map<string, DeskService> {
  const out = new Map<string, DeskService>();
  for (const [name, s] of Object.entries(config.services)) {
    const environments: DeskService['environments'] = {};
    for (const [env, e] of Object.entries(s.environments)) {
      environments[env] = { namespace: e.namespace, deployment: e.deployment, container: e.container, image: s.image, replicas: e.replicas, ...(e.requires && { requires: e.requires }), delivery: e.delivery.kind, ...(e.delivery.kind === 'argo-rollouts' && { rollout: e.delivery.rollout ?? e.deployment }) };
    }
    out.set(name, { name, team: s.team, environments, canaryTraffic: s.canary.traffic.kind });
  }
  return out;
}
