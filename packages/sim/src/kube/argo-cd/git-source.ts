/** A repository's files at one commit (a clone at that revision), or why there is none. */
export type GitCheckout =
  | { ok: true; sha: string; files: ReadonlyMap<string, string> }
  | { ok: false; message: string };

/**
 * Where the simulated Argo CD reads its repositories: `checkout(repoURL, revision)` resolves a branch, tag, sha
 * or `HEAD` and answers the files there. The simulated GitHub's `git` member is one (in-process, no HTTP).
 */
export interface GitSource {
  checkout(repoURL: string, revision: string): Promise<GitCheckout>;
}
