import { Webhooks } from '@octokit/webhooks';
import { z } from 'zod';

/**
 * The part of a `workflow_run` delivery Deckhand reads: which run of which repository changed, nothing more. The
 * delivery's `status` and `conclusion` are deliberately not read — a signature proves who sent the body, not that
 * it is true now (a leaked secret, a replayed or reordered delivery) — so the build step asks the API instead.
 */
const WorkflowRunPayload = z.object({
  action: z.string(),
  workflow_run: z.object({ id: z.number().int().positive() }),
  repository: z.object({ full_name: z.string().min(1) }),
});

/** A `workflow_run` delivery whose signature checked out: a wake-up call naming a run, not its outcome. */
export interface WorkflowRunUpdate {
  repository: string;
  runId: number;
  /** What GitHub says happened (`requested`, `in_progress`, `completed`); for the log only. */
  action: string;
}

export type WebhookVerdict =
  /** Bad or missing signature: answer 401 and do nothing else. */
  | { kind: 'rejected'; reason: string }
  /** Signed, but not something Deckhand follows (another event, a ping): answer 2xx and drop it. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'workflow_run'; update: WorkflowRunUpdate };

/**
 * Checks a GitHub webhook delivery (`X-Hub-Signature-256`, HMAC-SHA256 of the raw body with the shared secret,
 * compared in constant time by @octokit/webhooks) and reads which run a `workflow_run` event is about. The body
 * must be the raw bytes as received: re-serialised JSON does not match the signature.
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
    const { workflow_run: run, repository, action } = parsed.data;
    return { kind: 'workflow_run', update: { repository: repository.full_name, runId: run.id, action } };
  };
}
