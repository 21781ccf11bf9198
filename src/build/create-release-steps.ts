import type { Step, StepTable } from '../deploy/index.ts';
import { waitingOutRateLimits } from './build-state.ts';
import { BUILD_CHECK, BUILD_DISPATCH, createBuildSteps, type BuildStepsDeps, type NextStep } from './build-steps.ts';
import { createDeploymentSteps, GITHUB_DEPLOYMENT, GITHUB_DEPLOYMENT_STARTED, type DeploymentDeps } from './github-deployment.ts';
import { createReleaseNotesStep, RELEASE_NOTES, type ReleaseNotesDeps } from './release-notes-step.ts';

export interface ReleaseStepsDeps extends BuildStepsDeps {
  /** The step after the build: the rollout driver's first step (default `start`). */
  then?: string;
  /** GitHub Deployments for each deploy; omitted: none are created. */
  deployments?: Omit<DeploymentDeps, 'targetOf'>;
  /** Release notes on the card; omitted: none are read. */
  releaseNotes?: Omit<ReleaseNotesDeps, 'targetOf'>;
}

/** Every deploy enters the release steps here; the pipeline's gate goes to it instead of the driver's `start`. */
export const FIRST_RELEASE_STEP = BUILD_CHECK;

/**
 * The steps between the gate and the rollout, in order:
 *
 *   build_check → release_notes → github_deployment → github_deployment_started → [build_dispatch → build_find
 *   → build_follow, only when the image is missing] → `then`
 *
 * A missing tag, a failed build or a build that never starts ends the deploy before the rollout. Every step
 * waits out GitHub's rate limits as a delayed re-run of itself.
 */
export function createReleaseSteps(deps: ReleaseStepsDeps): StepTable {
  const then = deps.then ?? 'start';
  const order = [
    BUILD_CHECK,
    ...(deps.releaseNotes ? [RELEASE_NOTES] : []),
    ...(deps.deployments ? [GITHUB_DEPLOYMENT, GITHUB_DEPLOYMENT_STARTED] : []),
  ];
  const next: NextStep = (after, deploy, build) => {
    const i = order.indexOf(after);
    if (i >= 0 && i < order.length - 1) return order[i + 1] as string;
    if (i === order.length - 1) {
      const recorded = deploy.state.build as { needed?: boolean } | undefined;
      return (build.needed ?? recorded?.needed) ? BUILD_DISPATCH : then;
    }
    return then;
  };
  const steps = new Map<string, Step>([
    ...createBuildSteps(deps, next),
    ...(deps.releaseNotes ? createReleaseNotesStep({ ...deps.releaseNotes, targetOf: deps.targetOf }, next) : []),
    ...(deps.deployments ? createDeploymentSteps({ ...deps.deployments, targetOf: deps.targetOf }, next) : []),
  ]);
  return new Map([...steps].map(([name, step]) => [name, waitingOutRateLimits(step)]));
}
