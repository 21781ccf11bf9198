import { commitJson, deploymentJson, jobJson, mergeRequestJson, pipelineJson, projectJson, tagJson } from './gitlab-json.ts';
import type { PipelineRunner } from './pipeline-runner.ts';
import { gitlabTime, type SimDeploymentStatus, type SimGitLabDeployment, type SimGitLabState, type SimProject } from './sim-gitlab-state.ts';

export interface GitLabRequest {
  method: string;
  /** Path segments after `/api/v4/projects/:id/`, decoded. */
  rest: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: SimGitLabState;
  runner: PipelineRunner;
  /** The API root (`…/api/v4`) for pagination links, and the instance root for web_url. */
  api: string;
  web: string;
}

export const notFound = (what = '404 Not found'): Reply => ({ status: 404, body: { message: what } });
const badRequest = (message: unknown): Reply => ({ status: 400, body: { message } });

/**
 * GitLab's offset pagination: `page`/`per_page` (default 20, at most 100), with `X-Page`, `X-Per-Page`,
 * `X-Total`, `X-Total-Pages`, `X-Next-Page`, `X-Prev-Page` and a `Link` header (rel next/prev/first/last).
 */
export function paged<T>(items: T[], q: URLSearchParams, url: string): Reply {
  const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 20)));
  const page = Math.max(1, Number(q.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number): string => {
    const next = new URLSearchParams(q);
    next.set('page', String(n));
    next.set('per_page', String(perPage));
    return `<${url}?${next.toString()}>`;
  };
  const links = [
    ...(page < last ? [`${at(page + 1)}; rel="next"`] : []),
    ...(page > 1 ? [`${at(page - 1)}; rel="prev"`] : []),
    `${at(1)}; rel="first"`, `${at(last)}; rel="last"`,
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: {
      'x-page': String(page), 'x-per-page': String(perPage), 'x-total': String(items.length), 'x-total-pages': String(last),
      'x-next-page': page < last ? String(page + 1) : '', 'x-prev-page': page > 1 ? String(page - 1) : '', link: links.join(', '),
    },
  };
}

const byOrder = <T>(items: T[], key: (x: T) => string | number, q: URLSearchParams): T[] => {
  const dir = q.get('sort') === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
};

/** Routes under `/api/v4/projects/:id/…` for one project. */
export function routeProject(ctx: RouteContext, p: SimProject, req: GitLabRequest): Reply {
  const { state, web } = ctx;
  const base = `${ctx.api}/projects/${encodeURIComponent(p.path)}`;
  const [a, b, c] = req.rest;
  const get = req.method === 'GET' || req.method === 'HEAD';
  const g = p.graph;

  if (get && a === undefined) return { status: 200, body: projectJson(web, p) };
  if (get && a === 'repository' && b === 'tags') {
    if (c === undefined) {
      const search = req.query.get('search');
      const tags = [...g.tags].filter(([name]) => !search || name.includes(search)).map(([name, sha]) => tagJson(web, p, name, g.commits.get(sha) as never));
      // Tags are seeded in order, so creation order is also update and version order here.
      const ordered = req.query.get('sort') === 'asc' ? tags : tags.reverse();
      return paged(ordered, req.query, `${base}/repository/tags`);
    }
    const name = req.rest.slice(2).join('/');
    const sha = g.tags.get(name);
    return sha ? { status: 200, body: tagJson(web, p, name, g.commits.get(sha) as never) } : notFound('404 Tag Not Found');
  }
  if (get && a === 'repository' && b === 'commits' && c !== undefined) {
    const commit = state.commit(p, req.rest.slice(2).join('/'));
    return commit ? { status: 200, body: commitJson(web, p, commit) } : notFound('404 Commit Not Found');
  }
  if (get && a === 'repository' && b === 'compare') {
    const from = req.query.get('from') ?? '';
    const to = req.query.get('to') ?? '';
    const fromSha = g.resolve(from);
    const toSha = g.resolve(to);
    if (!fromSha || !toSha) return notFound('404 Ref Not Found');
    // Oldest first, as GitLab lists a comparison's commits.
    const commits = g.between(fromSha, toSha).map((x) => commitJson(web, p, x));
    return {
      status: 200,
      body: {
        commit: commits.at(-1) ?? null, commits, diffs: [], compare_timeout: false, compare_same_ref: fromSha === toSha,
        web_url: `${web}/${p.path}/-/compare/${from}...${to}`,
      },
    };
  }
  if (get && a === 'merge_requests' && b === undefined) {
    const q = req.query;
    const list = p.mergeRequests
      .filter(() => !q.get('state') || q.get('state') === 'merged' || q.get('state') === 'all')
      .filter((mr) => !q.get('updated_after') || Date.parse(mr.mergedAt) >= Date.parse(q.get('updated_after') ?? ''));
    return paged(byOrder(list, (mr) => mr.mergedAt, q).map((mr) => mergeRequestJson(web, p, mr)), q, `${base}/merge_requests`);
  }
  if (req.method === 'POST' && a === 'pipeline' && b === undefined) {
    const ref = String(req.body.ref ?? req.query.get('ref') ?? '');
    const sha = g.resolve(ref);
    if (!sha) return badRequest({ base: ['Reference not found'] });
    const variables = Array.isArray(req.body.variables)
      ? (req.body.variables as { key?: unknown; value?: unknown }[]).map((v) => ({ key: String(v.key ?? ''), value: String(v.value ?? '') }))
      : [];
    const pl = ctx.runner.start(p, ref.replace(/^refs\/(tags|heads)\//, ''), sha, variables);
    return { status: 201, body: pipelineJson(web, p, pl) };
  }
  if (a === 'pipelines') return routePipelines(ctx, p, req, base);
  if (a === 'deployments') return routeDeployments(ctx, p, req, base);
  return notFound();
}

function routePipelines(ctx: RouteContext, p: SimProject, req: GitLabRequest, base: string): Reply {
  const { state, web } = ctx;
  const [, id, sub] = req.rest;
  const q = req.query;
  if (req.method === 'GET' && id === undefined) {
    const list = [...state.pipelines.values()].filter((pl) => pl.projectId === p.id
      && (!q.get('ref') || pl.ref === q.get('ref')) && (!q.get('source') || pl.source === q.get('source'))
      && (!q.get('status') || pl.status === q.get('status'))
      && (!q.get('updated_after') || Date.parse(pl.updatedAt) > Date.parse(q.get('updated_after') ?? '')));
    const key = q.get('order_by') === 'updated_at' ? (x: typeof list[number]) => x.updatedAt : (x: typeof list[number]) => x.id;
    return paged(byOrder(list, key, q).map((pl) => {
      const { id: plId, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url } = pipelineJson(web, p, pl);
      return { id: plId, iid, project_id, sha, ref, status, source, created_at, updated_at, web_url };
    }), q, `${base}/pipelines`);
  }
  const pl = state.pipelines.get(Number(id));
  if (!pl || pl.projectId !== p.id) return notFound();
  if (req.method === 'GET' && sub === undefined) return { status: 200, body: pipelineJson(web, p, pl) };
  if (req.method === 'GET' && sub === 'jobs') return paged(pl.jobs.map((j) => jobJson(web, p, pl, j)), q, `${base}/pipelines/${pl.id}/jobs`);
  if (req.method === 'POST' && sub === 'cancel') {
    ctx.runner.cancel(p, pl);
    return { status: 200, body: pipelineJson(web, p, pl) };
  }
  return notFound();
}

const DEPLOYMENT_STATUSES = new Set<SimDeploymentStatus>(['running', 'success', 'failed', 'canceled']);
/** GitLab's deployment state machine: which statuses each may move to. */
const NEXT: Record<SimDeploymentStatus, SimDeploymentStatus[]> = {
  created: ['running', 'success', 'failed', 'canceled'],
  running: ['success', 'failed', 'canceled'],
  success: [], failed: [], canceled: [],
};

function routeDeployments(ctx: RouteContext, p: SimProject, req: GitLabRequest, base: string): Reply {
  const { state, web } = ctx;
  const [, id] = req.rest;
  const q = req.query;
  if (req.method === 'POST' && id === undefined) {
    const environment = String(req.body.environment ?? '');
    const sha = String(req.body.sha ?? '');
    const ref = String(req.body.ref ?? '');
    const status = String(req.body.status ?? '') as SimDeploymentStatus;
    if (!environment || !sha || !ref || typeof req.body.tag !== 'boolean') return badRequest('environment, sha, ref and tag are missing or invalid');
    if (!DEPLOYMENT_STATUSES.has(status)) return badRequest('status does not have a valid value');
    if (!p.graph.commits.has(sha)) return badRequest({ sha: ['is not a commit of this project'] });
    const iid = [...state.deployments.values()].filter((x) => x.projectId === p.id).length + 1;
    const now = gitlabTime();
    const dep: SimGitLabDeployment = { id: state.nextId(), iid, projectId: p.id, environment, ref, sha, tag: req.body.tag, status, createdAt: now, updatedAt: now, history: [status] };
    state.deployments.set(dep.id, dep);
    return { status: 201, body: deploymentJson(web, p, dep) };
  }
  if (req.method === 'GET' && id === undefined) {
    const list = [...state.deployments.values()].filter((x) => x.projectId === p.id
      && (!q.get('environment') || x.environment === q.get('environment')) && (!q.get('status') || x.status === q.get('status')));
    return paged(byOrder(list, (x) => x.id, q).map((x) => deploymentJson(web, p, x)), q, `${base}/deployments`);
  }
  const dep = state.deployments.get(Number(id));
  if (!dep || dep.projectId !== p.id) return notFound('404 Deployment Not Found');
  if (req.method === 'GET') return { status: 200, body: deploymentJson(web, p, dep) };
  if (req.method === 'PUT') {
    const status = String(req.body.status ?? '') as SimDeploymentStatus;
    if (!DEPLOYMENT_STATUSES.has(status)) return badRequest('status does not have a valid value');
    if (!NEXT[dep.status].includes(status)) return badRequest(`Cannot transition status via :${status} from :${dep.status}`);
    dep.status = status;
    dep.updatedAt = gitlabTime();
    dep.history.push(status);
    return { status: 200, body: deploymentJson(web, p, dep) };
  }
  return notFound();
}
