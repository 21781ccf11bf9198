/** A repository as config names it: `owner/name`. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export function parseRepoRef(fullName: string): RepoRef {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}

/** One commit between two refs, oldest first as the compare API lists them. */
export interface CompareCommit {
  sha: string;
  message: string;
  author?: string;
  /** Parent shas; the first is the mainline, a second marks a merge commit. */
  parents: string[];
  url: string;
  /** The pull request this commit merged (merge commit or squash merge), read from its message. */
  pullRequest?: { number: number; title: string };
}

export interface Comparison {
  commits: CompareCommit[];
  /** All commits between the refs; the API lists at most 250 in `commits`. */
  totalCommits: number;
  /** The compare page for people. */
  url: string;
}

/** GitHub's deployment status states that Deckhand sets. */
export type DeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface CreateDeploymentInput {
  ref: string;
  environment: string;
  description: string;
  /** Kept by GitHub and shown in its API; Deckhand stores its deploy id here to find its own deployments again. */
  payload: Record<string, unknown>;
  productionEnvironment?: boolean;
}

export interface GitHubDeployment {
  id: number;
  ref: string;
  environment: string;
  payload: Record<string, unknown>;
}

export interface DeploymentStatusInput {
  state: DeploymentState;
  description?: string;
  /** Both links point back to the chat card: that is where the deploy's story is told. */
  logUrl?: string;
  environmentUrl?: string;
}

export interface DispatchResult {
  /** GitHub's own clock at the dispatch (its `Date` header), so finding the run does not depend on ours. */
  dispatchedAt: string;
  /** Present when GitHub returned the run (the `return_run_details` answer); older servers answer 204 without it. */
  runId?: number;
  runUrl?: string;
}

export type RunStatus = 'requested' | 'queued' | 'pending' | 'waiting' | 'in_progress' | 'completed';

export interface WorkflowRun {
  id: number;
  status: RunStatus | string;
  /** Set once completed: success, failure, cancelled, timed_out, … */
  conclusion: string | null;
  htmlUrl: string;
  headBranch: string | null;
  headSha: string;
  event: string;
  createdAt: string;
}

export interface RunJob {
  name: string;
  status: string;
  conclusion: string | null;
}

/**
 * A conditional read: `not_modified` when the ETag still matches (GitHub answers 304, which does not count
 * against the rate limit), else the fresh value and its new ETag.
 */
export type Conditional<T> = { kind: 'not_modified' } | { kind: 'fresh'; value: T; etag?: string };

/** What Deckhand asks of GitHub. The only implementation over the network is createGitHubClient. */
export interface GitHubClient {
  /** Tag names, newest first as GitHub lists them; at most `limit` (default 500). */
  listTags(repo: RepoRef, limit?: number): Promise<string[]>;
  tagExists(repo: RepoRef, tag: string): Promise<boolean>;
  /** Tags a person most likely meant by `wanted`, best first. */
  closestTags(repo: RepoRef, wanted: string, max?: number): Promise<string[]>;
  compare(repo: RepoRef, base: string, head: string): Promise<Comparison>;
  createDeployment(repo: RepoRef, input: CreateDeploymentInput): Promise<GitHubDeployment>;
  /** Deployments for an environment (newest first), to find one Deckhand created before a crash. */
  listDeployments(repo: RepoRef, filter: { environment: string; ref?: string }): Promise<GitHubDeployment[]>;
  createDeploymentStatus(repo: RepoRef, deploymentId: number, input: DeploymentStatusInput): Promise<void>;
  dispatchWorkflow(repo: RepoRef, workflow: string, ref: string, inputs?: Record<string, string>): Promise<DispatchResult>;
  /** The newest `workflow_dispatch` run of `workflow` at `ref` created at or after `since`. */
  findDispatchedRun(repo: RepoRef, workflow: string, ref: string, since: string): Promise<WorkflowRun | undefined>;
  getRun(repo: RepoRef, runId: number, etag?: string): Promise<Conditional<WorkflowRun>>;
  listRunJobs(repo: RepoRef, runId: number, etag?: string): Promise<Conditional<RunJob[]>>;
}
