/**
 * Part of the composition root (main.ts): the drivers of the engines Deckhand fronts instead of running the rollout
 * itself — GitOps through Argo CD, and Argo Rollouts. Each runs the deploys and the rollbacks of the environments
 * whose `delivery` names it.
 */
import type { ArgoRolloutsDelivery, Config } from '../config/index.ts';
import type { Deploy, WorkloadTarget } from '../deploy/index.ts';
import { DeckhandError } from '../errors.ts';
import type { ConfigRepository } from '../github/index.ts';
import type { ArgoCdClient, ArgoRolloutsClient } from '../kube/index.ts';
import { createArgoRolloutsDriver, createGitOpsDriver, type PathLocks, type ProgressiveDeps, type RolloutDriver } from '../rollout/index.ts';

export interface EngineDriverOptions {
  config: Config;
  targetOf(d: Deploy): WorkloadTarget;
  /** GitOps: the config repository (GitHub), the Application's status (Argo CD), one deploy per file at a time. */
  repository: ConfigRepository;
  argocd: ArgoCdClient;
  pathLocks: PathLocks;
  /** True when the deploy has ended (or is gone): a path lock it holds may be taken over. */
  isDeployOver(id: string): Promise<boolean>;
  rollouts: ArgoRolloutsClient;
  /** Settings and analysis for the watch after a synced GitOps deploy (`soak:`). */
  watch?: ProgressiveDeps;
  /** How often an engine's progress is read while a step waits (tests shorten it). */
  pollMs?: number;
}

export function createEngineDrivers(o: EngineDriverOptions): [string, RolloutDriver][] {
  const deliveryOf = (d: Deploy) => o.config.services[d.service]?.environments[d.env]?.delivery;
  const argoDeliveryOf = (d: Deploy): ArgoRolloutsDelivery => {
    const delivery = deliveryOf(d);
    if (delivery?.kind !== 'argo-rollouts') throw new DeckhandError('deploy_invalid_state', `${d.service} in ${d.env} is not delivered by Argo Rollouts in this Deckhand's config.`);
    return delivery;
  };
  return [
    ['gitops', createGitOpsDriver({ repository: o.repository, argocd: o.argocd, pathLocks: o.pathLocks, targetOf: o.targetOf, deliveryOf, isDeployOver: o.isDeployOver, pollMs: o.pollMs, watch: o.watch })],
    ['argo-rollouts', createArgoRolloutsDriver({ rollouts: o.rollouts, targetOf: o.targetOf, deliveryOf: argoDeliveryOf, pollMs: o.pollMs })],
  ];
}
