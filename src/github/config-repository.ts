import { Octokit } from '@octokit/rest';
import { DeckhandError } from '../errors.ts';
import { callGitHub, RateLimitGate } from './call-github.ts';
import type { GitHubClientOptions } from './create-github-client.ts';
import type { ConfigRepository, FileUpdate, PullRequestInfo, RepoCommit, RepoFile, RepoRef } from './types.ts';

/** The HTTP status of a failed Octokit request, duck-typed so nothing outside this folder sees its error class. */
function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('status' in err)) return undefined;
  return typeof err.status === 'number' ? err.status : undefined;
}

/** The reason GitHub gave with a refusal (`message` of its JSON body), for the card. */
function reasonOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'response' in err) {
    const response = err.response;
    if (typeof response === 'object' && response !== null && 'data' in response) {
      const data = response.data;
      if (typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string') return data.message;
    }
  }
  return 'GitHub gave no reason';
}

/** Runs `request`; the statuses in `expected` come back as values (`{status}`), everything else as `callGitHub` maps it. */
async function expecting<T>(gate: RateLimitGate, what: string, expected: readonly number[], request: () => Promise<T>): Promise<{ ok: T } | { status: number; reason: string }> {
  return callGitHub(gate, what, async () => {
    try {
      return { ok: await request() };
    } catch (err) {
      const status = statusOf(err);
      if (status !== undefined && expected.includes(status)) return { status, reason: reasonOf(err) };
      throw err;
    }
  });
}

function toCommit(c: { sha: string; html_url: string; commit: { message: string } }): RepoCommit {
  return { sha: c.sha, url: c.html_url, message: c.commit.message };
}

function toPullRequest(p: { number: number; html_url: string; head: { sha: string }; state: string; merged?: boolean | null; merged_at?: string | null; merge_commit_sha?: string | null }): PullRequestInfo {
  // The list endpoint has no `merged`; `merged_at` says the same there.
  const merged = p.merged ?? (p.merged_at !== null && p.merged_at !== undefined);
  return {
    number: p.number, url: p.html_url, headSha: p.head.sha, state: p.state === 'closed' ? 'closed' : 'open', merged,
    ...(merged && p.merge_commit_sha && { mergeSha: p.merge_commit_sha }),
  };
}

/**
 * The GitOps config repository over @octokit/rest: files through the contents API (every write names the blob sha it
 * replaces, so GitHub refuses one that would overwrite a commit Deckhand has not seen), branches, pull requests and
 * their merge. Like the GitHub client it never sleeps: rate limits fail fast with `github_rate_limited`.
 */
export function createConfigRepository(options: Omit<GitHubClientOptions, 'log'> = {}): ConfigRepository {
  const octokit = new Octokit({
    ...(options.token !== undefined && { auth: options.token }),
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl.replace(/\/+$/, '') }),
    userAgent: 'deckhand',
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const gate = new RateLimitGate(options.now);
  const call = <T>(what: string, request: () => Promise<T>): Promise<T> => callGitHub(gate, what, request);

  async function readFile(r: RepoRef, path: string, ref: string): Promise<RepoFile> {
    const what = `${path} at ${ref} in ${r.owner}/${r.repo}`;
    const { data } = await call(what, () => octokit.rest.repos.getContent({ owner: r.owner, repo: r.repo, path, ref }));
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
      throw new DeckhandError('github_not_found', `${what} is not a file.`);
    }
    // Files over 1 MB come without content: a config file that large is not one Deckhand should be editing.
    if (data.encoding !== 'base64') throw new DeckhandError('github_api_error', `${what} is too large for the contents API (encoding ${data.encoding}).`);
    return { path, sha: data.sha, text: Buffer.from(data.content, 'base64').toString('utf8') };
  }

  const repository: ConfigRepository = {
    readFile,

    async updateFile(r, input): Promise<FileUpdate> {
      const attempts = Math.max(1, input.attempts ?? 3);
      let refusedAt: string | undefined;
      for (let attempt = 0; attempt < attempts; attempt++) {
        const file = await readFile(r, input.path, input.branch);
        const edit = input.edit(file);
        if (edit.kind === 'unchanged') return { kind: 'unchanged', file };
        if (edit.kind === 'stop') return { kind: 'stopped', reason: edit.reason, file };
        const written = await expecting(gate, `a commit to ${input.path} on ${input.branch} in ${r.owner}/${r.repo}`, [409], () => octokit.rest.repos.createOrUpdateFileContents({
          owner: r.owner, repo: r.repo, path: input.path, branch: input.branch, message: input.message, sha: file.sha,
          content: Buffer.from(edit.text, 'utf8').toString('base64'),
        }));
        // 409: the branch has a commit that changed the file since the read. Read it again and re-apply the edit on
        // top of it (the edit decides whether it still may), rather than write over that person's work. GitHub also
        // answers 409 when it will not take the commit at all (a protected branch: "Changes must be made through a
        // pull request"); a second 409 over the very blob that was read is that refusal, said as GitHub said it.
        if ('status' in written) {
          if (refusedAt === file.sha) return { kind: 'stopped', reason: `GitHub refused the commit to ${input.branch}: ${written.reason}`, file };
          refusedAt = file.sha;
          continue;
        }
        const c = written.ok.data.commit;
        return { kind: 'committed', commit: { sha: c.sha ?? '', url: c.html_url ?? '', message: c.message ?? input.message }, rebased: attempt };
      }
      return { kind: 'contended', attempts };
    },

    async listFileCommits(r, branch, path, limit) {
      const { data } = await call(`commits of ${path} on ${branch} in ${r.owner}/${r.repo}`, () => octokit.rest.repos.listCommits({ owner: r.owner, repo: r.repo, sha: branch, path, per_page: Math.min(100, limit) }));
      return data.slice(0, limit).map(toCommit);
    },

    async branchHead(r, branch) {
      const { data } = await call(`branch ${branch} of ${r.owner}/${r.repo}`, () => octokit.rest.git.getRef({ owner: r.owner, repo: r.repo, ref: `heads/${branch}` }));
      return data.object.sha;
    },

    async createBranch(r, branch, sha) {
      const made = await expecting(gate, `branch ${branch} in ${r.owner}/${r.repo}`, [422], () => octokit.rest.git.createRef({ owner: r.owner, repo: r.repo, ref: `refs/heads/${branch}`, sha }));
      return 'ok' in made ? 'created' : 'exists';
    },

    async openPullRequest(r, input) {
      const what = `a pull request from ${input.head} to ${input.base} in ${r.owner}/${r.repo}`;
      const made = await expecting(gate, what, [422], () => octokit.rest.pulls.create({ owner: r.owner, repo: r.repo, ...input }));
      if ('ok' in made) return toPullRequest(made.ok.data);
      // 422 is GitHub's "a pull request already exists" (a step run again after a crash): that one is ours.
      const { data } = await call(what, () => octokit.rest.pulls.list({ owner: r.owner, repo: r.repo, head: `${r.owner}:${input.head}`, base: input.base, state: 'open' }));
      const open = data[0];
      if (!open) throw new DeckhandError('github_api_error', `GitHub refused ${what}: ${made.reason}.`);
      return toPullRequest(open);
    },

    async getPullRequest(r, number) {
      const { data } = await call(`pull request #${number} in ${r.owner}/${r.repo}`, () => octokit.rest.pulls.get({ owner: r.owner, repo: r.repo, pull_number: number }));
      return toPullRequest(data);
    },

    async mergePullRequest(r, number, input) {
      const what = `the merge of pull request #${number} in ${r.owner}/${r.repo}`;
      // Squashed, so the branch gets one commit whose message names the deploy (found again after a crash).
      const merged = await expecting(gate, what, [405, 409], () => octokit.rest.pulls.merge({
        owner: r.owner, repo: r.repo, pull_number: number, sha: input.sha, merge_method: 'squash', commit_title: input.title, commit_message: input.message,
      }));
      if ('status' in merged) return merged.status === 405 ? { kind: 'not_mergeable', message: merged.reason } : { kind: 'head_changed', message: merged.reason };
      return { kind: 'merged', commit: await repository.getCommit(r, merged.ok.data.sha) };
    },

    async closePullRequest(r, number) {
      // 422: GitHub will not change a merged pull request; it is closed already, which is all this asks.
      await expecting(gate, `closing pull request #${number} in ${r.owner}/${r.repo}`, [422], () => octokit.rest.pulls.update({ owner: r.owner, repo: r.repo, pull_number: number, state: 'closed' }));
    },

    async getCommit(r, sha) {
      const { data } = await call(`commit ${sha.slice(0, 7)} in ${r.owner}/${r.repo}`, () => octokit.rest.repos.getCommit({ owner: r.owner, repo: r.repo, ref: sha }));
      return toCommit(data);
    },
  };
  return repository;
}
