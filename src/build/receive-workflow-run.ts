import type { DeployRecords } from '../deploy/index.ts';
import { isFollowingRun, recordWorkflowRun, type WorkflowRunNotice } from './record-workflow-run.ts';

/** What src/github's webhook verifier answers, as this station reads it. */
export type WorkflowRunVerdict =
  | { kind: 'rejected'; reason: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'workflow_run'; update: WorkflowRunNotice & { repository: string } };

export interface WorkflowRunIngressDeps {
  /** Signature check and parsing (createWorkflowRunWebhookVerifier from src/github). */
  verify(headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): Promise<WorkflowRunVerdict>;
  /** Ids of the deploys in flight for services built from `repository` (e.g. from the deploy locks). */
  inFlightFor(repository: string): Promise<string[]>;
  records: DeployRecords;
  /** Runs the deploy's job now instead of at its next poll (promote its delayed job). */
  wake(deployId: string): Promise<void>;
}

export interface WorkflowRunReceipt {
  /** The HTTP status to answer GitHub with: 401 for a bad signature (nothing else happens), else 202. */
  status: 401 | 202;
  /** Deploys following the run named by the delivery, which were woken to look at it. */
  woken: string[];
  reason?: string;
}

/**
 * A `workflow_run` webhook delivery, end to end: verify the signature (a bad one changes nothing), then wake each
 * deploy following the run it names. Webhooks are claims, not facts: the delivery decides only *when* the deploy
 * looks again; its `build_follow` step then reads the run's status and conclusion from the GitHub API, so a signed
 * "success" for a run that failed changes nothing but the moment of that read. The step's own spacing keeps a flood
 * of deliveries to at most one API request per poll interval. Deliveries for runs no deploy follows are
 * acknowledged and dropped.
 */
export async function receiveWorkflowRun(deps: WorkflowRunIngressDeps, headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): Promise<WorkflowRunReceipt> {
  const verdict = await deps.verify(headers, rawBody);
  if (verdict.kind === 'rejected') return { status: 401, woken: [], reason: verdict.reason };
  if (verdict.kind === 'ignored') return { status: 202, woken: [], reason: verdict.reason };
  const woken: string[] = [];
  for (const id of await deps.inFlightFor(verdict.update.repository)) {
    let following = false;
    await deps.records.update(id, (d) => {
      following = isFollowingRun(d, verdict.update.runId);
      return following ? recordWorkflowRun(d, verdict.update) : undefined;
    });
    if (following) {
      await deps.wake(id);
      woken.push(id);
    }
  }
  return { status: 202, woken };
}
