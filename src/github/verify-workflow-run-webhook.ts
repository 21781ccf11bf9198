import { Webhooks } from '@octokit/webhooks';
import { z } from 'zod';

/** The part of a `workflow_run` delivery Deckhand reads; lenient, since it is GitHub's data we only act on. */
const WorkflowRunPayload = z.object({
  action: z.string(),
  workflow_run: z.object({
    id: z.number(),
    status: z.string().nullable(),
    conclusion: z.string().nullable(),
    html_url: z.string(),
    head_branch: z.string().nullable(),
  }),
  repository: z.object({ full_name: z.string() }),
});

/** A `workflow_run` delivery whose signature checked out. */
export interface WorkflowRunUpdate {
  repository: string;
  runId: number;
  status: string;
  conclusion: string | null;
  htmlUrl: string;
  headBranch: string | null;
}

export type WebhookVerdict =
  /** Bad or missing signature: answer 401 and do nothing else. */
  | { kind: 'rejected'; reason: string }
  /** Signed, but not something Deckhand follows (another event, a ping): answer 2xx and drop it. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'workflow_run'; update: WorkflowRunUpdate };

/**
 * Checks a GitHub webhook delivery (`X-Hub-Signature-256`, HMAC-SHA256 of the raw body with the shared secret,
 * compared in constant time by @octokit/webhooks) and reads a `workflow_run` event. The body must be the raw
 * bytes as received: re-serialised JSON does not match the signature.
 */
export function createWorkflowRunWebhookVerifier(secret: string): (headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string) => Promise<WebhookVerdict> {
  const webhooks = new Webhooks({ secret });
  return async (headers, rawBody) => {
    const header = (name: string): string | undefined => {
      const v = headers[name] ?? headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const signature = header('x-hub-signature-256');
    if (!signature) return { kind: 'rejected', reason: 'missing X-Hub-Signature-256' };
    let valid: boolean;
    try {
      valid = await webhooks.verify(rawBody, signature);
    } catch {
      valid = false;
    }
    if (!valid) return { kind: 'rejected', reason: 'signature does not match' };
    const event = header('x-github-event');
    if (event !== 'workflow_run') return { kind: 'ignored', reason: `event ${event ?? '(none)'}` };
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { kind: 'ignored', reason: 'body is not JSON' };
    }
    const parsed = WorkflowRunPayload.safeParse(json);
    if (!parsed.success) return { kind: 'ignored', reason: 'not a workflow_run payload' };
    const { workflow_run: run, repository } = parsed.data;
    return {
      kind: 'workflow_run',
      update: {
        repository: repository.full_name, runId: run.id, status: run.status ?? 'queued', conclusion: run.conclusion,
        htmlUrl: run.html_url, headBranch: run.head_branch,
      },
    };
  };
}
