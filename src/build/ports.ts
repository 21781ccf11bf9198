/**
 * What the build station needs from GitHub and the registry, as small interfaces of its own. `src/github/`'s
 * client satisfies them structurally; the station never imports it (stations do not import each other).
 */
export interface RepoRef {
  owner: string;
  repo: string;
}

export interface BuildRun {
  id: number;
  status: string;
  conclusion: string | null;
  htmlUrl: string;
}

export interface BuildJob {
  status: string;
  conclusion: string | null;
}

export type Conditional<T> = { kind: 'not_modified' } | { kind: 'fresh'; value: T; etag?: string };

export interface BuildGitHub {
  tagExists(repo: RepoRef, tag: string): Promise<boolean>;
  closestTags(repo: RepoRef, wanted: string, max?: number): Promise<string[]>;
  dispatchWorkflow(repo: RepoRef, workflow: string, ref: string, inputs?: Record<string, string>): Promise<{ dispatchedAt: string; runId?: number; runUrl?: string }>;
  findDispatchedRun(repo: RepoRef, workflow: string, ref: string, since: string): Promise<BuildRun | undefined>;
  getRun(repo: RepoRef, runId: number, etag?: string): Promise<Conditional<BuildRun>>;
  listRunJobs(repo: RepoRef, runId: number, etag?: string): Promise<Conditional<BuildJob[]>>;
}

export interface DeploymentsGitHub {
  createDeployment(repo: RepoRef, input: { ref: string; environment: string; description: string; payload: Record<string, unknown>; productionEnvironment?: boolean }): Promise<{ id: number }>;
  listDeployments(repo: RepoRef, filter: { environment: string; ref?: string }): Promise<{ id: number; payload: Record<string, unknown> }[]>;
  createDeploymentStatus(repo: RepoRef, deploymentId: number, input: { state: 'in_progress' | 'success' | 'failure' | 'inactive' | 'error' | 'queued'; description?: string; logUrl?: string; environmentUrl?: string }): Promise<void>;
}

export interface CompareGitHub {
  compare(repo: RepoRef, base: string, head: string): Promise<{
    commits: { sha: string; message: string; parents: string[]; url: string; pullRequest?: { number: number; title: string } }[];
    totalCommits: number;
    url: string;
  }>;
}

export interface ImageChecker {
  /** Whether `image:tag` is in its registry (OCI manifest HEAD). */
  imageExists(image: string, tag: string): Promise<boolean>;
}

/** Where a service's version comes from and how it is built, from the service's config. */
export interface BuildTarget {
  /** GitHub `owner/name`. */
  repository: string;
  /** Image repository without tag, e.g. `registry.local/acme/api`. */
  image: string;
  /** The build workflow's file name (`build.yml`); absent means Deckhand cannot build a missing image. */
  workflow?: string;
  /** The ref the workflow runs at; default the version's tag. */
  ref?: string;
  inputs?: Record<string, string>;
}

export function repoRefOf(fullName: string): RepoRef {
  const [owner = '', repo = ''] = fullName.split('/');
  return { owner, repo };
}
