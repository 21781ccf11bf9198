import { compareVersions, isEndPhase, isPrerelease, versionOfImage, type Deploy } from '../deploy/index.ts';
import { isDeckhandError } from '../errors.ts';
import type { PolicyInput } from '../policy/index.ts';
import type { DeskDeps } from './desk.ts';

/**
 * The version `env` runs now, read from its workload (the container's image tag); null when the workload is not
 * there yet (a first deploy) or the environment is not in this Deckhand's catalog. Any other failure to read it is
 * a fault and is thrown: the policy is not asked to judge version order blind.
 */
export async function runningVersion(deps: Pick<DeskDeps, 'services' | 'kube' | 'rollouts'>, service: string, env: string): Promise<string | null> {
  const target = deps.services.get(service)?.environments[env];
  if (!target) return null;
  try {
    const image = target.rollout && deps.rollouts
      ? (await deps.rollouts.getRollout(target.namespace, target.rollout)).images[target.container]
      : (await deps.kube.readDeployment(target.namespace, target.deployment)).images[target.container];
    return image ? versionOfImage(image) : null;
  } catch (err) {
    if (isDeckhandError(err, 'kube_not_found')) return null;
    throw err;
  }
}

/**
 * What another deploy in flight in the environment started from (its drivers record `fromImage` as they begin):
 * while it rolls out, the workload's spec already names the new version, but what the environment settled on is
 * still the one it replaces, and that is what a request is ordered against.
 */
async function settledBeforeInFlight(deps: Pick<DeskDeps, 'locks' | 'deploys'>, d: Deploy): Promise<string | undefined> {
  const holder = await deps.locks.get(d.service, d.env);
  if (holder?.kind !== 'deploy' || holder.deployId === d.id) return undefined;
  const inFlight = await deps.deploys.get(holder.deployId);
  const from = inFlight && !isEndPhase(inFlight.phase) ? inFlight.state.fromImage : undefined;
  return typeof from === 'string' && from !== '' ? versionOfImage(from) : undefined;
}

/**
 * `input.versions` for a deploy or rollback: what runs, what is asked for, and how they compare by SemVer. A
 * rollback without a version ("the previous one") has `requested: null` and compares `unknown`.
 */
export async function versionFacts(deps: Pick<DeskDeps, 'services' | 'kube' | 'locks' | 'deploys'>, d: Deploy): Promise<NonNullable<PolicyInput['versions']>> {
  const requested = d.action.kind === 'deploy' ? d.action.version : d.action.toVersion ?? null;
  const running = (await settledBeforeInFlight(deps, d)) ?? await runningVersion(deps, d.service, d.env);
  return {
    running,
    requested,
    comparison: compareVersions(running ?? undefined, requested ?? undefined),
    prerelease: requested !== null && isPrerelease(requested),
  };
}
