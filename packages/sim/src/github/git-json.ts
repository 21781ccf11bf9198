import { commitJson, repoJson, type JsonBase } from './github-json.ts';
import type { SimPull } from './pull-requests.ts';
import type { SimCommit } from './repo-graph.ts';
import { blobSha, type DirEntry, type FileChange } from './repo-tree.ts';

/**
 * Wire shapes of GitHub's contents, branches, refs and pull requests API, named and nested as api.github.com
 * answers them (trimmed to what clients read).
 */

function fileLinks(b: JsonBase, repo: string, path: string, ref: string, sha: string, type: 'file' | 'dir') {
  const self = `${b.api}/repos/${repo}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${b.html}/${repo}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${path}`;
  const git = `${b.api}/repos/${repo}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
  return { url: self, html_url: html, git_url: git, download_url: type === 'file' ? `${b.html}/${repo}/raw/${ref}/${path}` : null, _links: { self, git, html } };
}

/** `GET …/contents/{file}`: the file with its bytes base64-encoded (in 60-column lines, as GitHub sends them). */
export function fileContentJson(b: JsonBase, repo: string, path: string, ref: string, bytes: Buffer) {
  const sha = blobSha(bytes);
  const encoded = bytes.toString('base64').replace(/.{60}/g, '$&\n');
  return { type: 'file', encoding: 'base64', size: bytes.length, name: path.split('/').at(-1) ?? path, path, content: encoded.endsWith('\n') || encoded === '' ? encoded : `${encoded}\n`, sha, ...fileLinks(b, repo, path, ref, sha, 'file') };
}

/** One entry of a directory listing (`GET …/contents/{dir}` answers an array of these). */
export function dirEntryJson(b: JsonBase, repo: string, ref: string, entry: DirEntry) {
  const sha = entry.bytes ? blobSha(entry.bytes) : blobSha(Buffer.from(`dir:${entry.path}`));
  return { type: entry.type, size: entry.bytes?.length ?? 0, name: entry.name, path: entry.path, sha, ...fileLinks(b, repo, entry.path, ref, sha, entry.type) };
}

/** The `content` half of a PUT contents answer: the file as stored, without its bytes. */
export function writtenContentJson(b: JsonBase, repo: string, path: string, ref: string, bytes: Buffer) {
  const sha = blobSha(bytes);
  return { name: path.split('/').at(-1) ?? path, path, sha, size: bytes.length, type: 'file', ...fileLinks(b, repo, path, ref, sha, 'file') };
}

/** A git commit object (`commit` of a PUT contents answer, `GET …/git/commits/{sha}`). */
export function gitCommitJson(b: JsonBase, repo: string, c: SimCommit, treeId: string) {
  const person = (name: string) => ({ name, email: `${name}@users.noreply.github.com`, date: c.date });
  return {
    sha: c.sha, node_id: `C_${c.sha.slice(0, 12)}`, url: `${b.api}/repos/${repo}/git/commits/${c.sha}`, html_url: `${b.html}/${repo}/commit/${c.sha}`,
    author: person(c.author), committer: person(c.committer ?? c.author), message: c.message,
    tree: { sha: treeId, url: `${b.api}/repos/${repo}/git/trees/${treeId}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${b.api}/repos/${repo}/git/commits/${p}`, html_url: `${b.html}/${repo}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
  };
}

/** `GET …/commits/{ref}`: the commit with the files it changed against its first parent. */
export function commitWithFilesJson(b: JsonBase, repo: string, c: SimCommit, files: FileChange[]) {
  const entries = files.map((f) => {
    const { additions, deletions } = countLineChanges(f.before, f.after);
    const sha = f.after ? blobSha(f.after) : blobSha(f.before ?? Buffer.alloc(0));
    return {
      sha, filename: f.path, status: f.status, additions, deletions, changes: additions + deletions,
      blob_url: `${b.html}/${repo}/blob/${c.sha}/${f.path}`, raw_url: `${b.html}/${repo}/raw/${c.sha}/${f.path}`,
      contents_url: `${b.api}/repos/${repo}/contents/${f.path}?ref=${c.sha}`,
    };
  });
  const additions = entries.reduce((n, f) => n + f.additions, 0);
  const deletions = entries.reduce((n, f) => n + f.deletions, 0);
  const base = commitJson(b, repo, c);
  return { ...base, commit: { ...base.commit, committer: { ...base.commit.committer, name: c.committer ?? c.author } }, stats: { total: additions + deletions, additions, deletions }, files: entries };
}

export function branchJson(b: JsonBase, repo: string, name: string, c: SimCommit) {
  return { name, commit: commitJson(b, repo, c), _links: { self: `${b.api}/repos/${repo}/branches/${name}`, html: `${b.html}/${repo}/tree/${name}` }, protected: false, protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } }, protection_url: `${b.api}/repos/${repo}/branches/${name}/protection` };
}

export function refJson(b: JsonBase, repo: string, ref: string, sha: string) {
  return { ref, node_id: `REF_${ref}`, url: `${b.api}/repos/${repo}/git/${ref}`, object: { sha, type: 'commit', url: `${b.api}/repos/${repo}/git/commits/${sha}` } };
}

export interface PullView {
  headSha: string;
  baseSha: string;
  /** null while GitHub is still computing it (right after creation). */
  mergeable: boolean | null;
  commits: number;
  changedFiles: number;
}

export function pullJson(b: JsonBase, repo: string, p: SimPull, view: PullView) {
  const [owner = ''] = repo.split('/');
  const person = { login: p.author, id: p.author.length * 7919, type: p.author.endsWith('[bot]') ? 'Bot' : 'User', html_url: `${b.html}/${p.author}` };
  const side = (ref: string, sha: string) => ({ label: `${owner}:${ref}`, ref, sha, user: repoJson(b, repo).owner, repo: repoJson(b, repo) });
  const mergeableState = p.state === 'closed' ? 'unknown' : view.mergeable === null ? 'unknown' : view.mergeable ? 'clean' : 'dirty';
  return {
    url: `${b.api}/repos/${repo}/pulls/${p.number}`, id: p.number * 1_000_003, node_id: `PR_${p.number}`, number: p.number,
    html_url: `${b.html}/${repo}/pull/${p.number}`, diff_url: `${b.html}/${repo}/pull/${p.number}.diff`, patch_url: `${b.html}/${repo}/pull/${p.number}.patch`,
    state: p.state, locked: false, title: p.title, body: p.body, user: person, draft: false,
    created_at: p.createdAt, updated_at: p.updatedAt, closed_at: p.closedAt, merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha, merged: p.merged, mergeable: p.state === 'closed' ? null : view.mergeable, rebaseable: p.state === 'closed' ? null : view.mergeable,
    mergeable_state: mergeableState, merged_by: p.mergedBy ? { login: p.mergedBy, type: p.mergedBy.endsWith('[bot]') ? 'Bot' : 'User' } : null,
    head: side(p.head, view.headSha), base: side(p.base, view.baseSha),
    commits: view.commits, additions: 0, deletions: 0, changed_files: view.changedFiles,
    commits_url: `${b.api}/repos/${repo}/pulls/${p.number}/commits`, statuses_url: `${b.api}/repos/${repo}/statuses/${view.headSha}`,
  };
}

/** Lines added and removed, counted outside the common first and last lines — exact for the edits configs get. */
function countLineChanges(before?: Buffer, after?: Buffer): { additions: number; deletions: number } {
  const lines = (buf?: Buffer) => (buf ? buf.toString('utf8').replace(/\n$/, '').split('\n') : []);
  const a = lines(before);
  const b = lines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { additions: b.length - start - end, deletions: a.length - start - end };
}
