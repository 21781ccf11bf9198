import type { Config } from '../config/index.ts';
import type { SeedDeployment } from '@deckhand/sim/kube';

/** The simulated cluster's starting state: each sandbox service in each environment, fully rolled out. */
export function seedFromConfig(config: Config): { seed: SeedDeployment[]; faulty: Set<string> } {
  const seed: SeedDeployment[] = [];
  const faulty = new Set<string>();
  for (const [name, sim] of Object.entries(config.sandbox?.services ?? {})) {
    const svc = config.services[name];
    if (!svc) continue;
    for (const v of sim.faulty) faulty.add(`${svc.image}:${v}`);
    for (const env of Object.values(svc.environments)) {
      // Argo CD creates a GitOps environment's workload from the config repository; a Rollout is no Deployment.
      if (env.delivery.kind !== 'kubernetes') continue;
      seed.push({
        namespace: env.namespace, name: env.deployment, container: env.container, image: `${svc.image}:${sim.running}`,
        replicas: env.replicas, progressDeadlineSeconds: config.sandbox?.progressDeadlineSeconds ?? env.progressDeadlineSeconds,
        labels: { app: env.deployment },
      });
    }
  }
  return { seed, faulty };
}
