export { createGitHubClient, type GitHubClientOptions } from './create-github-client.ts';
export { closestTags } from './closest-tags.ts';
export { pullRequestOf, type PullRequestRef } from './pull-request-of.ts';
export { rateLimitWaitMs } from './rate-limit.ts';
export { createWorkflowRunWebhookVerifier, type WebhookVerdict, type WorkflowRunUpdate } from './verify-workflow-run-webhook.ts';
export { parseRepoRef } from './types.ts';
export type {
  CompareCommit, Comparison, Conditional, CreateDeploymentInput, DeploymentState, DeploymentStatusInput, DispatchResult,
  GitHubClient, GitHubDeployment, RepoRef, RunJob, RunStatus, WorkflowRun,
} from './types.ts';
export { createConfigRepository } from './config-repository.ts';
export type { ConfigRepository, FileEdit, FileUpdate, FileUpdateInput, PullRequestInfo, PullRequestMerge, RepoCommit, RepoFile } from './types.ts';
