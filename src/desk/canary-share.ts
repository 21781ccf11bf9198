import { chat, type ChatText } from '../deploy/index.ts';
import type { DeskDeps } from './desk.ts';

/**
 * The canary's real share when traffic follows the replica ratio behind one Service: `canaryPods` new pods beside
 * `stablePods` old ones, as rollout/traffic/replica-router's `planReplicas` sizes them (the desk does not import
 * rollout/; test/desk/canary-share.test.ts holds the two to the same numbers).
 */
export function replicaRatioShare(replicas: number, percent: number): { canaryPods: number; stablePods: number; actual: number } {
  if (percent >= 100) return { canaryPods: replicas, stablePods: 0, actual: 100 };
  const canaryPods = Math.max(1, Math.min(replicas - 1, Math.round((replicas * percent) / 100)));
  const stablePods = Math.max(1, replicas - canaryPods);
  return { canaryPods, stablePods, actual: Math.round((canaryPods / (canaryPods + stablePods)) * 100) };
}

/** The environment's size: what the cluster runs now (what the canary will split), else what the config says. */
async function replicasOf(deps: DeskDeps, service: string, env: string): Promise<number | undefined> {
  const target = deps.services.get(service)?.environments[env];
  if (!target) return undefined;
  try {
    return (await deps.kube.readDeployment(target.namespace, target.deployment)).desired;
  } catch {
    return target.replicas;
  }
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Said when a canary is requested: with a replica ratio, a small service cannot give the canary the share asked
 * for (one pod of two is half the traffic). Undefined when the share is what was asked, or the service's traffic
 * is split by exact route weights.
 */
export async function canaryShareWarning(deps: DeskDeps, service: string, env: string, percent: number): Promise<ChatText | undefined> {
  const svc = deps.services.get(service);
  if ((svc?.canaryTraffic ?? 'replicas') !== 'replicas') return undefined;
  // Argo Rollouts' own steps decide a Rollout's weights; Argo CD's manifests decide a GitOps environment's.
  if ((svc?.environments[env]?.delivery ?? 'kubernetes') !== 'kubernetes') return undefined;
  const replicas = await replicasOf(deps, service, env);
  if (replicas === undefined || replicas < 1) return undefined;
  const share = replicaRatioShare(replicas, percent);
  if (share.actual === percent) return undefined;
  return chat`⚠️ ${service} has ${plural(replicas, 'replica', 'replicas')} in ${env}, so a canary by replica ratio gets ${share.actual}% of traffic at its first step, not ${percent}% (${plural(share.canaryPods, 'canary pod', 'canary pods')} beside ${plural(share.stablePods, 'stable pod', 'stable pods')}). For exact weights, give ${service} an HTTPRoute router (canary: { traffic: { kind: httproute, route: <route> } } in deckhand.yaml).`;
}
