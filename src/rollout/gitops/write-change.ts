import type { Deploy, Step, StepContext, StepResult } from '../../deploy/index.ts';
import { DeckhandError } from '../../errors.ts';
import type { FileEdit, FileUpdate, RepoCommit, RepoFile } from '../../github/index.ts';
import { readGitOpsState, type GitOpsState } from '../gitops-state.ts';
import { commitTrailers, gitopsState, isCommitOf, oneLine, placeOf, type GitOpsDeps, type GitOpsPlace } from './gitops-deps.ts';
import { shortSha } from './judge-sync.ts';
import { formatImageTag, readImageTag, sameImageTag, setImageTag, type ImageTag } from './set-image-tag.ts';

/** How far back on the branch a commit of this deploy is looked for before writing (a step run again after a crash). */
const ADOPT_LOOKBACK = 20;

/** What the change being written sets, and what it expects to find there (a person's change in between stops it). */
export function changeOf(s: GitOpsState): { to: ImageTag; expected: ImageTag | undefined } {
  const to = s.purpose === 'revert' ? s.fromTag : s.toTag;
  if (!to) throw new DeckhandError('deploy_invalid_state', 'This GitOps deploy recorded no tag to write; it needs a person.');
  return { to, expected: s.purpose === 'revert' ? s.toTag : s.fromTag };
}

/** The commit message: a conventional subject naming the deploy, the reason, and the trailers Deckhand finds it by. */
export function commitMessage(d: Deploy, s: GitOpsState): { title: string; body: string } {
  const { to } = changeOf(s);
  // Names, reasons and failures are other people's text: one line each, so none can fake a trailer or a paragraph.
  const by = oneLine(`${d.requestedBy.name} (${d.requestedBy.platform} ${d.requestedBy.id})`);
  const title = s.purpose === 'revert'
    ? `revert(${d.service}): ${to.tag} back in ${d.env} — Deckhand deploy ${d.id}`
    : `${s.purpose}(${d.service}): ${to.tag} ${s.purpose === 'rollback' ? 'in' : 'to'} ${d.env} — Deckhand deploy ${d.id} by ${by}`;
  const lines = [
    s.purpose === 'revert' ? `Puts back ${formatImageTag(to)}${s.failure ? `: ${oneLine(s.failure)}` : ''}.` : `Sets ${formatImageTag(to)}${d.reason ? `. Reason: ${oneLine(d.reason)}` : ''}.`,
    '',
    commitTrailers(d.id, s.purpose),
  ];
  return { title, body: lines.join('\n') };
}

/**
 * The edit applied to the file as it is on the branch — again to each newer text after a 409. It re-applies the
 * tag change over whatever else was committed meanwhile, but stops when the tag itself is no longer what the deploy
 * read: a person changed the very line, and Deckhand reports that instead of overwriting it.
 */
function tagEdit(place: GitOpsPlace, to: ImageTag, expected: ImageTag | undefined) {
  return (file: RepoFile): FileEdit => {
    const read = readImageTag(file.text, place.location);
    if (read.kind === 'missing') return { kind: 'stop', reason: `${place.delivery.path} ${read.message.replace(/^[a-z]+: /, '')}` };
    if (sameImageTag(read.current, to)) return { kind: 'unchanged' };
    if (expected && !sameImageTag(read.current, expected)) {
      return { kind: 'stop', reason: `someone changed the tag in ${place.delivery.path} to ${formatImageTag(read.current)} since Deckhand read ${formatImageTag(expected)}, and Deckhand does not overwrite it` };
    }
    const edited = setImageTag(file.text, place.location, to);
    return edited.kind === 'edited' ? { kind: 'write', text: edited.text } : { kind: 'stop', reason: edited.message };
  };
}

/** Ends the deploy and gives the file back to whoever waits for it. */
export async function endDeploy(deps: GitOpsDeps, place: GitOpsPlace, d: Deploy, result: StepResult & { kind: 'done' }): Promise<StepResult> {
  await deps.pathLocks.release(place.lock, d.id);
  return result;
}

/** The change could not be written: a deploy ends with nothing changed; a revert leaves the failed version for a person. */
function notWritten(deps: GitOpsDeps, place: GitOpsPlace, d: Deploy, s: GitOpsState, why: string): Promise<StepResult> {
  if (s.purpose === 'revert') {
    return endDeploy(deps, place, d, { kind: 'done', phase: 'failed', summary: `${s.failure ?? 'The deploy failed'}, and the revert to ${formatImageTag(s.fromTag ?? { tag: '?' })} was not committed: ${why}. ${d.service} in ${d.env} needs a person (commit ${shortSha(s.deployCommit?.sha)} is still on ${place.delivery.branch}).` });
  }
  return endDeploy(deps, place, d, { kind: 'done', phase: 'failed', summary: `Nothing was committed to ${place.delivery.branch} of ${place.delivery.repository}: ${why}.` });
}

/** The change is on the branch (or was already there): follow Argo CD to it. */
function written(ctx: StepContext, deps: GitOpsDeps, s: GitOpsState, place: GitOpsPlace, commit: RepoCommit | undefined, rebased: number): StepResult {
  const { to } = changeOf(s);
  const over = rebased ? ` (re-applied over ${rebased === 1 ? 'a newer commit' : `${rebased} newer commits`} to the file)` : '';
  const what = s.purpose === 'revert' ? 'Revert commit' : 'Commit';
  const message = commit
    ? `${what} ${shortSha(commit.sha)} on ${place.delivery.branch}: ${place.delivery.path} now sets ${formatImageTag(to)}${over}. ${commit.url}`
    : `${place.delivery.path} on ${place.delivery.branch} already sets ${formatImageTag(to)}; nothing to commit.`;
  ctx.emit({ kind: 'note', deploy: ctx.deploy, message });
  return { kind: 'next', step: 'follow', state: gitopsState(s, { ...(commit && { commit: { sha: commit.sha, url: commit.url } }), rebased, revisionChecked: undefined, lastReport: undefined, writtenAt: deps.now?.() ?? Date.now() }) };
}

/** The outcome of the file write, as the next step. */
async function afterUpdate(ctx: StepContext, deps: GitOpsDeps, place: GitOpsPlace, s: GitOpsState, u: FileUpdate): Promise<StepResult> {
  switch (u.kind) {
    case 'committed': return written(ctx, deps, s, place, u.commit, u.rebased);
    case 'unchanged': return written(ctx, deps, s, place, undefined, 0);
    case 'stopped': return notWritten(deps, place, ctx.deploy, s, u.reason);
    case 'contended': return notWritten(deps, place, ctx.deploy, s, `${place.delivery.path} kept changing under it (${u.attempts} tries)`);
  }
}

/**
 * `commit`: writes the change — straight onto the branch, or onto a branch of its own with a pull request that
 * `merge` merges. Run twice (a crash after the write), it finds its own commit by its trailers and adopts it.
 */
export function commitStep(deps: GitOpsDeps): Step {
  return async (ctx) => {
    const d = ctx.deploy;
    const s = readGitOpsState(d);
    const place = placeOf(deps, d);
    if (!s) throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} has no GitOps state; it needs a person.`);
    if (s.purpose !== 'revert' && d.steering.abort) {
      return endDeploy(deps, place, d, { kind: 'done', phase: 'aborted', summary: `Aborted by ${d.steering.abort.by} before anything was committed.` });
    }
    const { repo, delivery } = place;
    const mine = (await deps.repository.listFileCommits(repo, delivery.branch, delivery.path, ADOPT_LOOKBACK)).find((c) => isCommitOf(c.message, d.id, s.purpose));
    if (mine) return written(ctx, deps, s, place, mine, s.rebased ?? 0);
    const { to, expected } = changeOf(s);
    const { title, body } = commitMessage(d, s);
    const edit = tagEdit(place, to, expected);
    if (delivery.via === 'commit') {
      return afterUpdate(ctx, deps, place, s, await deps.repository.updateFile(repo, { path: delivery.path, branch: delivery.branch, message: `${title}\n\n${body}`, edit }));
    }
    const head = `deckhand/${d.service}-${d.env}-${d.id}-${s.purpose}`;
    const made = await deps.repository.createBranch(repo, head, await deps.repository.branchHead(repo, delivery.branch));
    const u = await deps.repository.updateFile(repo, { path: delivery.path, branch: head, message: `${title}\n\n${body}`, edit });
    // A new branch that already says it: the base branch has the change (a person made it), so no pull request.
    if (u.kind !== 'committed' && !(u.kind === 'unchanged' && made === 'exists')) return afterUpdate(ctx, deps, place, s, u);
    const pr = await deps.repository.openPullRequest(repo, { head, base: delivery.branch, title, body });
    ctx.emit({ kind: 'note', deploy: d, message: `Pull request #${pr.number} sets ${formatImageTag(to)} in ${delivery.path}; merging it. ${pr.url}` });
    return { kind: 'next', step: 'merge', state: gitopsState(s, { pr: { number: pr.number, url: pr.url }, rebased: u.kind === 'committed' ? u.rebased : 0 }) };
  };
}

/**
 * `merge`: merges the pull request once GitHub lets it (the policy already allowed the deploy at the gate). GitHub's
 * refusals are reported, never forced: 405 (checks pending or failing, protection, a conflict) is tried again until
 * the environment's `syncTimeout`; 409 (someone pushed to the pull request) stops the deploy.
 */
export function mergeStep(deps: GitOpsDeps): Step {
  return async (ctx) => {
    const d = ctx.deploy;
    const s = readGitOpsState(d);
    const place = placeOf(deps, d);
    if (!s?.pr) throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} has no pull request to merge; it needs a person.`);
    const { repo, delivery } = place;
    const now = deps.now?.() ?? Date.now();
    const pr = await deps.repository.getPullRequest(repo, s.pr.number);
    if (pr.merged && pr.mergeSha) return written(ctx, deps, s, place, await deps.repository.getCommit(repo, pr.mergeSha), s.rebased ?? 0);
    if (s.purpose !== 'revert' && d.steering.abort) {
      // Closed, not left open: a pull request that sets the tag is a deploy anyone could merge later, past the gate.
      if (pr.state === 'open') await deps.repository.closePullRequest(repo, pr.number);
      return endDeploy(deps, place, d, { kind: 'done', phase: 'aborted', summary: `Aborted by ${d.steering.abort.by} before the pull request was merged; nothing changed on ${delivery.branch} (pull request #${pr.number} was closed unmerged: ${pr.url}).` });
    }
    if (pr.state === 'closed') return notWritten(deps, place, d, s, `pull request #${pr.number} was closed without being merged (${pr.url})`);
    const { title, body } = commitMessage(d, s);
    const merge = await deps.repository.mergePullRequest(repo, pr.number, { sha: pr.headSha, title, message: body });
    switch (merge.kind) {
      case 'merged': return written(ctx, deps, s, place, merge.commit, s.rebased ?? 0);
      case 'head_changed': return notWritten(deps, place, d, s, `someone pushed to pull request #${pr.number} while Deckhand was merging it (${merge.message}); it was not merged (${pr.url})`);
      case 'not_mergeable': {
        const since = s.notMergeableSince ?? now;
        if (now - (s.changeStartedAt ?? since) > delivery.syncTimeout) {
          // A deploy or rollback given up on is closed: merged by hand later, it would deploy past the gate. A revert
          // stays open: merging it is what the person it is left to would do next.
          if (s.purpose !== 'revert') await deps.repository.closePullRequest(repo, pr.number);
          return notWritten(deps, place, d, s, `GitHub would not merge pull request #${pr.number}: ${merge.message}${s.purpose !== 'revert' ? '; Deckhand closed it unmerged' : ''} (${pr.url})`);
        }
        if (s.notMergeableSince === undefined) ctx.emit({ kind: 'note', deploy: d, message: `GitHub cannot merge pull request #${pr.number} yet: ${merge.message}. Trying again until the sync timeout. ${pr.url}` });
        return { kind: 'wait', delayMs: deps.retryMs ?? 2000, state: gitopsState(s, { notMergeableSince: since }) };
      }
    }
  };
}
