import { commitJson } from './github-json.ts';
import { branchJson, commitWithFilesJson, gitCommitJson, refJson } from './git-json.ts';
import { invalid, notFound, paged, stringField, type Reply } from './replies.ts';
import { diffTrees, treeSha } from './repo-tree.ts';
import type { RouteContext, SimRequest } from './route-context.ts';
import type { SimRepo } from './sim-state.ts';

/**
 * Branches, commits and refs: `GET branches[/{b}]`, `GET commits[/{ref}]` (one commit with the files it changed
 * against its first parent; the list follows `sha` and filters by `path`), `GET git/commits/{sha}`, and
 * `POST git/refs`, `PATCH|DELETE git/refs/{heads|tags}/{name}` — creating, moving and deleting branches.
 */
export function routeGit(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const [a, b] = req.rest;
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (get && a === 'branches') return b === undefined ? listBranches(ctx, repo, req) : getBranch(ctx, repo, req.rest.slice(1).join('/'));
  if (get && a === 'commits') return b === undefined ? listCommits(ctx, repo, req) : getCommit(ctx, repo, req.rest.slice(1).join('/'));
  if (get && a === 'git' && b === 'commits' && req.rest[2] !== undefined) {
    const commit = repo.graph.commits.get(req.rest[2]);
    return commit ? { status: 200, body: gitCommitJson(ctx.base, repo.fullName, commit, treeSha(repo.graph.treeOf(commit.sha))) } : notFound();
  }
  if (a === 'git' && b === 'refs') {
    if (req.method === 'POST' && req.rest.length === 2) return createRef(ctx, repo, req);
    const ref = req.rest.slice(2).join('/');
    if (req.method === 'PATCH') return updateRef(ctx, repo, ref, req);
    if (req.method === 'DELETE') return deleteRef(repo, ref);
    if (get) return getRef(ctx, repo, ref);
  }
  return notFound();
}

function listBranches(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const list = [...repo.graph.branches].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([name, sha]) => ({ name, commit: { sha, url: `${ctx.base.api}/repos/${repo.fullName}/commits/${sha}` }, protected: false }));
  return paged(list, req.query, `${ctx.base.api}/repos/${repo.fullName}/branches`);
}

function getBranch(ctx: RouteContext, repo: SimRepo, name: string): Reply {
  const sha = repo.graph.branches.get(name);
  const commit = sha ? repo.graph.commits.get(sha) : undefined;
  return commit ? { status: 200, body: branchJson(ctx.base, repo.fullName, name, commit) } : notFound('Branch not found');
}

function getCommit(ctx: RouteContext, repo: SimRepo, ref: string): Reply {
  const sha = repo.graph.resolve(ref);
  const commit = sha ? repo.graph.commits.get(sha) : undefined;
  if (!commit) return invalid(`No commit found for SHA: ${ref}`);
  const parent = commit.parents[0];
  const files = diffTrees(parent ? repo.graph.treeOf(parent) : new Map(), repo.graph.treeOf(commit.sha));
  return { status: 200, body: commitWithFilesJson(ctx.base, repo.fullName, commit, files) };
}

/** Newest first from `sha` (default branch by default); with `path`, only commits that changed that file or directory. */
function listCommits(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const from = req.query.get('sha') ?? repo.defaultBranch;
  const head = repo.graph.resolve(from);
  if (!head) return notFound();
  const path = req.query.get('path')?.replace(/^\/+|\/+$/g, '');
  const touches = (sha: string): boolean => {
    if (!path) return true;
    const commit = repo.graph.commits.get(sha);
    const parent = commit?.parents[0];
    return diffTrees(parent ? repo.graph.treeOf(parent) : new Map(), repo.graph.treeOf(sha)).some((f) => f.path === path || f.path.startsWith(`${path}/`));
  };
  const list = [...repo.graph.ancestors(head)].filter(touches)
    .flatMap((sha) => { const c = repo.graph.commits.get(sha); return c ? [c] : []; })
    .sort((x, y) => y.seq - x.seq)
    .map((c) => commitJson(ctx.base, repo.fullName, c));
  return paged(list, req.query, `${ctx.base.api}/repos/${repo.fullName}/commits`);
}

/** `heads/x` → the branch map, `tags/x` → the tag map. */
function refTarget(repo: SimRepo, ref: string): { map: Map<string, string>; name: string } | undefined {
  const m = /^(?:refs\/)?(heads|tags)\/(.+)$/.exec(ref);
  if (!m?.[2]) return undefined;
  return { map: m[1] === 'heads' ? repo.graph.branches : repo.graph.tags, name: m[2] };
}

function getRef(ctx: RouteContext, repo: SimRepo, ref: string): Reply {
  const target = refTarget(repo, ref);
  const sha = target?.map.get(target.name);
  return target && sha ? { status: 200, body: refJson(ctx.base, repo.fullName, `refs/${ref.replace(/^refs\//, '')}`, sha) } : notFound();
}

function createRef(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const ref = stringField(req.body, 'ref') ?? '';
  const sha = stringField(req.body, 'sha') ?? '';
  if (!ref.startsWith('refs/') || ref.split('/').length < 3) return invalid(`${ref} is not a valid ref name.`);
  const target = refTarget(repo, ref);
  if (!target) return invalid(`${ref} is not a valid ref name.`);
  if (!repo.graph.commits.has(sha)) return invalid('Object does not exist');
  if (target.map.has(target.name)) return invalid('Reference already exists');
  target.map.set(target.name, sha);
  return { status: 201, body: refJson(ctx.base, repo.fullName, ref, sha) };
}

/** Moves a ref; without `force` only forward (the new commit must contain the old one), as `git push` would. */
function updateRef(ctx: RouteContext, repo: SimRepo, ref: string, req: SimRequest): Reply {
  const target = refTarget(repo, ref);
  const current = target?.map.get(target.name);
  if (!target || !current) return invalid('Reference does not exist');
  const sha = stringField(req.body, 'sha') ?? '';
  if (!repo.graph.commits.has(sha)) return invalid('Object does not exist');
  if (req.body.force !== true && !repo.graph.ancestors(sha).has(current)) return invalid('Update is not a fast forward');
  target.map.set(target.name, sha);
  return { status: 200, body: refJson(ctx.base, repo.fullName, `refs/${ref.replace(/^refs\//, '')}`, sha) };
}

function deleteRef(repo: SimRepo, ref: string): Reply {
  const target = refTarget(repo, ref);
  if (!target?.map.delete(target.name)) return invalid('Reference does not exist');
  return { status: 204 };
}
