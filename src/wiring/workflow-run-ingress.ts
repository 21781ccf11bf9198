/**
 * Part of the composition root (main.ts): the `workflow_run` webhook. A signed delivery of a finished build wakes
 * the deploys following it, so they go on at once instead of at their next poll. A bad signature gets 401 and
 * changes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { receiveWorkflowRun } from '../build/index.ts';
import type { Config } from '../config/index.ts';
import type { Deploy } from '../deploy/index.ts';
import { createWorkflowRunWebhookVerifier } from '../github/index.ts';

export interface WorkflowRunIngressOptions {
  secret: string;
  config: Pick<Config, 'services'>;
  deploys: { get(id: string): Promise<Deploy | undefined>; update(id: string, change: (d: Deploy) => Deploy | undefined): Promise<Deploy> };
  locks: { get(service: string, env: string): Promise<{ kind: string; deployId?: string } | undefined> };
  queue: { wake(deployId: string): Promise<void> };
}

export function createWorkflowRunIngress(o: WorkflowRunIngressOptions): (req: IncomingMessage & { rawBody: Buffer }, res: ServerResponse) => Promise<void> {
  const verify = createWorkflowRunWebhookVerifier(o.secret);
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
