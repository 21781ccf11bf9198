import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { PipelineWebhookVerdict } from './types.ts';

/**
 * The part of a Pipeline Hook Deckhand reads: which pipeline of which project changed. Its `status` is kept for the
 * log only — a token proves who sent the body, not that it is still true — so the build step asks the API.
 */
const PipelineHook = z.object({
  object_kind: z.literal('pipeline'),
  object_attributes: z.object({ id: z.number().int().positive(), status: z.string() }),
  project: z.object({ path_with_namespace: z.string().min(1) }),
});

/** Equal-length digests, so the comparison takes the same time whatever the token's length or its first wrong byte. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Checks a GitLab webhook delivery: `X-Gitlab-Token` must equal the webhook's secret token (GitLab sends it as
 * is, no signature), compared in constant time; then reads which pipeline a Pipeline Hook is about.
 */
export function createPipelineWebhookVerifier(token: string): (headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string) => Promise<PipelineWebhookVerdict> {
  return async (headers, rawBody) => {
    const header = (name: string): string | undefined => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const given = header('x-gitlab-token');
    if (given === undefined) return { kind: 'rejected', reason: 'missing X-Gitlab-Token' };
    if (!sameSecret(given, token)) return { kind: 'rejected', reason: 'X-Gitlab-Token does not match' };
    const event = header('x-gitlab-event');
    if (event !== 'Pipeline Hook') return { kind: 'ignored', reason: `event ${event ?? '(none)'}` };
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { kind: 'ignored', reason: 'body is not JSON' };
    }
    const parsed = PipelineHook.safeParse(json);
    if (!parsed.success) return { kind: 'ignored', reason: 'not a Pipeline Hook payload' };
    const { object_attributes: pipeline, project } = parsed.data;
    return { kind: 'workflow_run', update: { repository: `gitlab:${project.path_with_namespace}`, runId: pipeline.id, action: pipeline.status } };
  };
}
