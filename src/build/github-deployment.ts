import type { Deploy, Step } from '../deploy/index.ts';
import { toDeckhandError } from '../errors.ts';
import { forgeOrFail, repoRefOf, type BuildTarget, type DeploymentsForge, type ForgeChoice } from './ports.ts';
import { isRateLimited } from './build-state.ts';
import type { NextStep } from './build-steps.ts';

/** The deployment is recorded on the service's forge: a GitHub deployment, or a GitLab one of the environment. */
export interface DeploymentDeps extends ForgeChoice<DeploymentsForge> {
  targetOf(deploy: Deploy): BuildTarget;
  /** The deploy's chat card; GitHub shows it as the deployment's log and environment link. */
  cardUrl(deploy: Deploy): string | undefined | Promise<string | undefined>;
}

export const GITHUB_DEPLOYMENT = 'github_deployment';
export const GITHUB_DEPLOYMENT_STARTED = 'github_deployment_started';

/** Recorded under `deploy.state.githubDeployment`. */
export interface DeploymentRecord {
  id: number;
  /** The last status Deckhand set, so the end report is not sent twice. */
  state?: string;
}

export function deploymentRecordOf(d: Deploy): DeploymentRecord | undefined {
  const r = d.state.githubDeployment;
  return typeof r === 'object' && r !== null && typeof (r as DeploymentRecord).id === 'number' ? r as DeploymentRecord : undefined;
}

const versionOf = (d: Deploy): string | undefined => (d.action.kind === 'deploy' ? d.action.version : d.action.toVersion);

const links = async (deps: DeploymentDeps, d: Deploy): Promise<{ logUrl?: string; environmentUrl?: string }> => {
  const url = await deps.cardUrl(d);
  return url === undefined ? {} : { logUrl: url, environmentUrl: url };
};

/**
 * Two steps, one write each: create the GitHub deployment for the version and environment (found again by its
 * payload if a crash came between the write and its record), then mark it in progress with a link to the card.
 */
export function createDeploymentSteps(deps: DeploymentDeps, next: NextStep): Map<string, Step> {
  const create: Step = async (ctx) => {
    const d = ctx.deploy;
    const version = versionOf(d);
    const after = next(GITHUB_DEPLOYMENT, d, {});
    if (deploymentRecordOf(d) || version === undefined) return { kind: 'next', step: after };
    const t = deps.targetOf(d);
    const repo = repoRefOf(t.repository);
    try {
      const forge = forgeOrFail(deps, t);
      const mine = (await forge.listDeployments(repo, { environment: d.env, ref: version }))
        .find((g) => g.payload.deckhandDeployId === d.id);
      const created = mine ?? await forge.createDeployment(repo, {
        ref: version, environment: d.env,
        description: `Deckhand #${d.id}: ${d.service} ${version} to ${d.env}, asked by ${d.requestedBy.name}`,
        payload: { deckhandDeployId: d.id, service: d.service, requestedBy: d.requestedBy.name },
        productionEnvironment: d.env === 'production',
      });
      return { kind: 'next', step: GITHUB_DEPLOYMENT_STARTED, state: { githubDeployment: { id: created.id } } };
    } catch (err) {
      // The record on GitHub is a courtesy: a deploy is not held back because GitHub refused it (a rollback to
      // an untagged version, a token without the deployments permission). Rate limits are waited out instead.
      if (isRateLimited(err)) throw err;
      ctx.emit({ kind: 'note', deploy: d, message: `Not recorded as a GitHub deployment: ${toDeckhandError(err).userMessage}` });
      return { kind: 'next', step: after };
    }
  };

  const started: Step = async (ctx) => {
    const d = ctx.deploy;
    const rec = deploymentRecordOf(d);
    const after = next(GITHUB_DEPLOYMENT_STARTED, d, {});
    if (!rec || rec.state !== undefined) return { kind: 'next', step: after };
    const t = deps.targetOf(d);
    await forgeOrFail(deps, t).createDeploymentStatus(repoRefOf(t.repository), rec.id, { state: 'in_progress', description: `Deckhand #${d.id} is deploying`, ...await links(deps, d) });
    return { kind: 'next', step: after, state: { githubDeployment: { ...rec, state: 'in_progress' } } };
  };

  return new Map<string, Step>([[GITHUB_DEPLOYMENT, create], [GITHUB_DEPLOYMENT_STARTED, started]]);
}

/**
 * The final status of the deploy's GitHub deployment, for the pipeline's end hook: `success` when it succeeded
 * (GitHub then marks the environment's previous deployment `inactive`: auto_inactive), `failure` otherwise
 * (failed, rolled back, aborted), with the summary as description. Returns the state set, or undefined when the
 * deploy has no GitHub deployment or it was already reported.
 */
export async function reportDeploymentOutcome(deps: DeploymentDeps, d: Deploy): Promise<'success' | 'failure' | undefined> {
  const rec = deploymentRecordOf(d);
  if (!rec || rec.state === 'success' || rec.state === 'failure') return undefined;
  const state = d.phase === 'succeeded' ? 'success' : 'failure';
  const t = deps.targetOf(d);
  await forgeOrFail(deps, t).createDeploymentStatus(repoRefOf(t.repository), rec.id, {
    state, description: d.summary ?? (state === 'success' ? 'Deployed' : `Deploy ${d.phase.replace('_', ' ')}`), ...await links(deps, d),
  });
  return state;
}
