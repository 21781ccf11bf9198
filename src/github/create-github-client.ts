import { Octokit } from '@octokit/rest';
import { callGitHub, isNotModified, RateLimitGate } from './call-github.ts';
import { closestTags } from './closest-tags.ts';
import { pullRequestOf } from './pull-request-of.ts';
import type { CompareCommit, Conditional, GitHubClient, GitHubDeployment, RunJob, WorkflowRun } from './types.ts';

export interface GitHubClientOptions {
  token?: string;
  /** GITHUB_API_URL: GitHub Enterprise Server (`https://ghe.example.com/api/v3`) or a local server in tests. */
  baseUrl?: string;
  now?: () => number;
  /** Where Octokit's own warnings and errors go (Deckhand's masking logger); silent when absent, never the console. */
  log?: { warn(o: object, msg: string): void; error(o: object, msg: string): void };
}

type OctokitLog = Record<'debug' | 'info' | 'warn' | 'error', (message: unknown) => void>;

const SILENT: OctokitLog = { debug() {}, info() {}, warn() {}, error() {} };

/** Octokit's logger interface over ours: its debug and info lines are request traces Deckhand does not keep. */
function octokitLog(log: NonNullable<GitHubClientOptions['log']> | undefined): OctokitLog {
  if (!log) return SILENT;
  const line = (level: 'warn' | 'error') => (message: unknown): void => log[level]({ source: 'octokit' }, String(message));
  return { debug() {}, info() {}, warn: line('warn'), error: line('error') };
}

type RawRun = {
  id: number; status: string | null; conclusion: string | null; html_url: string; head_branch: string | null;
  head_sha: string; event: string; created_at: string;
};

function toRun(r: RawRun): WorkflowRun {
  return {
    id: r.id, status: r.status ?? 'queued', conclusion: r.conclusion, htmlUrl: r.html_url, headBranch: r.head_branch,
    headSha: r.head_sha, event: r.event, createdAt: r.created_at,
  };
}

function toDeployment(d: { id: number; ref: string; environment: string; payload: unknown }): GitHubDeployment {
  const payload = typeof d.payload === 'object' && d.payload !== null ? d.payload as Record<string, unknown> : {};
  return { id: d.id, ref: d.ref, environment: d.environment, payload };
}

function etagOf(headers: Record<string, unknown>): string | undefined {
  return typeof headers.etag === 'string' ? headers.etag : undefined;
}

/** GitHub's created-filter wants whole seconds in UTC. */
function isoSeconds(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The GitHub client Deckhand uses, over @octokit/rest. It never retries by itself: a rate-limit answer becomes
 * a `github_rate_limited` error carrying `retryAfterMs`, and further calls fail fast until then, so callers
 * (steps) wait with a delayed job rather than sleeping or hammering.
 */
export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const octokit = new Octokit({
    ...(options.token !== undefined && { auth: options.token }),
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl.replace(/\/+$/, '') }),
    userAgent: 'deckhand',
    log: octokitLog(options.log),
  });
  const gate = new RateLimitGate(options.now);
  const call = <T>(what: string, request: () => Promise<T>): Promise<T> => callGitHub(gate, what, request);

  /** GETs with If-None-Match; a 304 means what the caller recorded with that ETag still holds. */
  async function conditional<T>(what: string, etag: string | undefined, request: (headers: Record<string, string>) => Promise<{ data: T; headers: Record<string, unknown> }>): Promise<Conditional<T>> {
    try {
      const res = await call(what, () => request(etag ? { 'if-none-match': etag } : {}));
      return { kind: 'fresh', value: res.data, etag: etagOf(res.headers) };
    } catch (err) {
      if (isNotModified(err)) return { kind: 'not_modified' };
      throw err;
    }
  }

  const client: GitHubClient = {
    async listTags(r, limit = 500) {
      const names: string[] = [];
      for (let page = 1; names.length < limit; page++) {
        const res = await call(`the tags of ${r.owner}/${r.repo}`, () => octokit.rest.repos.listTags({ ...r, per_page: 100, page }));
        names.push(...res.data.map((t) => t.name));
        if (res.data.length < 100) break;
      }
      return names.slice(0, limit);
    },

    async tagExists(r, tag) {
      try {
        await call(`tag ${tag} in ${r.owner}/${r.repo}`, () => octokit.rest.git.getRef({ ...r, ref: `tags/${tag}` }));
        return true;
      } catch (err) {
        if (err instanceof Error && 'code' in err && err.code === 'github_not_found') return false;
        throw err;
      }
    },

    async closestTags(r, wanted, max = 3) {
      return closestTags(wanted, await client.listTags(r), max);
    },

    async compare(r, base, head) {
      const res = await call(`${base}...${head} in ${r.owner}/${r.repo}`, () => octokit.rest.repos.compareCommitsWithBasehead({ ...r, basehead: `${base}...${head}`, per_page: 250 }));
      const commits: CompareCommit[] = res.data.commits.map((c) => {
        const pullRequest = pullRequestOf(c.commit.message);
        return {
          sha: c.sha, message: c.commit.message, author: c.author?.login ?? c.commit.author?.name ?? undefined,
          parents: c.parents.map((p) => p.sha), url: c.html_url, ...(pullRequest && { pullRequest }),
        };
      });
      return { commits, totalCommits: res.data.total_commits, url: res.data.html_url };
    },

    async createDeployment(r, input) {
      const res = await call(`a deployment of ${input.ref} to ${input.environment}`, () => octokit.rest.repos.createDeployment({
        ...r, ref: input.ref, environment: input.environment, description: input.description, payload: input.payload,
        // Deckhand has already decided this deploy may go (policy, approvals): GitHub must neither merge the
        // default branch in nor hold it for commit statuses.
        auto_merge: false, required_contexts: [], transient_environment: false,
        ...(input.productionEnvironment !== undefined && { production_environment: input.productionEnvironment }),
      }));
      if (!('id' in res.data)) throw new Error(`GitHub did not create the deployment: ${res.data.message ?? res.status}`);
      return toDeployment(res.data);
    },

    async listDeployments(r, filter) {
      const res = await call(`the deployments to ${filter.environment}`, () => octokit.rest.repos.listDeployments({ ...r, environment: filter.environment, ...(filter.ref !== undefined && { ref: filter.ref }), per_page: 30 }));
      return res.data.map(toDeployment);
    },

    async createDeploymentStatus(r, deploymentId, input) {
      await call(`the status of deployment ${deploymentId}`, () => octokit.rest.repos.createDeploymentStatus({
        ...r, deployment_id: deploymentId, state: input.state,
        ...(input.description !== undefined && { description: input.description.slice(0, 140) }),
        ...(input.logUrl !== undefined && { log_url: input.logUrl }),
        ...(input.environmentUrl !== undefined && { environment_url: input.environmentUrl }),
        // GitHub then marks the environment's previous successful deployment inactive: the supersede.
        auto_inactive: true,
      }));
    },

    async dispatchWorkflow(r, workflow, ref, inputs) {
      const res = await call(`a run of ${workflow} at ${ref}`, () => octokit.rest.actions.createWorkflowDispatch({
        ...r, workflow_id: workflow, ref, ...(inputs && { inputs }), return_run_details: true,
      }));
      const date = typeof res.headers.date === 'string' ? Date.parse(res.headers.date) : NaN;
      const dispatchedAt = new Date(Number.isFinite(date) ? date : gate.now).toISOString();
      const data = res.data as unknown as { workflow_run_id?: number; html_url?: string } | undefined;
      if (data && typeof data === 'object' && typeof data.workflow_run_id === 'number') {
        return { dispatchedAt, runId: data.workflow_run_id, ...(data.html_url !== undefined && { runUrl: data.html_url }) };
      }
      return { dispatchedAt };
    },

    async findDispatchedRun(r, workflow, ref, since) {
      const res = await call(`the run of ${workflow} at ${ref}`, () => octokit.rest.actions.listWorkflowRuns({
        ...r, workflow_id: workflow, event: 'workflow_dispatch', branch: ref, created: `>=${isoSeconds(since)}`, per_page: 10,
      }));
      // Newest first; the filters are applied again in case a server ignores one of them.
      const run = res.data.workflow_runs
        .filter((w) => w.event === 'workflow_dispatch' && w.head_branch === ref && Date.parse(w.created_at) >= Date.parse(isoSeconds(since)))
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
      return run ? toRun(run) : undefined;
    },

    async getRun(r, runId, etag) {
      const res = await conditional(`build run ${runId}`, etag, (headers) => octokit.rest.actions.getWorkflowRun({ ...r, run_id: runId, headers }));
      return res.kind === 'fresh' ? { ...res, value: toRun(res.value) } : res;
    },

    async listRunJobs(r, runId, etag) {
      const res = await conditional(`the jobs of build run ${runId}`, etag, (headers) => octokit.rest.actions.listJobsForWorkflowRun({ ...r, run_id: runId, filter: 'latest', per_page: 100, headers }));
      if (res.kind === 'not_modified') return res;
      const jobs: RunJob[] = res.value.jobs.map((j) => ({ name: j.name, status: j.status, conclusion: j.conclusion }));
      return { kind: 'fresh', value: jobs, etag: res.etag };
    },
  };
  return client;
}
