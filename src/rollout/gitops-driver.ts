import { DeckhandError } from '../errors.ts';
import { describeCheck, type Deploy, type Step, type StepContext, type StepResult } from '../deploy/index.ts';
import type { ArgoApplication } from '../kube/index.ts';
import { readGitOpsState, type GitOpsState } from './gitops-state.ts';
import { applicationUrl, gitopsState, placeOf, trailersOf, type GitOpsDeps, type GitOpsPlace } from './gitops/gitops-deps.ts';
import { describeApplication, judgeSync, shortSha } from './gitops/judge-sync.ts';
import { formatImageTag, readImageTag, sameImageTag, type ImageTag } from './gitops/set-image-tag.ts';
import { changeOf, commitStep, endDeploy, mergeStep } from './gitops/write-change.ts';
import { checksOf } from './progressive-deps.ts';
import { abortRequest, formatSpan, lookAtSoak, soakStateOf, startSoak } from './watch-soak.ts';
import type { RolloutDriver } from './types.ts';

export type { GitOpsDeps, PathLocks, RepoPath } from './gitops/gitops-deps.ts';

/** How many of the file's commits a /rollback looks through for the version before the current one. */
const HISTORY_DEPTH = 20;

function stateOf(d: Deploy): GitOpsState {
  const s = readGitOpsState(d);
  if (!s) throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} has no GitOps state; it needs a person.`);
  return s;
}

/**
 * The tag the file had before its current one, read from the file's own history on the branch. A deploy Deckhand
 * reverted (its revert commit is newer) never ran well: its tag is passed over, so /rollback after a failed deploy
 * goes back past the version that was running, not forward to the one that failed.
 */
async function previousTag(deps: GitOpsDeps, place: GitOpsPlace, current: ImageTag): Promise<ImageTag | undefined> {
  const commits = await deps.repository.listFileCommits(place.repo, place.delivery.branch, place.delivery.path, HISTORY_DEPTH);
  const reverted = new Set<string>();
  for (const c of commits) {
    const trailers = trailersOf(c.message);
    if (trailers?.purpose === 'revert') reverted.add(trailers.deployId);
    if (trailers && trailers.purpose !== 'revert' && reverted.has(trailers.deployId)) continue;
    const file = await deps.repository.readFile(place.repo, place.delivery.path, c.sha).catch(() => undefined);
    const read = file && readImageTag(file.text, place.location);
    if (read?.kind === 'found' && !sameImageTag(read.current, current)) return read.current;
  }
  return undefined;
}

/**
 * GitOps through Argo CD: the deploy is a commit to the config repository (or a pull request Deckhand merges), and
 * Argo CD — not Deckhand — changes the cluster; Deckhand follows the Application until it is Synced and Healthy at
 * that commit. A failed or degraded sync, a timeout or an abort is answered with a revert commit that puts the
 * previous tag back (a patch of the Deployment would be undone by Argo CD's self-heal). /rollback is a commit too.
 *
 *   start (path lock, read) → commit [→ merge] → follow ⟲ → [soak ⟲ →] succeeded
 *                                                   └→ commit (revert) [→ merge] → follow ⟲ → rolled_back | aborted
 *
 * With `soak:` a synced deploy is watched for the window (phase `watching`): its checks keep running and an alert, a
 * failing check, Argo CD reporting the application Degraded, or an abort reverts it the same way.
 */
export function createGitOpsDriver(deps: GitOpsDeps): RolloutDriver {
  const now = (): number => deps.now?.() ?? Date.now();

  const start: Step = async (ctx) => {
    const d = ctx.deploy;
    const place = placeOf(deps, d);
    const { delivery } = place;
    const prior = readGitOpsState(d);
    if (d.action.kind === 'deploy' && d.action.strategy.kind !== 'rolling') {
      return { kind: 'done', phase: 'failed', summary: `${d.service} in ${d.env} is delivered by Argo CD from ${delivery.repository}: the ${d.action.strategy.kind} strategy lives in the manifests Argo CD syncs, not in Deckhand. Nothing was changed; deploy without a strategy.` };
    }
    // Released too: a run of this step that took the lock may have crashed before its result was recorded.
    if (d.steering.abort) return endDeploy(deps, place, d, { kind: 'done', phase: 'aborted', summary: `Aborted by ${d.steering.abort.by} before anything was committed.` });
    const lock = await deps.pathLocks.acquire(place.lock, d.id, deps.isDeployOver);
    if (!lock.ok) {
      const since = prior?.lockWaitSince ?? now();
      if (now() - since > delivery.syncTimeout) {
        return { kind: 'done', phase: 'failed', summary: `Deploy #${lock.holder} kept ${delivery.path} in ${delivery.repository} busy for longer than the sync timeout; nothing was committed.` };
      }
      if (prior?.lockedBy !== lock.holder) ctx.emit({ kind: 'note', deploy: d, message: `Waiting for deploy #${lock.holder}, which is changing ${delivery.path} in ${delivery.repository}.` });
      return { kind: 'wait', delayMs: deps.retryMs ?? 2000, state: { gitops: { purpose: d.action.kind, lockWaitSince: since, lockedBy: lock.holder } } };
    }
    // A file or branch GitHub does not have will not appear by retrying: the deploy ends here, the path lock given back.
    const file = await deps.repository.readFile(place.repo, delivery.path, delivery.branch).catch((err: unknown) => {
      if (err instanceof DeckhandError && err.code === 'github_not_found') return undefined;
      throw err;
    });
    if (!file) {
      return endDeploy(deps, place, d, { kind: 'done', phase: 'failed', summary: `Nothing was committed: GitHub has no file ${delivery.path} on ${delivery.branch} of ${delivery.repository} (or Deckhand's token cannot see it). Check the environment's delivery in deckhand.yaml.` });
    }
    const read = readImageTag(file.text, place.location);
    if (read.kind === 'missing') {
      return endDeploy(deps, place, d, { kind: 'done', phase: 'failed', summary: `Nothing was committed: ${delivery.path} in ${delivery.repository} ${read.message.replace(/^[a-z]+: /, '')}.` });
    }
    const fromTag = read.current;
    let toTag: ImageTag;
    if (d.action.kind === 'deploy') {
      toTag = { tag: d.action.version, ...(d.artifact && { digest: d.artifact.digest }) };
    } else if (d.action.toVersion) {
      toTag = { tag: d.action.toVersion };
    } else {
      const previous = await previousTag(deps, place, fromTag);
      if (!previous) {
        return endDeploy(deps, place, d, { kind: 'done', phase: 'failed', summary: `${d.service} in ${d.env} has no earlier version in the last ${HISTORY_DEPTH} commits of ${delivery.path}; name one: /rollback ${d.service} ${d.env} <version>.` });
      }
      toTag = previous;
    }
    const state: GitOpsState = { purpose: d.action.kind, fromTag, toTag, changeStartedAt: now() };
    const verb = d.action.kind === 'deploy' ? 'Deploying' : 'Rolling back to';
    return {
      kind: 'next', step: 'commit', phase: 'rolling_out', state: { gitops: state },
      message: `${verb} ${formatImageTag(toTag)} through ${delivery.via === 'commit' ? `a commit to ${delivery.branch}` : `a pull request to ${delivery.branch}`} of ${delivery.repository} (${delivery.path} sets ${formatImageTag(fromTag)} now); Argo CD application ${delivery.application} syncs it.`,
    };
  };

  /** Whether the Application's synced revision carries the change: the commit itself, or a later one with the same tag. */
  async function reached(place: GitOpsPlace, s: GitOpsState, app: ArgoApplication): Promise<{ reached: boolean; checked?: GitOpsState['revisionChecked']; supersededBy?: ImageTag }> {
    const rev = app.syncRevision;
    if (!rev) return { reached: false };
    if (s.commit && rev === s.commit.sha) return { reached: true };
    if (s.revisionChecked?.sha === rev) return { reached: s.revisionChecked.hasTag };
    const file = await deps.repository.readFile(place.repo, place.delivery.path, rev).catch(() => undefined);
    const read = file && readImageTag(file.text, place.location);
    const { to, expected } = changeOf(s);
    const hasTag = read?.kind === 'found' && sameImageTag(read.current, to);
    // A revision that sets neither the tag being followed nor the one it replaced: a person set another version.
    const supersededBy = read?.kind === 'found' && !hasTag && !(expected && sameImageTag(read.current, expected)) ? read.current : undefined;
    return { reached: hasTag, checked: { sha: rev, hasTag }, ...(supersededBy && { supersededBy }) };
  }

  /** The change failed to sync (or was aborted): a deploy is reverted, a rollback or a revert ends for a person. */
  function failed(ctx: StepContext, place: GitOpsPlace, s: GitOpsState, why: string, line: string): Promise<StepResult> | StepResult {
    const d = ctx.deploy;
    const at = s.commit ? ` (commit ${shortSha(s.commit.sha)})` : '';
    if (s.purpose === 'deploy') {
      return {
        kind: 'next', step: 'commit', phase: 'rolling_back',
        message: `${why}${at}. Reverting: a commit that puts ${formatImageTag(s.fromTag ?? { tag: '?' })} back in ${place.delivery.path}.`,
        state: gitopsState(s, { purpose: 'revert', failure: why, deployCommit: s.commit, commit: undefined, pr: undefined, notMergeableSince: undefined, changeStartedAt: now(), writtenAt: undefined, revisionChecked: undefined, lastReport: undefined, refreshed: false }),
      };
    }
    const what = s.purpose === 'revert' ? `the revert to ${formatImageTag(s.fromTag ?? { tag: '?' })}` : `the rollback to ${formatImageTag(s.toTag ?? { tag: '?' })}`;
    const first = s.purpose === 'revert' ? `${s.failure ?? 'The deploy failed'}, and ${what}` : what.replace(/^t/, 'T');
    return endDeploy(deps, place, d, { kind: 'done', phase: 'failed', summary: `${first}${at} did not sync: ${why}. Argo CD: ${line}. ${d.service} in ${d.env} needs a person.` });
  }

  const follow: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = stateOf(d);
    const place = placeOf(deps, d);
    const { delivery } = place;
    const asked = s.purpose === 'deploy' ? abortRequest(d) : undefined;
    if (asked) return failed(ctx, place, s, asked.text, '');
    // Argo CD polls repositories every few minutes; the refresh annotation makes it look now. Asked once per change,
    // best effort: without the right to patch Applications the poll (or a webhook) still gets there.
    if (!s.refreshed) await deps.argocd.requestRefresh(delivery.applicationNamespace, delivery.application).catch(() => undefined);
    const refreshed = true;
    // No such Application will not appear by retrying, and the change is on the branch already: a deploy is reverted
    // (whatever does sync that path would roll it out unfollowed), a revert ends for a person — the path lock given back.
    const app = await deps.argocd.readApplication(delivery.applicationNamespace, delivery.application).catch((err: unknown) => {
      if (err instanceof DeckhandError && err.code === 'kube_not_found') return undefined;
      throw err;
    });
    if (!app) {
      const missing = `Argo CD has no Application ${delivery.applicationNamespace}/${delivery.application} to follow (check the environment's delivery.application)`;
      return failed(ctx, place, s, missing, 'no such Application');
    }
    const r = await reached(place, s, app);
    const line = describeApplication(app);
    const update: Partial<GitOpsState> = { refreshed, lastReport: line, ...(r.checked && { revisionChecked: r.checked }) };
    if (line !== s.lastReport) {
      // The card is edited in place: every report carries the link to the Application, not only the first.
      const url = applicationUrl(delivery);
      ctx.emit({ kind: 'note', deploy: d, message: `Argo CD ${delivery.application}: ${line}${url ? ` ${url}` : ''}` });
    }
    const { to } = changeOf(s);
    if (r.supersededBy) {
      // Not Deckhand's to undo: Argo CD follows the person's commit now, and a revert would overwrite it.
      return endDeploy(deps, place, d, {
        kind: 'done', phase: 'failed', state: gitopsState(s, update),
        summary: `Superseded: ${delivery.path} was changed to ${formatImageTag(r.supersededBy)} at ${shortSha(app.syncRevision)} while Deckhand followed ${formatImageTag(to)}${s.commit ? ` (commit ${shortSha(s.commit.sha)})` : ''}; Argo CD syncs that now. Nothing was reverted; ${d.service} in ${d.env} runs what the repository says.`,
      });
    }
    const verdict = judgeSync(app, r.reached, s.writtenAt);
    switch (verdict.kind) {
      case 'failed': return failed(ctx, place, { ...s, ...update }, `Argo CD could not sync ${formatImageTag(to)}: ${verdict.reason}`, line);
      case 'succeeded': {
        const at = s.commit ? ` at ${shortSha(s.commit.sha)} (${s.commit.url})` : '';
        if (s.purpose === 'revert') {
          const phase = d.steering.abort && !d.steering.abort.signal ? 'aborted' : 'rolled_back';
          return endDeploy(deps, place, d, { kind: 'done', phase, summary: `${s.failure ?? 'The deploy failed'}. ${d.service} is back on ${formatImageTag(to)} in ${d.env}: Argo CD synced the revert commit${at}, Healthy.`, state: gitopsState(s, update) });
        }
        const verb = s.purpose === 'rollback' ? `is back on ${formatImageTag(to)}` : `${formatImageTag(to)} is live`;
        const settings = s.purpose === 'deploy' ? deps.watch?.settingsOf(d) : undefined;
        if (settings && settings.soak > 0) {
          // The path lock stays held through the window: a revert must find the file as this deploy left it.
          const soak = startSoak(settings, now());
          const checks = checksOf(settings).map((c) => c.name);
          return {
            kind: 'next', step: 'soak', phase: 'watching', state: { ...soak, ...gitopsState(s, update) },
            message: `👀 ${formatImageTag(to)} is Synced and Healthy${at}; watching it for ${formatSpan(settings.soak)} (until ${new Date(soak.soakUntil ?? 0).toISOString().slice(11, 19)} UTC)`
              + `${checks.length ? `: ${checks.join(', ')} every ${formatSpan(settings.analysis.interval)}` : ''}, and alerts roll it back. `
              + `A roll back is a revert commit that Argo CD syncs (it keeps nothing warm beside the new version).`,
          };
        }
        return endDeploy(deps, place, d, { kind: 'done', phase: 'succeeded', summary: `${d.service} ${verb} in ${d.env}: Argo CD application ${delivery.application} is Synced and Healthy${at}.`, state: gitopsState(s, update) });
      }
      case 'waiting': {
        const startedAt = s.changeStartedAt ?? now();
        if (now() - startedAt > delivery.syncTimeout) {
          return failed(ctx, place, { ...s, ...update }, `Argo CD did not reach ${formatImageTag(to)} Synced and Healthy within ${Math.round(delivery.syncTimeout / 1000)} s`, line);
        }
        return { kind: 'wait', delayMs: deps.pollMs ?? 1000, state: gitopsState(s, update) };
      }
    }
  };

  /**
   * The watch after a synced deploy (`soak:`): the checks keep running on the new version's pods, and an abort — a
   * person's, an alert's, a failing check — is answered as a failed sync is, with a revert commit Argo CD syncs.
   * `/promote` ends the window early.
   */
  const soak: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = stateOf(d);
    const place = placeOf(deps, d);
    const asked = abortRequest(d);
    if (asked) return failed(ctx, place, s, asked.text, '');
    const watch = deps.watch;
    const watched = soakStateOf(d);
    const end = (): Promise<StepResult> => endDeploy(deps, place, d, {
      kind: 'done', phase: 'succeeded', taken: ['promote'],
      summary: `${d.service} ${formatImageTag(s.toTag ?? { tag: '?' })} is live in ${d.env}, watched for ${formatSpan(now() - (watched.soakStartedAt ?? now()))} (${watched.soakRounds ?? 0} analysis round(s), no alert): Argo CD application ${place.delivery.application} is Synced and Healthy${s.commit ? ` at ${shortSha(s.commit.sha)}` : ''}.`,
    });
    if (d.steering.promote || !watch) return end();
    // A person who sets another tag in the window takes over: the watch ends, and nothing is reverted over them.
    const app = await deps.argocd.readApplication(place.delivery.applicationNamespace, place.delivery.application).catch(() => undefined);
    const r = app && await reached(place, s, app);
    if (app && r?.supersededBy) {
      return endDeploy(deps, place, d, {
        kind: 'done', phase: 'succeeded', state: gitopsState(s, { ...(r.checked && { revisionChecked: r.checked }) }),
        summary: `${d.service} ${formatImageTag(s.toTag ?? { tag: '?' })} went live in ${d.env}; while it was watched, ${place.delivery.path} was changed to ${formatImageTag(r.supersededBy)} at ${shortSha(app.syncRevision)}, which Argo CD syncs now. The watch ended there; nothing was reverted.`,
      });
    }
    // Argo CD's own verdict on what it synced counts in the window as at the sync: Degraded reverts, like an alert.
    if (app && r?.reached && app.healthStatus === 'Degraded') {
      const line = describeApplication(app);
      ctx.emit({ kind: 'note', deploy: d, message: `Argo CD ${place.delivery.application}: ${line}` });
      return failed(ctx, place, s, `Argo CD reports ${place.delivery.application} Degraded while it was watched${app.healthMessage ? ` (${app.healthMessage})` : ''}`, line);
    }
    const t = deps.targetOf(d);
    const podLabels = await watch.kube.readServiceSelector(t.namespace, t.deployment) ?? { app: t.deployment };
    const look = await lookAtSoak(ctx, watch, { service: d.service, namespace: t.namespace, version: s.toTag?.tag ?? '', podLabels });
    switch (look.kind) {
      // The revision just looked at is recorded, so the next round does not read its file from the forge again.
      case 'wait': return { kind: 'wait', delayMs: look.delayMs, state: { ...look.state, ...(r?.checked && gitopsState(s, { revisionChecked: r.checked })) } };
      case 'over': return end();
      case 'fail': return failed(ctx, place, s, `Analysis failed while watching: ${describeCheck(look.failed)}`, '');
    }
  };

  return {
    kind: 'gitops',
    steps: new Map<string, Step>([['start', start], ['commit', commitStep(deps)], ['merge', mergeStep(deps)], ['follow', follow], ['soak', soak]]),
    // The path lock is also freed when a job was given up on (a deploy failed without reaching a step that frees it).
    onEnd: async (d) => { await deps.pathLocks.release(placeOf(deps, d).lock, d.id); },
  };
}
