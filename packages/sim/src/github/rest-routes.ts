import { commitJson, deploymentJson, deploymentStatusJson, jobJson, runJson } from './github-json.ts';
import { githubTime, type SimDeployment, type SimGitHubState, type SimRepo } from './sim-state.ts';
import type { RouteContext, SimRequest } from './route-context.ts';
import { routeContents } from './contents-routes.ts';
import { routeGit } from './git-routes.ts';
import { routePulls } from './pull-routes.ts';
import { invalid, notFound, paged, type Reply } from './replies.ts';

export type { Reply } from './replies.ts';

export type { RouteContext, SimRequest } from './route-context.ts';

/** Routes under `/repos/{owner}/{repo}/…` for one repository. */
export function routeRepo(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const { state, base } = ctx;
  const name = repo.fullName;
  const g = repo.graph;
  const [a, b, c, d, e] = req.rest;
  const get = req.method === 'GET' || req.method === 'HEAD';

  if (get && a === 'tags' && b === undefined) {
    // Newest first, as GitHub lists the tags of a repository tagged in order.
    const tags = [...g.tags].reverse().map(([tag, sha]) => ({
      name: tag, commit: { sha, url: `${base.api}/repos/${name}/commits/${sha}` }, node_id: `REF_${tag}`,
      zipball_url: `${base.api}/repos/${name}/zipball/refs/tags/${tag}`, tarball_url: `${base.api}/repos/${name}/tarball/refs/tags/${tag}`,
    }));
    return paged(tags, req.query, `${base.api}/repos/${name}/tags`);
  }
  if (get && a === 'git' && b === 'ref' && c !== undefined) {
    const ref = req.rest.slice(2).join('/');
    const [kind, ...nameParts] = ref.split('/');
    const refName = nameParts.join('/');
    const sha = kind === 'tags' ? g.tags.get(refName) : kind === 'heads' ? g.branches.get(refName) : undefined;
    if (!sha) return notFound();
    return { status: 200, body: { ref: `refs/${ref}`, node_id: `REF_${refName}`, url: `${base.api}/repos/${name}/git/refs/${ref}`, object: { sha, type: 'commit', url: `${base.api}/repos/${name}/git/commits/${sha}` } } };
  }
  if (get && a === 'compare' && b !== undefined) {
    const basehead = req.rest.slice(1).join('/');
    const [from = '', to = ''] = basehead.split('...');
    const fromSha = g.resolve(from);
    const toSha = g.resolve(to);
    if (!fromSha || !toSha) return notFound();
    const ahead = g.between(fromSha, toSha);
    const behind = g.between(toSha, fromSha);
    const status = ahead.length === 0 && behind.length === 0 ? 'identical' : behind.length === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged';
    return {
      status: 200,
      body: {
        url: `${base.api}/repos/${name}/compare/${basehead}`, html_url: `${base.html}/${name}/compare/${basehead}`,
        permalink_url: `${base.html}/${name}/compare/${fromSha.slice(0, 7)}...${toSha.slice(0, 7)}`,
        diff_url: `${base.html}/${name}/compare/${basehead}.diff`, patch_url: `${base.html}/${name}/compare/${basehead}.patch`,
        base_commit: commitJson(base, name, g.commits.get(fromSha) as never), merge_base_commit: commitJson(base, name, g.commits.get(fromSha) as never),
        status, ahead_by: ahead.length, behind_by: behind.length, total_commits: ahead.length,
        commits: ahead.slice(0, 250).map((x) => commitJson(base, name, x)), files: [],
      },
    };
  }
  if (a === 'deployments') return routeDeployments(ctx, repo, req);
  if (a === 'contents') return routeContents(ctx, repo, req);
  if (a === 'pulls') return routePulls(ctx, repo, req);
  if (a === 'branches' || a === 'commits' || (a === 'git' && (b === 'refs' || b === 'commits'))) return routeGit(ctx, repo, req);
  if (a === 'actions' && b === 'workflows' && c !== undefined) {
    if (!/\.ya?ml$/.test(c) && !/^\d+$/.test(c)) return notFound();
    if (req.method === 'POST' && d === 'dispatches' && e === undefined) {
      const ref = String(req.body.ref ?? '');
      const sha = g.resolve(ref);
      if (!sha) return invalid(`No ref found for: ${ref}`);
      const run = ctx.runner.start(name, c, ref.replace(/^refs\/(tags|heads)\//, ''), sha, (req.body.inputs ?? {}) as Record<string, unknown>);
      if (req.body.return_run_details === true && !ctx.legacyDispatch) {
        return { status: 200, body: { workflow_run_id: run.id, run_url: `${base.api}/repos/${name}/actions/runs/${run.id}`, html_url: `${base.html}/${name}/actions/runs/${run.id}` } };
      }
      return { status: 204 };
    }
    if (get && d === 'runs' && e === undefined) return listRuns(ctx, [...state.runs.values()].filter((r) => r.repo === name && r.workflow === c), req.query);
  }
  if (get && a === 'actions' && b === 'runs') {
    if (c === undefined) return listRuns(ctx, [...state.runs.values()].filter((r) => r.repo === name), req.query);
    const run = state.runs.get(Number(c));
    if (!run || run.repo !== name) return notFound();
    if (d === undefined) return { status: 200, body: runJson(base, run) };
    if (d === 'jobs' && e === undefined) return { status: 200, body: { total_count: run.jobs.length, jobs: run.jobs.map((j) => jobJson(base, run, j)) } };
  }
  if (req.method === 'POST' && a === 'actions' && b === 'runs' && d === 'cancel') {
    const run = state.runs.get(Number(c));
    if (!run || run.repo !== name) return notFound();
    ctx.runner.cancel(run);
    return { status: 202, body: {} };
  }
  return notFound();
}

/** `created=>=2026-01-01T00:00:00Z` and friends, the subset of GitHub's date query clients use for runs. */
function createdMatches(filter: string | null, createdAt: string): boolean {
  if (!filter) return true;
  const m = /^(>=|<=|>|<)?(.+)$/.exec(filter);
  const at = Date.parse(m?.[2] ?? '');
  if (!Number.isFinite(at)) return true;
  const t = Date.parse(createdAt);
  switch (m?.[1]) {
    case '>=': return t >= at;
    case '<=': return t <= at;
    case '>': return t > at;
    case '<': return t < at;
    default: return new Date(t).toISOString().slice(0, 10) === new Date(at).toISOString().slice(0, 10);
  }
}

function listRuns(ctx: RouteContext, runs: ReturnType<SimGitHubState['runs']['get']>[], q: URLSearchParams): Reply {
  const list = runs.filter((r) => r !== undefined)
    .filter((r) => (q.get('event') ? r.event === q.get('event') : true) && (q.get('branch') ? r.headBranch === q.get('branch') : true) && (q.get('status') ? r.status === q.get('status') || r.conclusion === q.get('status') : true) && createdMatches(q.get('created'), r.createdAt))
    .sort((x, y) => y.id - x.id);
  const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 30)));
  return { status: 200, body: { total_count: list.length, workflow_runs: list.slice(0, perPage).map((r) => runJson(ctx.base, r)) } };
}

const DEPLOYMENT_STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

function routeDeployments(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const { state, base } = ctx;
  const [, id, sub] = req.rest;
  if (id === undefined && req.method === 'POST') {
    const ref = String(req.body.ref ?? '');
    const sha = repo.graph.resolve(ref);
    if (!sha) return invalid(`No ref found for: ${ref}`);
    const environment = String(req.body.environment ?? 'production');
    const dep: SimDeployment = {
      id: state.nextId(), repo: repo.fullName, ref, sha, environment, description: String(req.body.description ?? ''),
      payload: typeof req.body.payload === 'object' && req.body.payload !== null ? req.body.payload as Record<string, unknown> : {},
      productionEnvironment: req.body.production_environment === true || (req.body.production_environment === undefined && environment === 'production'),
      transientEnvironment: req.body.transient_environment === true, createdAt: githubTime(), statuses: [],
    };
    state.deployments.set(dep.id, dep);
    return { status: 201, body: deploymentJson(base, dep) };
  }
  if (id === undefined && req.method === 'GET') {
    const q = req.query;
    const list = [...state.deployments.values()]
      .filter((x) => x.repo === repo.fullName && (!q.get('environment') || x.environment === q.get('environment')) && (!q.get('ref') || x.ref === q.get('ref')) && (!q.get('sha') || x.sha === q.get('sha')))
      .sort((x, y) => y.id - x.id).map((x) => deploymentJson(base, x));
    return paged(list, q, `${base.api}/repos/${repo.fullName}/deployments`);
  }
  const dep = state.deployments.get(Number(id));
  if (!dep || dep.repo !== repo.fullName) return notFound();
  if (sub === undefined && req.method === 'GET') return { status: 200, body: deploymentJson(base, dep) };
  if (sub === 'statuses' && req.method === 'GET') return paged(state.statusesOf(dep.id).map((s) => deploymentStatusJson(base, dep, s)), req.query, `${base.api}/repos/${repo.fullName}/deployments/${dep.id}/statuses`);
  if (sub === 'statuses' && req.method === 'POST') {
    const st = String(req.body.state ?? '');
    if (!DEPLOYMENT_STATES.has(st)) return invalid(`state must be one of ${[...DEPLOYMENT_STATES].join(', ')}`);
    const logUrl = String(req.body.log_url ?? req.body.target_url ?? '');
    const status = { id: state.nextId(), state: st, description: String(req.body.description ?? ''), logUrl, environmentUrl: String(req.body.environment_url ?? ''), createdAt: githubTime() };
    dep.statuses.push(status);
    // GitHub's auto_inactive (default true): a success makes the environment's earlier non-transient
    // deployments that are still active inactive.
    if (st === 'success' && req.body.auto_inactive !== false) {
      for (const other of state.deployments.values()) {
        if (other.id === dep.id || other.repo !== dep.repo || other.environment !== dep.environment || other.transientEnvironment) continue;
        if (other.statuses.at(-1)?.state === 'success') {
          other.statuses.push({ id: state.nextId(), state: 'inactive', description: `Superseded by deployment ${dep.id}`, logUrl: '', environmentUrl: '', createdAt: githubTime() });
        }
      }
    }
    return { status: 201, body: deploymentStatusJson(base, dep, status) };
  }
  return notFound();
}
