/** A merged merge request as release notes name it. */
export interface MergedRequest {
  iid: number;
  title: string;
}

/**
 * Merged merge requests by the commit that landed them on the target branch: the merge commit, the squash commit,
 * or (fast-forward merges) the head of the request. A compare's commits are then named by their request.
 */
export function mergeRequestsByCommit(list: readonly { iid: number; title: string; merge_commit_sha?: string | null; squash_commit_sha?: string | null; sha?: string | null }[]): Map<string, MergedRequest> {
  const out = new Map<string, MergedRequest>();
  for (const mr of list) {
    const named = { iid: mr.iid, title: mr.title };
    for (const sha of [mr.sha, mr.squash_commit_sha, mr.merge_commit_sha]) if (sha) out.set(sha, named);
  }
  return out;
}

const SEE_MR = /^See merge request \S+!(\d+)\s*$/m;

/**
 * The merge request a merge commit names in GitLab's default merge commit message (`Merge branch 'x' into 'main'`,
 * the title, `See merge request group/name!12`), for a request older than the merged ones Deckhand lists.
 */
export function mergeRequestOfMessage(message: string): MergedRequest | undefined {
  const seen = SEE_MR.exec(message);
  if (!seen) return undefined;
  const [, ...rest] = message.split('\n');
  const title = rest.map((l) => l.trim()).find((l) => l.length > 0 && !SEE_MR.test(l)) ?? message.split('\n')[0] ?? '';
  return { iid: Number(seen[1]), title };
}
