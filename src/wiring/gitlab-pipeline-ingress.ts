/**
 * Part of the composition root (main.ts): GitLab's Pipeline Hook. A delivery with the right `X-Gitlab-Token` wakes
 * the deploys following that pipeline, so they read its outcome from the API at once instead of at their next poll.
 * A wrong or missing token gets 401 and changes nothing. The same receiver as GitHub's `workflow_run` deliveries
 * (build/receive-workflow-run.ts): a webhook is a claim that decides when to look, never what happened.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { receiveWorkflowRun } from '../build/index.ts';
import type { Config } from '../config/index.ts';
import type { Deploy } from '../deploy/index.ts';
import { createPipelineWebhookVerifier } from '../gitlab/index.ts';

export interface GitLabPipelineIngressOptions {
  /** GITLAB_WEBHOOK_TOKEN: the webhook's secret token, which GitLab sends as `X-Gitlab-Token`. */
  token: string;
  config: Pick<Config, 'services'>;
  deploys: { get(id: string): Promise<Deploy | undefined>; update(id: string, change: (d: Deploy) => Deploy | undefined): Promise<Deploy> };
  locks: { get(service: string, env: string): Promise<{ kind: string; deployId?: string } | undefined> };
  queue: { wake(deployId: string): Promise<void> };
}

export function createGitLabPipelineIngress(o: GitLabPipelineIngressOptions): (req: IncomingMessage & { rawBody: Buffer }, res: ServerResponse) => Promise<void> {
  const verify = createPipelineWebhookVerifier(o.token);
  /** Deploys holding a lock of a service built from `repository` (`gitlab:group/name`, as config writes it). */
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
    const receipt = await receiveWorkflowRun({ verify, inFlightFor, records: o.deploys, wake: (id) => o.queue.wake(id) }, req.headers, req.rawBody.toString('utf8'));
    res.writeHead(receipt.status, { 'content-type': 'application/json' }).end(JSON.stringify({ woken: receipt.woken }));
  };
}
