import type { BuildForge, CompareForge, DeploymentsForge, RepoRef } from '../build/ports.ts';

/**
 * What Deckhand asks of GitLab: the build station's forge ports (tags, pipelines as build runs, compare with merge
 * requests, deployments), in their GitHub-shaped vocabulary. The only implementation is createGitLabClient.
 */
export interface GitLabClient extends BuildForge, CompareForge, DeploymentsForge {
  /** Tag names, most recently updated first; at most `limit` (default 500). */
  listTags(project: RepoRef, limit?: number): Promise<string[]>;
}

/** A Pipeline Hook delivery whose token checked out: a wake-up call naming a pipeline, not its outcome. */
export interface PipelineUpdate {
  /** As config names the project: `gitlab:group/name`. */
  repository: string;
  runId: number;
  /** The status GitLab claims (`running`, `success`, `failed` …); for the log only. */
  action: string;
}

export type PipelineWebhookVerdict =
  /** Wrong or missing X-Gitlab-Token: answer 401 and do nothing else. */
  | { kind: 'rejected'; reason: string }
  /** Authentic, but not something Deckhand follows (another hook, a bad body): answer 2xx and drop it. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'workflow_run'; update: PipelineUpdate };
