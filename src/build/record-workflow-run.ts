import { isEndPhase, type Deploy } from '../deploy/index.ts';
import { buildStateOf } from './build-state.ts';

/** A verified `workflow_run` delivery, as src/github's verifier reads it. */
export interface WorkflowRunNotice {
  runId: number;
  status: string;
  conclusion: string | null;
  htmlUrl: string;
}

/** Whether `deploy` is following build run `runId` (the webhook's way to find the deploy it concerns). */
export function isFollowingRun(deploy: Deploy, runId: number): boolean {
  return !isEndPhase(deploy.phase) && buildStateOf(deploy).runId === runId;
}

/**
 * The deploy with a completed run recorded, for `records.update`; undefined (no change) when the deploy does
 * not follow that run, has ended, or the run is not completed yet. After recording, enqueue the deploy's run job
 * at once: `build_follow` then concludes from the record without asking GitHub.
 */
export function recordWorkflowRun(deploy: Deploy, notice: WorkflowRunNotice): Deploy | undefined {
  if (!isFollowingRun(deploy, notice.runId) || notice.status !== 'completed') return undefined;
  const build = buildStateOf(deploy);
  if (build.webhook?.status === 'completed') return undefined;
  return {
    ...deploy,
    state: { ...deploy.state, build: { ...build, webhook: { status: notice.status, conclusion: notice.conclusion, htmlUrl: notice.htmlUrl } } },
  };
}
