import { dirEntryJson, fileContentJson, gitCommitJson, writtenContentJson } from './git-json.ts';
import { conflict, invalid, notFound, personName, stringField, type Reply } from './replies.ts';
import { applyChanges, blobSha, listDirectory, treeSha } from './repo-tree.ts';
import type { RouteContext, SimRequest } from './route-context.ts';
import type { SimRepo } from './sim-state.ts';

/** Who a commit made through the API is by when the body names nobody: the token's user, as the sim sees it. */
export const API_USER = 'deckhand[bot]';

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * `GET|PUT|DELETE /repos/{o}/{r}/contents/{path}`: read a file or list a directory at a ref; create, update or
 * delete one file as a new commit on a branch. Updating checks the blob sha the caller read — the optimistic
 * lock that keeps two writers from overwriting each other: without `sha` 422, with a stale one 409.
 */
export function routeContents(ctx: RouteContext, repo: SimRepo, req: SimRequest): Reply {
  const path = req.rest.slice(1).join('/').replace(/^\/+|\/+$/g, '');
  if (req.method === 'GET' || req.method === 'HEAD') return readContents(ctx, repo, path, req.query.get('ref') ?? repo.defaultBranch);
  if (req.method === 'PUT' || req.method === 'DELETE') return writeContents(ctx, repo, path, req);
  return notFound();
}

function readContents(ctx: RouteContext, repo: SimRepo, path: string, ref: string): Reply {
  const sha = repo.graph.resolve(ref);
  if (!sha) return notFound(`No commit found for the ref ${ref}`);
  const tree = repo.graph.treeOf(sha);
  const bytes = tree.get(path);
  if (bytes) return { status: 200, body: fileContentJson(ctx.base, repo.fullName, path, ref, bytes) };
  const entries = listDirectory(tree, path);
  if (!entries) return notFound();
  return { status: 200, body: entries.map((e) => dirEntryJson(ctx.base, repo.fullName, ref, e)) };
}

function writeContents(ctx: RouteContext, repo: SimRepo, path: string, req: SimRequest): Reply {
  const { body } = req;
  const deleting = req.method === 'DELETE';
  const message = stringField(body, 'message');
  if (message === undefined) return invalid('Invalid request.\n\n"message" wasn\'t supplied.');
  const content = stringField(body, 'content');
  if (!deleting && content === undefined) return invalid('Invalid request.\n\n"content" wasn\'t supplied.');
  if (content !== undefined && !BASE64.test(content)) return invalid('content is not valid Base64');
  if (path === '') return notFound();
  // The branch is checked before the sha, as GitHub does.
  const branch = stringField(body, 'branch') ?? repo.defaultBranch;
  const tip = repo.graph.branches.get(branch);
  if (!tip) return notFound(`Branch ${branch} not found`);
  const tree = repo.graph.treeOf(tip);
  const existing = tree.get(path);
  const sha = stringField(body, 'sha');
  if (existing) {
    if (sha === undefined) return invalid('Invalid request.\n\n"sha" wasn\'t supplied.');
    if (sha !== blobSha(existing)) return conflict(`${path} does not match ${sha}`);
  } else if (deleting) {
    return notFound();
  }
  const bytes = content === undefined ? null : Buffer.from(content.replace(/\s/g, ''), 'base64');
  const next = applyChanges(tree, new Map([[path, bytes]]));
  const author = personName(body, 'author') ?? personName(body, 'committer') ?? API_USER;
  const committer = personName(body, 'committer') ?? author;
  const commitSha = repo.graph.addCommit({ message, author, committer, parents: [tip], tree: next });
  repo.graph.branches.set(branch, commitSha);
  const commit = repo.graph.commits.get(commitSha);
  if (!commit) return { status: 500, body: { message: 'commit vanished' } };
  const commitBody = gitCommitJson(ctx.base, repo.fullName, commit, treeSha(next));
  if (bytes === null) return { status: 200, body: { content: null, commit: commitBody } };
  return { status: existing ? 200 : 201, body: { content: writtenContentJson(ctx.base, repo.fullName, path, branch, bytes), commit: commitBody } };
}
