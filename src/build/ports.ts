import { DeckhandError } from '../errors.ts';

/**
 * What the build station needs from a code forge and the registry, as small interfaces of its own: the "forge"
 * ports. `src/github/`'s client (GitHub Actions runs, pull requests) and `src/gitlab/`'s (GitLab CI pipelines, merge
 * requests) both satisfy them structurally; the station never imports either (stations do not import each other).
 * The vocabulary is GitHub's (a run, its jobs, a workflow), which the GitLab client maps onto pipelines.
 */

/** Which forge a service's code lives on; the registry of forges is keyed by it. */
export type ForgeKind = 'github' | 'gitlab';

/** A repository or project: GitHub `owner/repo`; on GitLab the namespace (`group/sub`) and the project name. */
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

export interface BuildForge {
  tagExists(repo: RepoRef, tag: string): Promise<boolean>;
  closestTags(repo: RepoRef, wanted: string, max?: number): Promise<string[]>;
  dispatchWorkflow(repo: RepoRef, workflow: string, ref: string, inputs?: Record<string, string>): Promise<{ dispatchedAt: string; runId?: number; runUrl?: string }>;
  findDispatchedRun(repo: RepoRef, workflow: string, ref: string, since: string): Promise<BuildRun | undefined>;
  getRun(repo: RepoRef, runId: number, etag?: string): Promise<Conditional<BuildRun>>;
  listRunJobs(repo: RepoRef, runId: number, etag?: string): Promise<Conditional<BuildJob[]>>;
}

export interface DeploymentsForge {
  createDeployment(repo: RepoRef, input: { ref: string; environment: string; description: string; payload: Record<string, unknown>; productionEnvironment?: boolean }): Promise<{ id: number }>;
  listDeployments(repo: RepoRef, filter: { environment: string; ref?: string }): Promise<{ id: number; payload: Record<string, unknown> }[]>;
  createDeploymentStatus(repo: RepoRef, deploymentId: number, input: { state: 'in_progress' | 'success' | 'failure' | 'inactive' | 'error' | 'queued'; description?: string; logUrl?: string; environmentUrl?: string }): Promise<void>;
}

export interface CompareForge {
  compare(repo: RepoRef, base: string, head: string): Promise<{
    commits: { sha: string; message: string; parents: string[]; url: string; pullRequest?: { number: number; title: string; marker?: '#' | '!' } }[];
    totalCommits: number;
    url: string;
  }>;
}

/** The former GitHub-only names of the forge ports, kept for the code that names them. */
export type BuildGitHub = BuildForge;
export type DeploymentsGitHub = DeploymentsForge;
export type CompareGitHub = CompareForge;

/**
 * The forges a step may use, by kind: `github` alone (the original shape, still what the GitHub-only tests pass)
 * or a registry with a GitLab entry. A service's target says which one it needs.
 */
export interface ForgeChoice<F> {
  github?: F;
  forges?: ReadonlyMap<ForgeKind, F>;
}

/** The forge for `target`, or undefined when this Deckhand has no connection to it. */
export function forgeFor<F>(deps: ForgeChoice<F>, target: Pick<BuildTarget, 'forge'>): F | undefined {
  const kind = target.forge ?? 'github';
  return deps.forges?.get(kind) ?? (kind === 'github' ? deps.github : undefined);
}

/** The forge for `target`, for steps that run only once the build check found it. */
export function forgeOrFail<F>(deps: ForgeChoice<F>, target: Pick<BuildTarget, 'forge' | 'repository'>): F {
  const f = forgeFor(deps, target);
  if (!f) throw new DeckhandError('config_invalid', `${target.repository} is on ${target.forge === 'gitlab' ? 'GitLab' : 'GitHub'}, and this Deckhand has no connection to it.`);
  return f;
}

export interface ImageChecker {
  /** Whether `image:tag` is in its registry (OCI manifest HEAD). */
  imageExists(image: string, tag: string): Promise<boolean>;
}

/** Where a service's version comes from and how it is built, from the service's config. */
export interface BuildTarget {
  /** The forge (default GitHub). */
  forge?: ForgeKind;
  /** GitHub `owner/name`, or the GitLab project path `group/name` (without the `gitlab:` of the config). */
  repository: string;
  /** Image repository without tag, e.g. `registry.local/acme/api`. */
  image: string;
  /**
   * The build workflow's file name (`build.yml`); for GitLab, which has one pipeline definition per project, the
   * name Deckhand shows for it (`.gitlab-ci.yml`). Absent means Deckhand cannot build a missing image.
   */
  workflow?: string;
  /** The ref the workflow runs at; default the version's tag. */
  ref?: string;
  /** Workflow inputs (GitHub) or pipeline variables (GitLab); `{version}` is replaced by the version. */
  inputs?: Record<string, string>;
}

/** `owner/name` (or GitLab's `group/sub/name`: the namespace is everything before the last `/`). */
export function repoRefOf(fullName: string): RepoRef {
  const at = fullName.lastIndexOf('/');
  return at < 0 ? { owner: fullName, repo: '' } : { owner: fullName.slice(0, at), repo: fullName.slice(at + 1) };
}
