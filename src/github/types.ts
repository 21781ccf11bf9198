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

/** A file of a config repository as read at a ref: its text and the blob sha a write must name. */
export interface RepoFile {
  path: string;
  text: string;
  /** The blob sha: GitHub refuses (409) a write naming an older one, so nobody's commit is overwritten unseen. */
  sha: string;
}

export interface RepoCommit {
  sha: string;
  /** The commit's page on GitHub. */
  url: string;
  message: string;
}

/**
 * What an edit of a file decided on the text it was given (it may be called again on a newer text when someone
 * committed meanwhile): write `text`, leave the file as it is (it already says what was wanted), or stop.
 */
export type FileEdit =
  | { kind: 'write'; text: string }
  | { kind: 'unchanged' }
  | { kind: 'stop'; reason: string };

export interface FileUpdateInput {
  path: string;
  branch: string;
  message: string;
  /** Applied to the file as it is on the branch; again, to the newer text, after each 409. */
  edit(current: RepoFile): FileEdit;
  /** Writes tried in all, the first included (default 3). */
  attempts?: number;
}

export type FileUpdate =
  | { kind: 'committed'; commit: RepoCommit; rebased: number }
  | { kind: 'unchanged'; file: RepoFile }
  /** The edit refused the newest text (a person changed what Deckhand would change): nothing was written. */
  | { kind: 'stopped'; reason: string; file: RepoFile }
  /** Every attempt met a newer commit: nothing was written. */
  | { kind: 'contended'; attempts: number };

export interface PullRequestInfo {
  number: number;
  url: string;
  headSha: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** The commit the merge put on the base branch, once merged. */
  mergeSha?: string;
}

export type PullRequestMerge =
  | { kind: 'merged'; commit: RepoCommit }
  /** 405: branch protection, failing or pending checks, a conflict — GitHub says which in `message`. */
  | { kind: 'not_mergeable'; message: string }
  /** 409: the pull request's head moved since Deckhand looked. */
  | { kind: 'head_changed'; message: string };

/** What Deckhand asks of a GitOps config repository. The only implementation over the network is createConfigRepository. */
export interface ConfigRepository {
  readFile(repo: RepoRef, path: string, ref: string): Promise<RepoFile>;
  /** Read, edit, write with the blob sha; a 409 (someone committed meanwhile) re-reads and edits again, a bounded number of times. */
  updateFile(repo: RepoRef, input: FileUpdateInput): Promise<FileUpdate>;
  /** The newest commits on `branch` that touched `path`, newest first (at most `limit`). */
  listFileCommits(repo: RepoRef, branch: string, path: string, limit: number): Promise<RepoCommit[]>;
  branchHead(repo: RepoRef, branch: string): Promise<string>;
  /** Creates `branch` at `sha`; an existing branch is left as it is (`exists`). */
  createBranch(repo: RepoRef, branch: string, sha: string): Promise<'created' | 'exists'>;
  /** Opens a pull request, or finds the one already open from `head` (a step run twice opens one). */
  openPullRequest(repo: RepoRef, input: { head: string; base: string; title: string; body: string }): Promise<PullRequestInfo>;
  getPullRequest(repo: RepoRef, number: number): Promise<PullRequestInfo>;
  /** Merges only if the head is still `sha`; never forces past branch protection. */
  mergePullRequest(repo: RepoRef, number: number, input: { sha: string; title: string; message: string }): Promise<PullRequestMerge>;
  getCommit(repo: RepoRef, sha: string): Promise<RepoCommit>;
  /** Closes a pull request without merging it (its branch stays); one already closed or merged is left as it is. */
  closePullRequest(repo: RepoRef, number: number): Promise<void>;
}
