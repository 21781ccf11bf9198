import { commitJson } from './github-json.ts';
import { pullJson, type PullView } from './git-json.ts';
import { mergePull, pullConflicts, type MergeMethod, type SimPull } from './pull-requests.ts';
import { API_USER } from './contents-routes.ts';
import { conflict, invalid, notAllowed, notFound, paged, stringField, validationFailed, type Reply } from './replies.ts';
import { diffTrees } from './repo-tree.ts';
import type { RouteContext, SimRequest } from './route-context.ts';
import { githubTime, type SimRepo } from './sim-state.ts';

const MERGE_METHODS: ReadonlySet<string> = new Set<MergeMethod>(['merge', 'squash', 'rebase']);

function isMergeMethod(value: string): value is MergeMethod {
  return MERGE_METHODS.has(value);
}

/**
 * Pull requests: `POST pulls`, `GET pulls[?state&head&base]`, `GET|PATCH pulls/{n}`, `GET pulls/{n}/commits|files`,
 * `GET|PUT pulls/{n}/merge`. `mergeable` is null in the creation answer (GitHub computes it in the background)
 * and known on every read after; a merge with a stale `sha` is 409, one with conflicting changes 405.
 */
export function routePulls(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const [, id, sub] = req.rest;
  if (id === undefined) {
    if (req.method === 'POST') return createPull(ctx, repo, req);
    if (req.method === 'GET' || req.method === 'HEAD') return listPulls(ctx, repo, req);
    return notFound();
  }
  const pull = repo.pulls.find((p) => String(p.number) === id);
  if (!pull) return notFound();
  if (sub === undefined && req.method === 'GET') return { status: 200, body: pullJson(ctx.base, repo.fullName, pull, viewOf(repo, pull)) };
  if (sub === undefined && req.method === 'PATCH') return editPull(ctx, repo, pull, req);
  if (sub === 'merge' && req.method === 'GET') return pull.merged ? { status: 204 } : notFound();
  if (sub === 'merge' && req.method === 'PUT') return mergeRoute(repo, pull, req);
  if (sub === 'commits' && req.method === 'GET') {
    const { headSha, baseSha } = viewOf(repo, pull);
    const base = repo.graph.mergeBase(headSha, baseSha) ?? baseSha;
    return paged(repo.graph.between(base, headSha).map((c) => commitJson(ctx.base, repo.fullName, c)), req.query, `${ctx.base.api}/repos/${repo.fullName}/pulls/${pull.number}/commits`);
  }
  if (sub === 'files' && req.method === 'GET') {
    const files = changedFiles(repo, pull).map((f) => ({ filename: f.path, status: f.status }));
    return paged(files, req.query, `${ctx.base.api}/repos/${repo.fullName}/pulls/${pull.number}/files`);
  }
  return notFound();
}

function viewOf(repo: SimRepo, pull: SimPull, mergeableKnown = true): PullView {
  const headSha = pull.frozen?.headSha ?? repo.graph.branches.get(pull.head) ?? '';
  const baseSha = pull.frozen?.baseSha ?? repo.graph.branches.get(pull.base) ?? '';
  const mergeBase = repo.graph.mergeBase(headSha, baseSha) ?? baseSha;
  return {
    headSha, baseSha,
    mergeable: mergeableKnown ? pullConflicts(repo.graph, pull).length === 0 : null,
    commits: repo.graph.between(mergeBase, headSha).length,
    changedFiles: changedFiles(repo, pull).length,
  };
}

function changedFiles(repo: SimRepo, pull: SimPull) {
  const headSha = pull.frozen?.headSha ?? repo.graph.branches.get(pull.head) ?? '';
  const baseSha = pull.frozen?.baseSha ?? repo.graph.branches.get(pull.base) ?? '';
  const mergeBase = repo.graph.mergeBase(headSha, baseSha) ?? baseSha;
  return diffTrees(repo.graph.treeOf(mergeBase), repo.graph.treeOf(headSha));
}

/** `owner:branch` or `branch` → branch, for this repository (forks are not simulated). */
function branchOf(repo: SimRepo, head: string): string {
  const [owner, ...rest] = head.split(':');
  return rest.length > 0 && owner?.toLowerCase() === repo.fullName.split('/')[0]?.toLowerCase() ? rest.join(':') : head;
}

/** Numbers continue after the highest `#n` the seeded history mentions, so links never collide with those. */
function nextNumber(repo: SimRepo): number {
  let highest = repo.pulls.reduce((n, p) => Math.max(n, p.number), 0);
  for (const c of repo.graph.commits.values()) for (const m of c.message.matchAll(/#(\d+)/g)) highest = Math.max(highest, Number(m[1]));
  return highest + 1;
}

function createPull(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const title = stringField(req.body, 'title');
  const head = branchOf(repo, stringField(req.body, 'head') ?? '');
  const base = stringField(req.body, 'base') ?? '';
  if (!title) return validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
  const headSha = repo.graph.branches.get(head);
  const baseSha = repo.graph.branches.get(base);
  if (!headSha) return validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  if (!baseSha) return validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
  if (repo.graph.between(baseSha, headSha).length === 0) return validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }]);
  if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
    return validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.fullName.split('/')[0]}:${head}.` }]);
  }
  const now = githubTime();
  const pull: SimPull = {
    number: nextNumber(repo), title, body: stringField(req.body, 'body') ?? '', author: API_USER, head, base, state: 'open',
    merged: false, mergedAt: null, mergedBy: null, mergeCommitSha: null, closedAt: null, createdAt: now, updatedAt: now,
  };
  repo.pulls.push(pull);
  return { status: 201, body: pullJson(ctx.base, repo.fullName, pull, viewOf(repo, pull, false)) };
}

function listPulls(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const q = req.query;
  const state = q.get('state') ?? 'open';
  const head = q.get('head');
  const list = repo.pulls
    .filter((p) => (state === 'all' || p.state === state) && (!head || p.head === branchOf(repo, head)) && (!q.get('base') || p.base === q.get('base')))
    .sort((x, y) => y.number - x.number)
    .map((p) => pullJson(ctx.base, repo.fullName, p, viewOf(repo, p)));
  return paged(list, q, `${ctx.base.api}/repos/${repo.fullName}/pulls`);
}

function editPull(ctx: RouteContext, repo: SimRepo, pull: SimPull, req: SimRequest): Reply {
  const state = stringField(req.body, 'state');
  if (state !== undefined && state !== 'open' && state !== 'closed') return validationFailed([{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
  if (pull.merged && state === 'open') return invalid('state cannot be changed. The pull request cannot be reopened.');
  const now = githubTime();
  pull.title = stringField(req.body, 'title') ?? pull.title;
  pull.body = stringField(req.body, 'body') ?? pull.body;
  if (state === 'closed' && pull.state === 'open') {
    pull.frozen = { headSha: repo.graph.branches.get(pull.head) ?? '', baseSha: repo.graph.branches.get(pull.base) ?? '' };
    Object.assign(pull, { state: 'closed', closedAt: now });
  } else if (state === 'open' && pull.state === 'closed') {
    delete pull.frozen;
    Object.assign(pull, { state: 'open', closedAt: null });
  }
  pull.updatedAt = now;
  return { status: 200, body: pullJson(ctx.base, repo.fullName, pull, viewOf(repo, pull)) };
}

function mergeRoute(repo: SimRepo, pull: SimPull, req: SimRequest): Reply {
  if (pull.state !== 'open') return notAllowed('Pull Request is not mergeable');
  const method = stringField(req.body, 'merge_method') ?? 'merge';
  if (!isMergeMethod(method)) return validationFailed([{ resource: 'PullRequest', field: 'merge_method', code: 'invalid' }]);
  const expected = stringField(req.body, 'sha');
  const title = stringField(req.body, 'commit_title');
  const message = stringField(req.body, 'commit_message');
  const outcome = mergePull(repo.graph, pull, {
    method, mergedBy: API_USER, now: githubTime(),
    ...(expected !== undefined && { expectedHeadSha: expected }), ...(title !== undefined && { title }), ...(message !== undefined && { message }),
  });
  switch (outcome.kind) {
    case 'merged': return { status: 200, body: { sha: outcome.sha, merged: true, message: 'Pull Request successfully merged' } };
    case 'head_moved': return conflict('Head branch was modified. Review and try the merge again.');
    case 'not_mergeable': return notAllowed('Pull Request is not mergeable');
    default: {
      const never: never = outcome;
      throw new Error(`unknown merge outcome ${JSON.stringify(never)}`);
    }
  }
}
