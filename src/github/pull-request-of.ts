/** A pull request as a commit message reveals it. */
export interface PullRequestRef {
  number: number;
  title: string;
}

const MERGE = /^Merge pull request #(\d+) from \S+/;
const SQUASH = /^(.*\S)\s+\(#(\d+)\)$/;

/**
 * The pull request a mainline commit merged, read from its message the way GitHub writes it: a merge commit
 * (`Merge pull request #12 from acme/branch`, the PR title on the first body line) or a squash merge
 * (`feat: retries (#12)`). Undefined for a direct commit.
 */
export function pullRequestOf(message: string): PullRequestRef | undefined {
  const [subject = '', ...rest] = message.split('\n');
  const merge = MERGE.exec(subject);
  if (merge) {
    const title = rest.map((l) => l.trim()).find((l) => l.length > 0) ?? subject;
    return { number: Number(merge[1]), title };
  }
  const squash = SQUASH.exec(subject.trim());
  if (squash) return { number: Number(squash[2]), title: squash[1] ?? '' };
  return undefined;
}
