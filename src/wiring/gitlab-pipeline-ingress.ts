/**
 * Part of the composition root (main.ts): GitLab's Pipeline Hook, through the receiver GitHub's `workflow_run`
 * deliveries use (workflow-run-ingress.ts). A delivery with the right `X-Gitlab-Token` wakes the deploys following
 * that pipeline; a wrong or missing token gets 401 and changes nothing. Loaded only when GitLab is configured.
 */
import { createPipelineWebhookVerifier } from '../gitlab/index.ts';
import { createBuildWebhookIngress, type BuildWebhookIngressOptions } from './workflow-run-ingress.ts';

export interface GitLabPipelineIngressOptions extends BuildWebhookIngressOptions {
  /** GITLAB_WEBHOOK_TOKEN: the webhook's secret token, which GitLab sends as `X-Gitlab-Token`. */
  token: string;
}

export function createGitLabPipelineIngress(o: GitLabPipelineIngressOptions): ReturnType<typeof createBuildWebhookIngress> {
  return createBuildWebhookIngress({ ...o, verify: createPipelineWebhookVerifier(o.token) });
}
