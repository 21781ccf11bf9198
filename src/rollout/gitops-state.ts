import { z } from 'zod';
import type { Deploy } from '../deploy/index.ts';
import { readState } from './schema.ts';

const Epoch = z.number();
const ImageTag = z.object({ tag: z.string(), digest: z.string().optional() }).strict();

/** A commit Deckhand made (or adopted) in the config repository. */
const Commit = z.object({ sha: z.string(), url: z.string() }).strict();

/**
 * What a GitOps deploy records, under `state.gitops` (the state bag is shared with the build and release steps).
 * `purpose` says which change is being written or followed: the deploy's own (`deploy`, or `rollback` for a
 * /rollback), or the revert commit that undoes it after a failure or an abort (`revert`).
 */
export const GitOpsState = z.object({
  purpose: z.enum(['deploy', 'rollback', 'revert']),
  /** The tag the file had when the deploy read it: what a revert puts back, and what a write expects to replace. */
  fromTag: ImageTag.optional(),
  /** The tag the deploy (or rollback) sets. */
  toTag: ImageTag.optional(),
  /** Waiting for another deploy's lock on the same file since then. */
  lockWaitSince: Epoch.optional(),
  lockedBy: z.string().optional(),
  /** A pull request carrying the change (`via: pull-request`). */
  pr: z.object({ number: z.number().int(), url: z.string() }).strict().optional(),
  /** When the current change was started (its write, then its merge and sync, are timed from here). */
  changeStartedAt: Epoch.optional(),
  notMergeableSince: Epoch.optional(),
  commit: Commit.optional(),
  /** When the change was found on the branch (written, merged or adopted): Argo CD's reports from before it are stale. */
  writtenAt: Epoch.optional(),
  /** Newer commits the write was re-applied over (GitHub answered 409). */
  rebased: z.number().int().optional(),
  /** The forward commit, kept when a revert commit replaces `commit`. */
  deployCommit: Commit.optional(),
  refreshed: z.boolean().optional(),
  /** The newest synced revision found to carry (or not) the tag: read once per revision, not on every look. */
  revisionChecked: z.object({ sha: z.string(), hasTag: z.boolean() }).strict().optional(),
  /** The last Argo CD status line put on the card: a new note only when it changes. */
  lastReport: z.string().optional(),
  /** Why the deploy is being reverted. */
  failure: z.string().optional(),
}).strict();
export type GitOpsState = z.infer<typeof GitOpsState>;

const Bag = z.object({ gitops: GitOpsState.optional() });

/** The GitOps state of a deploy, checked; absent before `start` recorded it. */
export function readGitOpsState(d: Deploy): GitOpsState | undefined {
  return readState(Bag, d, 'gitops').gitops;
}
