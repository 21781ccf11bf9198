import { Commits, Deployments, Jobs, MergeRequests, Pipelines, Repositories, Tags } from '@gitbeaker/rest';
import type { RepoRef } from '../build/ports.ts';
import { callGitLab, GitLabGate } from './call-gitlab.ts';
import { singleShotRequester } from './single-shot-requester.ts';
import { buildStatusOf } from './build-status-of.ts';
import { mergeRequestOfMessage, mergeRequestsByCommit, type MergedRequest } from './merge-requests-by-commit.ts';
import type { GitLabClient } from './types.ts';

export interface GitLabClientOptions {
  /** GITLAB_URL: the instance root (`https://gitlab.example.com`); default https://gitlab.com. */
  url?: string;
  /** GITLAB_TOKEN, sent as `PRIVATE-TOKEN`; without it only public projects can be read. */
  token?: string;
  /** Ranks tags by how likely a person meant them (the same did-you-mean as GitHub's tags; given by the root). */
  closestTags(wanted: string, tags: readonly string[], max: number): string[];
  now?: () => number;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

const projectOf = (r: RepoRef): string => (r.repo ? `${r.owner}/${r.repo}` : r.owner);

type RawPipeline = { id: number; status: string; web_url: string; ref: string; sha: string; source?: string; created_at: string; updated_at: string };

function toRun(p: RawPipeline) {
  const { status, conclusion } = buildStatusOf(p.status);
  return { id: p.id, status, conclusion, htmlUrl: p.web_url, headBranch: p.ref, headSha: p.sha, event: p.source ?? 'api', createdAt: p.created_at };
}

/** GitLab deployment statuses for the GitHub-shaped states the deployment steps set; undefined: GitLab keeps no such state. */
function deploymentStatusOf(state: string): 'running' | 'success' | 'failed' | 'canceled' | undefined {
  switch (state) {
    case 'in_progress': return 'running';
    case 'success': return 'success';
    case 'failure': case 'error': return 'failed';
    // GitLab marks the environment's earlier deployments superseded by itself, and has no "queued" to set.
    default: return undefined;
  }
}

/**
 * The GitLab client Deckhand uses, over @gitbeaker/rest (REST API v4): tags, pipelines (a pipeline for the tag
 * builds a missing image), compare with merge requests for release notes, deployments of environments. Like the
 * GitHub client it never retries by itself: a 429 becomes `gitlab_rate_limited` with `retryAfterMs`, and further
 * calls fail fast until then.
 *
 * GitLab has no ETags on these reads, so "not modified" is told by the client: a pipeline whose status and
 * `updated_at` are what the caller recorded (its "etag") answers `not_modified`, and the follow step backs off.
 */
export function createGitLabClient(options: GitLabClientOptions): GitLabClient {
  const resource = {
    host: (options.url ?? 'https://gitlab.com').replace(/\/+$/, ''),
    requesterFn: singleShotRequester,
    queryTimeout: options.timeoutMs ?? 30_000,
    ...(options.token !== undefined && { token: options.token }),
  };
  const tags = new Tags(resource);
  const pipelines = new Pipelines(resource);
  const jobs = new Jobs(resource);
  const repositories = new Repositories(resource);
  const mergeRequests = new MergeRequests(resource);
  const deployments = new Deployments(resource);
  const commits = new Commits(resource);
  const gate = new GitLabGate(options.now);
  const call = <T>(what: string, request: () => Promise<T>): Promise<T> => callGitLab(gate, what, request);
  const webUrl = (project: string, path: string): string => `${resource.host}/${project}/-/${path}`;

  const client: GitLabClient = {
    async listTags(r, limit = 500) {
      const project = projectOf(r);
      const list = await call(`the tags of ${project}`, () => tags.all(project, { orderBy: 'updated', sort: 'desc', perPage: 100, maxPages: Math.ceil(limit / 100) }));
      return list.map((t) => t.name).slice(0, limit);
    },

    async tagExists(r, tag) {
      const project = projectOf(r);
      try {
        await call(`tag ${tag} in ${project}`, () => tags.show(project, tag));
        return true;
      } catch (err) {
        if (err instanceof Error && 'code' in err && err.code === 'gitlab_not_found') return false;
        throw err;
      }
    },

    async closestTags(r, wanted, max = 3) {
      return options.closestTags(wanted, await client.listTags(r), max);
    },

    async compare(r, base, head) {
      const project = projectOf(r);
      const cmp = await call(`${base}...${head} in ${project}`, () => repositories.compare(project, base, head, { straight: true })) as unknown as {
        commits?: { id: string; message?: string; title?: string; parent_ids?: string[]; web_url?: string; author_name?: string; created_at?: string }[];
        commit?: { id: string } | null;
        web_url?: string;
      };
      // Oldest first, as GitLab lists them; the head (`commit`) last whatever the order, since notes walk back from it.
      const tip = cmp.commit?.id;
      const list = [...(cmp.commits ?? [])].sort((a, b) => Number(a.id === tip) - Number(b.id === tip));
      // Merge requests are read only when there is something to name: one paged list of merged MRs, matched by commit.
      // A request is updated when it is merged, so none merged into these commits was last updated before the oldest
      // of them (a day's slack for clocks): the list stays short however long the project's history.
      const oldest = Math.min(...list.map((c) => Date.parse(c.created_at ?? '')).filter(Number.isFinite));
      const since = Number.isFinite(oldest) ? { updatedAfter: new Date(oldest - 86_400_000).toISOString() } : {};
      const byCommit: Map<string, MergedRequest> = list.length === 0 ? new Map() : mergeRequestsByCommit(
        await call(`the merged merge requests of ${project}`, () => mergeRequests.all({ projectId: project, state: 'merged', ...since, orderBy: 'updated_at', sort: 'desc', perPage: 100, maxPages: 3 })) as unknown as Parameters<typeof mergeRequestsByCommit>[0],
      );
      return {
        commits: list.map((c) => {
          const mr = byCommit.get(c.id) ?? mergeRequestOfMessage(c.message ?? '');
          return {
            sha: c.id, message: c.message ?? c.title ?? '', author: c.author_name, parents: c.parent_ids ?? [],
            url: c.web_url ?? webUrl(project, `commit/${c.id}`),
            ...(mr && { pullRequest: { number: mr.iid, title: mr.title, marker: '!' as const } }),
          };
        }),
        totalCommits: list.length,
        url: cmp.web_url ?? webUrl(project, `compare/${base}...${head}`),
      };
    },

    async createDeployment(r, input) {
      const project = projectOf(r);
      // GitLab records a deployment of a commit: the tag's commit, read first.
      const commit = await call(`commit ${input.ref} in ${project}`, () => commits.show(project, input.ref));
      const isTag = await client.tagExists(r, input.ref);
      const d = await call(`a deployment of ${input.ref} to ${input.environment}`, () => deployments.create(project, input.environment, commit.id, input.ref, isTag, { status: 'running' }));
      return { id: d.id, ref: d.ref, environment: input.environment, payload: {} };
    },

    async listDeployments(r, filter) {
      const project = projectOf(r);
      const list = await call(`the deployments to ${filter.environment}`, () => deployments.all(project, { environment: filter.environment, orderBy: 'id', sort: 'desc', perPage: 30, maxPages: 1 }));
      // GitLab deployments carry no payload: one made by a deploy that crashed before recording it is not found again.
      return list.filter((d) => filter.ref === undefined || d.ref === filter.ref).map((d) => ({ id: d.id, ref: d.ref, environment: filter.environment, payload: {} }));
    },

    async createDeploymentStatus(r, deploymentId, input) {
      const project = projectOf(r);
      const status = deploymentStatusOf(input.state);
      if (!status) return;
      const current = await call(`deployment ${deploymentId}`, () => deployments.show(project, deploymentId));
      // A deployment is created running; GitLab refuses a transition to the state it is in.
      if (current.status === status) return;
      await call(`the status of deployment ${deploymentId}`, () => deployments.edit(project, deploymentId, status));
    },

    async dispatchWorkflow(r, _workflow, ref, inputs) {
      const project = projectOf(r);
      const variables = Object.entries(inputs ?? {}).map(([key, value]) => ({ key, value, variable_type: 'env_var' as const }));
      const p = await call(`a pipeline for ${ref}`, () => pipelines.create(project, ref, variables.length ? { variables } : {}));
      // GitLab's own clock at the creation, so finding the pipeline again does not depend on ours.
      return { dispatchedAt: new Date(Date.parse(p.created_at)).toISOString(), runId: p.id, runUrl: p.web_url };
    },

    async findDispatchedRun(r, _workflow, ref, since) {
      const project = projectOf(r);
      const list = await call(`the pipelines for ${ref}`, () => pipelines.all(project, { ref, source: 'api', updatedAfter: since, orderBy: 'id', sort: 'desc', perPage: 10, maxPages: 1 }));
      // Filters applied again in case a server ignores one of them.
      const p = (list as unknown as RawPipeline[]).filter((x) => x.ref === ref && Date.parse(x.created_at) >= Date.parse(since)).sort((a, b) => b.id - a.id)[0];
      return p ? toRun(p) : undefined;
    },

    async getRun(r, runId, etag) {
      const project = projectOf(r);
      const p = await call(`pipeline ${runId}`, () => pipelines.show(project, runId)) as unknown as RawPipeline;
      const tag = `${p.status}@${p.updated_at}`;
      return tag === etag ? { kind: 'not_modified' } : { kind: 'fresh', value: toRun(p), etag: tag };
    },

    async listRunJobs(r, runId, etag) {
      const project = projectOf(r);
      const list = await call(`the jobs of pipeline ${runId}`, () => jobs.all(project, { pipelineId: runId, perPage: 100, maxPages: 1 }));
      const value = list.map((j) => ({ name: j.name, ...buildStatusOf(j.status) }));
      const tag = JSON.stringify(value.map((j) => [j.name, j.status, j.conclusion]));
      return tag === etag ? { kind: 'not_modified' } : { kind: 'fresh', value, etag: tag };
    },
  };
  return client;
}
