import { applyChanges } from './repo-tree.ts';
import type { SimGitHubState } from './sim-state.ts';

/** A repository's files at one commit, as a clone at that revision would show them; or why there is none. */
export type SimGitCheckout =
  | { ok: true; sha: string; files: ReadonlyMap<string, string> }
  | { ok: false; message: string };

/** What the simulated Argo CD reads repositories through (its repo-server's clone, in-process). */
export interface SimGitReader {
  checkout(repoURL: string, revision: string): Promise<SimGitCheckout>;
}

/**
 * `owner/name` from a clone URL: `https://host/owner/name(.git)`, with or without the sim's `/_html` prefix.
 * The host is not checked — the sim is one GitHub, and configs written before its port is known name any host.
 */
export function repoNameOf(repoURL: string): string | undefined {
  let path: string;
  try {
    path = new URL(repoURL).pathname;
  } catch {
    path = repoURL.replace(/^git@[^:]+:/, '');
  }
  const parts = path.replace(/\.git\/?$/, '').split('/').filter(Boolean);
  const [owner, name] = parts.slice(-2);
  return owner && name ? `${owner}/${name}` : undefined;
}

export function simGitReader(state: SimGitHubState): SimGitReader {
  return {
    checkout(repoURL, revision) {
      const fullName = repoNameOf(repoURL);
      const [owner = '', name = ''] = fullName?.split('/') ?? [];
      const repo = state.repo(owner, name);
      if (!repo) return Promise.resolve({ ok: false, message: `repository not found: ${repoURL}` });
      const wanted = revision === '' || revision === 'HEAD' ? repo.defaultBranch : revision;
      const sha = repo.graph.resolve(wanted);
      if (!sha) return Promise.resolve({ ok: false, message: `Unable to resolve '${revision}' to a commit SHA` });
      const files = new Map([...repo.graph.treeOf(sha)].map(([path, bytes]) => [path, bytes.toString('utf8')]));
      return Promise.resolve({ ok: true, sha, files });
    },
  };
}

/** Commits file changes (text, or null to delete) on a branch as `author` — a "human" commit for tests and scripts. */
export function commitToBranch(state: SimGitHubState, repoName: string, o: { branch?: string; files: Record<string, string | null>; message: string; author?: string }): string {
  const [owner = '', name = ''] = repoName.split('/');
  const repo = state.repo(owner, name);
  if (!repo) throw new Error(`the simulated GitHub has no repository ${repoName}`);
  const branch = o.branch ?? repo.defaultBranch;
  const tip = repo.graph.branches.get(branch);
  if (!tip) throw new Error(`${repoName} has no branch ${branch}`);
  const changes = new Map(Object.entries(o.files).map(([path, text]) => [path, text === null ? null : Buffer.from(text, 'utf8')]));
  const sha = repo.graph.addCommit({ message: o.message, author: o.author ?? 'alice', parents: [tip], tree: applyChanges(repo.graph.treeOf(tip), changes) });
  repo.graph.branches.set(branch, sha);
  return sha;
}
