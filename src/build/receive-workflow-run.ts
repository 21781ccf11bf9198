import type { DeployRecords } from '../deploy/index.ts';
import { recordWorkflowRun, type WorkflowRunNotice } from './record-workflow-run.ts';

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
  /** Deploys that recorded the completed run and were woken. */
  woken: string[];
  reason?: string;
}

/**
 * A `workflow_run` webhook delivery, end to end: verify the signature (a bad one changes nothing), then for a
 * completed run record it on the deploy following that run and wake the deploy, whose `build_follow` step then
 * concludes without asking GitHub. Deliveries for runs no deploy follows are acknowledged and dropped.
 */
export async function receiveWorkflowRun(deps: WorkflowRunIngressDeps, headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string): Promise<WorkflowRunReceipt> {
  const verdict = await deps.verify(headers, rawBody);
  if (verdict.kind === 'rejected') return { status: 401, woken: [], reason: verdict.reason };
  if (verdict.kind === 'ignored') return { status: 202, woken: [], reason: verdict.reason };
  const woken: string[] = [];
  for (const id of await deps.inFlightFor(verdict.update.repository)) {
    let changed = false;
    await deps.records.update(id, (d) => {
      const next = recordWorkflowRun(d, verdict.update);
      changed = next !== undefined;
      return next;
    });
    if (changed) {
      await deps.wake(id);
      woken.push(id);
    }
  }
  return { status: 202, woken };
}
