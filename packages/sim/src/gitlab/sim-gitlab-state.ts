import { RepoGraph, type SimCommit } from '../github/repo-graph.ts';
import type { SimGitLabProjectSeed } from './default-seed.ts';

export interface SimMergeRequest {
  iid: number;
  title: string;
  sourceBranch: string;
  /** The commit that landed it: a merge commit, or the squash commit. */
  mergeCommitSha: string | null;
  squashCommitSha: string | null;
  /** The request's head. */
  sha: string;
  author: string;
  mergedAt: string;
}

export interface SimGitLabJob {
  id: number;
  name: string;
  stage: string;
  status: 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped';
  startedAt: string | null;
  finishedAt: string | null;
}

export type SimPipelineStatus = 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled';

export interface SimPipeline {
  id: number;
  iid: number;
  projectId: number;
  ref: string;
  sha: string;
  tag: boolean;
  source: string;
  status: SimPipelineStatus;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  jobs: SimGitLabJob[];
  variables: { key: string; value: string }[];
}

export type SimDeploymentStatus = 'created' | 'running' | 'success' | 'failed' | 'canceled';

export interface SimGitLabDeployment {
  id: number;
  iid: number;
  projectId: number;
  environment: string;
  ref: string;
  sha: string;
  tag: boolean;
  status: SimDeploymentStatus;
  createdAt: string;
  updatedAt: string;
  /** Every status it had, oldest first (tests read the story). */
  history: SimDeploymentStatus[];
}

export interface SimProject {
  id: number;
  path: string;
  graph: RepoGraph;
  failing: Set<string>;
  mergeRequests: SimMergeRequest[];
}

const SQUASHED = /^(.*\S)\s+\(!(\d+)\)$/;

/** The merge requests a seeded history implies: merge commits (two parents) and `(!n)` squash commits. */
function mergeRequestsOf(graph: RepoGraph, seed: SimGitLabProjectSeed): SimMergeRequest[] {
  const merges = seed.history.flatMap((h) => (h.kind === 'merge' ? [h] : []));
  const commits = [...graph.commits.values()].sort((a, b) => a.seq - b.seq);
  const out: SimMergeRequest[] = [];
  let m = 0;
  for (const c of commits) {
    if (c.parents.length === 2) {
      const entry = merges[m++];
      if (entry) out.push({ iid: entry.number, title: entry.title, sourceBranch: entry.branch, mergeCommitSha: c.sha, squashCommitSha: null, sha: c.parents[1] ?? c.sha, author: c.author, mergedAt: c.date });
      continue;
    }
    const squash = SQUASHED.exec(c.message.split('\n')[0] ?? '');
    if (squash) out.push({ iid: Number(squash[2]), title: squash[1] ?? '', sourceBranch: `mr-${squash[2]}`, mergeCommitSha: null, squashCommitSha: c.sha, sha: c.sha, author: c.author, mergedAt: c.date });
  }
  return out;
}

/** Everything the simulated GitLab knows; the routes read and change it, tests inspect it. */
export class SimGitLabState {
  readonly projects = new Map<number, SimProject>();
  readonly pipelines = new Map<number, SimPipeline>();
  readonly deployments = new Map<number, SimGitLabDeployment>();
  #ids = 5000;

  constructor(seeds: readonly SimGitLabProjectSeed[]) {
    for (const seed of seeds) {
      const graph = new RepoGraph(seed.path, seed.history);
      const id = this.nextId();
      this.projects.set(id, { id, path: seed.path, graph, failing: new Set(seed.failing ?? []), mergeRequests: mergeRequestsOf(graph, seed) });
    }
  }

  nextId(): number {
    return ++this.#ids;
  }

  /** By numeric id or by URL-decoded path (`acme/billing`), as GitLab accepts either. */
  project(idOrPath: string): SimProject | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    const want = idOrPath.toLowerCase();
    return [...this.projects.values()].find((p) => p.path.toLowerCase() === want);
  }

  commit(project: SimProject, ref: string): SimCommit | undefined {
    const sha = project.graph.resolve(ref);
    return sha ? project.graph.commits.get(sha) : undefined;
  }
}

/** GitLab timestamps: ISO 8601 with milliseconds, UTC. */
export function gitlabTime(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}
