import { isEndPhase, type Deploy } from '../deploy/index.ts';
import { buildStateOf } from './build-state.ts';

/**
 * A verified `workflow_run` delivery as the build station reads it: only which run changed. Its claimed status and
 * conclusion are not carried at all, so no code here can act on them.
 */
export interface WorkflowRunNotice {
  runId: number;
}

/** Whether `deploy` is following build run `runId` (the webhook's way to find the deploy it concerns). */
export function isFollowingRun(deploy: Deploy, runId: number): boolean {
  return !isEndPhase(deploy.phase) && buildStateOf(deploy).runId === runId;
}

/**
 * The deploy with "GitHub says this run changed" recorded, for `records.update`: its next poll reads the run
 * itself (not its jobs), so once woken the `build_follow` step learns the outcome from the API. Undefined (no
 * change) when the deploy does not follow that run, has ended, or already reads the run next. Recording it twice
 * is the same as once.
 */
export function recordWorkflowRun(deploy: Deploy, notice: WorkflowRunNotice): Deploy | undefined {
  if (!isFollowingRun(deploy, notice.runId)) return undefined;
  const build = buildStateOf(deploy);
  if (build.nextPoll === 'run') return undefined;
  return { ...deploy, state: { ...deploy.state, build: { ...build, nextPoll: 'run' } } };
}
