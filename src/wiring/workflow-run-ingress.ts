/**
 * Part of the composition root (main.ts): the build webhooks — GitHub's `workflow_run` and GitLab's Pipeline Hook.
 * A verified delivery of a finished build wakes the deploys following it, so they go on at once instead of at their
 * next poll; a bad signature or token gets 401 and changes nothing. A delivery is a claim that decides when to look,
 * never what happened (build/receive-workflow-run.ts): the deploy reads the outcome from the forge's API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { receiveWorkflowRun, type WorkflowRunIngressDeps } from '../build/index.ts';
import type { Config } from '../config/index.ts';
import type { Deploy } from '../deploy/index.ts';
import { createWorkflowRunWebhookVerifier } from '../github/index.ts';

export interface BuildWebhookIngressOptions {
  config: Pick<Config, 'services'>;
  deploys: { get(id: string): Promise<Deploy | undefined>; update(id: string, change: (d: Deploy) => Deploy | undefined): Promise<Deploy> };
  locks: { get(service: string, env: string): Promise<{ kind: string; deployId?: string } | undefined> };
  queue: { wake(deployId: string): Promise<void> };
}

type Handler = (req: IncomingMessage & { rawBody: Buffer }, res: ServerResponse) => Promise<void>;

/** The receiver both forges share; `verify` is the forge's own signature or token check and parser. */
export function createBuildWebhookIngress(o: BuildWebhookIngressOptions & { verify: WorkflowRunIngressDeps['verify'] }): Handler {
  /** Deploys holding a lock of a service built from `repository` (as config writes it: `owner/name`, `gitlab:group/name`). */
  const inFlightFor = async (repository: string): Promise<string[]> => {
    const ids: string[] = [];
    for (const [name, svc] of Object.entries(o.config.services)) {
      if (svc.repository.toLowerCase() !== repository.toLowerCase()) continue;
      for (const env of Object.keys(svc.environments)) {
        const holder = await o.locks.get(name, env);
        if (holder?.kind === 'deploy' && holder.deployId) ids.push(holder.deployId);
      }
    }
    return ids;
  };
  return async (req, res) => {
    const receipt = await receiveWorkflowRun({ verify: o.verify, inFlightFor, records: o.deploys, wake: (id) => o.queue.wake(id) }, req.headers, req.rawBody.toString('utf8'));
    res.writeHead(receipt.status, { 'content-type': 'application/json' }).end(JSON.stringify({ woken: receipt.woken }));
  };
}

export type WorkflowRunIngressOptions = BuildWebhookIngressOptions & { secret: string };

export function createWorkflowRunIngress(o: WorkflowRunIngressOptions): Handler {
  return createBuildWebhookIngress({ ...o, verify: createWorkflowRunWebhookVerifier(o.secret) });
}
