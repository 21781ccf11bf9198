export { createGitLabClient, type GitLabClientOptions } from './create-gitlab-client.ts';
export { createPipelineWebhookVerifier } from './verify-pipeline-webhook.ts';
export { buildStatusOf } from './build-status-of.ts';
export type { GitLabClient, PipelineUpdate, PipelineWebhookVerdict } from './types.ts';
