import type { RepoGraph } from './repo-graph.ts';
import { mergeTrees } from './repo-tree.ts';

export interface SimPull {
  number: number;
  title: string;
  body: string;
  author: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The head and base tips when the pull request was merged or closed, so it still reads as it was. */
  frozen?: { headSha: string; baseSha: string };
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export type PullMergeOutcome =
  | { kind: 'merged'; sha: string }
  | { kind: 'head_moved' }
  | { kind: 'not_mergeable'; conflicts: string[] };

/**
 * Whether a pull request's head merges cleanly into its base: a file-level three-way merge from their merge
 * base (see mergeTrees). `null` while GitHub would still be computing it is the route's business, not this.
 */
export function pullConflicts(graph: RepoGraph, pull: SimPull): string[] {
  const head = graph.branches.get(pull.head);
  const base = graph.branches.get(pull.base);
  if (!head || !base) return [];
  const mergeBase = graph.mergeBase(head, base);
  const result = mergeTrees(mergeBase ? graph.treeOf(mergeBase) : new Map(), graph.treeOf(base), graph.treeOf(head));
  return result.ok ? [] : result.conflicts;
}

/**
 * Merges a pull request as GitHub's merge button does: a merge commit (two parents), a squash (one commit with
 * the combined change) or a rebase (the head's commits replayed on the base). Moves the base branch; the head
 * branch stays. `expectedHeadSha` is the optimistic lock of `PUT …/merge {sha}`.
 */
export function mergePull(graph: RepoGraph, pull: SimPull, o: { method: MergeMethod; expectedHeadSha?: string; title?: string; message?: string; mergedBy: string; now: string }): PullMergeOutcome {
  const head = graph.branches.get(pull.head);
  const base = graph.branches.get(pull.base);
  if (!head || !base) return { kind: 'not_mergeable', conflicts: [] };
  if (o.expectedHeadSha !== undefined && o.expectedHeadSha !== head) return { kind: 'head_moved' };
  const mergeBase = graph.mergeBase(head, base);
  const merged = mergeTrees(mergeBase ? graph.treeOf(mergeBase) : new Map(), graph.treeOf(base), graph.treeOf(head));
  if (!merged.ok) return { kind: 'not_mergeable', conflicts: merged.conflicts };
  let sha: string;
  switch (o.method) {
    case 'merge': {
      const title = o.title ?? `Merge pull request #${pull.number} from ${pull.head}`;
      sha = graph.addCommit({ message: `${title}\n\n${o.message ?? pull.title}`, author: o.mergedBy, committer: 'web-flow', parents: [base, head], tree: merged.tree });
      break;
    }
    case 'squash': {
      const title = o.title ?? `${pull.title} (#${pull.number})`;
      sha = graph.addCommit({ message: o.message ? `${title}\n\n${o.message}` : title, author: pull.author, committer: 'web-flow', parents: [base], tree: merged.tree });
      break;
    }
    case 'rebase': {
      // Each head commit's change, replayed in order on the base; a clean pull request replays cleanly.
      sha = base;
      for (const c of graph.between(base, head)) {
        if (c.parents.length > 1) continue;
        const parent = c.parents[0];
        const step = mergeTrees(parent ? graph.treeOf(parent) : new Map(), graph.treeOf(sha), graph.treeOf(c.sha));
        if (!step.ok) return { kind: 'not_mergeable', conflicts: step.conflicts };
        sha = graph.addCommit({ message: c.message, author: c.author, committer: 'web-flow', parents: [sha], tree: step.tree });
      }
      break;
    }
    default: {
      const never: never = o.method;
      throw new Error(`unknown merge method ${String(never)}`);
    }
  }
  graph.branches.set(pull.base, sha);
  Object.assign(pull, { state: 'closed', merged: true, mergedAt: o.now, mergedBy: o.mergedBy, mergeCommitSha: sha, closedAt: o.now, updatedAt: o.now, frozen: { headSha: head, baseSha: base } });
  return { kind: 'merged', sha };
}
