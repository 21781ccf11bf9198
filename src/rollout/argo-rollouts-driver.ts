import type { ArgoRolloutsDelivery } from '../config/index.ts';
import { DeckhandError } from '../errors.ts';
import { imageFor, versionOfImage, type Deploy, type Step, type StepResult, type WorkloadTarget } from '../deploy/index.ts';
import type { AnalysisRunView, ArgoRolloutsClient, RolloutView } from '../kube/index.ts';
import { argoRolloutsState, type ArgoRolloutsState } from './argo-rollouts-state.ts';
import { dashboardLink, describeRollout, rolloutOutcome } from './argo-rollouts-report.ts';
import { abortRequest } from './watch-soak.ts';
import type { RolloutDriver } from './types.ts';

export interface ArgoRolloutsDeps {
  rollouts: ArgoRolloutsClient;
  targetOf(deploy: Deploy): WorkloadTarget;
  /** The environment's `delivery` entry (kind argo-rollouts). */
  deliveryOf(deploy: Deploy): ArgoRolloutsDelivery;
  /** How often the Rollout is read while Argo runs it (each read is a delayed job; steering wakes it at once). */
  pollMs?: number;
  now?: () => number;
}

/** How long a follow step waits before reading the Rollout again. */
const FOLLOW_MS = 1_000;

function where(d: Deploy, deps: ArgoRolloutsDeps): { namespace: string; name: string; container: string } {
  const t = deps.targetOf(d);
  return { namespace: t.namespace, name: deps.deliveryOf(d).rollout ?? t.deployment, container: t.container };
}

function stepsText(r: RolloutView): string {
  if (r.strategy === 'blueGreen') return 'blue-green';
  if (r.steps.length === 0) return 'canary without steps (straight to the new version)';
  const names = r.steps.map((s) => s.kind === 'setWeight' ? `${s.weight}%` : s.kind === 'pause' ? (s.duration ? `pause ${s.duration}` : 'pause') : s.kind === 'analysis' ? 'analysis' : s.name);
  return `canary: ${names.join(' → ')}`;
}

/**
 * A typed strategy that contradicts the Rollout's own is refused (Argo would run its own anyway). `rolling` — also
 * what a service's default strategy gives — means "the Rollout's strategy"; a canary's typed first percentage is not
 * applied: the Rollout's steps decide, and the card says so when they differ.
 */
function strategyProblem(d: Deploy, r: RolloutView): string | undefined {
  if (d.action.kind !== 'deploy') return undefined;
  const asked = d.action.strategy.kind;
  if (asked === 'bluegreen' && r.strategy === 'canary') return 'a blue-green deploy was asked, but the Rollout\'s strategy is canary';
  if (asked === 'canary' && r.strategy === 'blueGreen') return 'a canary deploy was asked, but the Rollout\'s strategy is blue-green';
  return undefined;
}

function firstWeightNote(d: Deploy, r: RolloutView): string | undefined {
  if (d.action.kind !== 'deploy' || d.action.strategy.kind !== 'canary') return undefined;
  const first = r.steps.find((s) => s.kind === 'setWeight');
  const asked = d.action.strategy.percent;
  if (first?.kind === 'setWeight' && first.weight === asked) return undefined;
  return `The ${asked}% asked is not applied: the Rollout's own steps decide the canary's share${first?.kind === 'setWeight' ? ` (its first is ${first.weight}%)` : ''}.`;
}

/**
 * What makes a new note on the card: a change of phase, step, pause, abort, or of the current analysis run (a new
 * measurement included). Replica counts alone do not: the card would scroll with every pod.
 */
function milestoneOf(r: RolloutView, runs: readonly AnalysisRunView[]): string {
  const run = runs.find((x) => x.name === (r.currentStepAnalysisRun ?? r.backgroundAnalysisRun)?.name);
  const measured = run ? `${run.phase ?? ''}:${run.metrics.map((m) => m.measurements.length).join(',')}` : '';
  return [r.phase, r.currentStepIndex, r.paused, r.pauseReasons.join(','), r.abort, r.weights?.canary, measured].join('|');
}

/**
 * Argo Rollouts as the engine: a deploy sets the image on the Rollout (`kubectl argo rollouts set image`) and follows
 * what the controller reports; Promote / Pause / Resume / Abort send the plugin's own patches; `/rollback` is its
 * `undo`. Argo runs the steps and its own analysis: this driver never measures anything itself. Every wait is a
 * delayed job.
 */
export function createArgoRolloutsDriver(deps: ArgoRolloutsDeps): RolloutDriver {
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? FOLLOW_MS;

  const start: Step = async (ctx) => {
    const d = ctx.deploy;
    const at = where(d, deps);
    const r = await deps.rollouts.getRollout(at.namespace, at.name);
    const fromImage = r.images[at.container];
    if (fromImage === undefined) throw new DeckhandError('kube_not_found', `Rollout ${at.namespace}/${at.name} has no container named "${at.container}". Check the service's config.`);
    const base = { namespace: at.namespace, rollout: at.name, fromImage };
    if (d.action.kind === 'rollback') return startRollback(d, r, base);
    const problem = strategyProblem(d, r);
    if (problem) {
      return { kind: 'done', phase: 'failed', summary: `Refused, nothing was changed: ${problem}. Argo Rollouts runs the strategy in the Rollout ${at.namespace}/${at.name}; deploy with \`/deploy ${d.service} ${d.action.version} to ${d.env}\` (its own strategy) or change the Rollout.` };
    }
    const toImage = imageFor(deps.targetOf(d), d.action.version, d.artifact?.digest);
    if (fromImage === toImage && !r.abort) {
      return { kind: 'done', phase: 'succeeded', summary: `${d.service} in ${d.env} already runs ${d.action.version} (Rollout ${at.name}); nothing to change.`, state: { ...base, toImage } };
    }
    const link = dashboardLink(deps.deliveryOf(d).dashboardUrl, { namespace: at.namespace, name: at.name });
    const lines = [
      `Argo Rollouts rolls out ${d.action.version} on Rollout ${at.namespace}/${at.name} (${stepsText(r)}), from ${versionOfImage(fromImage)}. Promote, Pause, Resume and Abort steer it as \`kubectl argo rollouts\` does.`,
      firstWeightNote(d, r),
      r.paused ? 'The Rollout is paused (spec.paused): it will not progress until resumed.' : undefined,
      link && `Dashboard: ${link}`,
    ].filter((x) => x !== undefined);
    const state: ArgoRolloutsState = { ...base, toImage };
    return { kind: 'next', step: 'set_image', phase: 'rolling_out', state, message: lines.join('\n') };
  };

  async function startRollback(d: Deploy, r: RolloutView, base: { namespace: string; rollout: string; fromImage: string }): Promise<StepResult> {
    if (d.action.kind !== 'rollback') throw new DeckhandError('internal_error', 'not a rollback');
    const t = deps.targetOf(d);
    const revisions = await deps.rollouts.listRevisions(base.namespace, base.rollout);
    const wanted = d.action.toVersion;
    let toRevision: number | undefined;
    let toImage: string;
    if (wanted) {
      // A revision that ran the version by pinned digest ran it too; it is restored as it ran.
      const ran = revisions.find((x) => (x.images[t.container] ?? '').replace(/@.*$/, '') === imageFor(t, wanted));
      toRevision = ran?.revision;
      toImage = ran?.images[t.container] ?? imageFor(t, wanted);
    } else {
      // The plugin's default: the revision before the newest. Named here, so a re-run after a crash undoes to it again.
      const previous = revisions[1];
      if (!previous) return { kind: 'done', phase: 'failed', summary: `Rollout ${base.rollout} has no earlier revision to undo to (it runs ${versionOfImage(base.fromImage)}).` };
      toRevision = previous.revision;
      toImage = previous.images[t.container] ?? '';
    }
    if (toImage === base.fromImage && !r.abort) {
      return { kind: 'done', phase: 'succeeded', summary: `${d.service} in ${d.env} already runs ${versionOfImage(toImage)}; nothing to roll back.` };
    }
    return {
      kind: 'next', step: 'undo', phase: 'rolling_out', state: { ...base, toImage, ...(toRevision !== undefined && { toRevision }) },
      message: `Rolling back ${d.service} in ${d.env} from ${versionOfImage(base.fromImage)} to ${versionOfImage(toImage)}: ${toRevision !== undefined ? `\`kubectl argo rollouts undo ${base.rollout} --to-revision=${toRevision}\`` : 'its image set on the Rollout (no ReplicaSet of it is left)'}`,
    };
  }

  /** Before anything is written, an abort ends the deploy with nothing changed. */
  const setImage: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = argoRolloutsState(d);
    const asked = abortRequest(d);
    if (asked && s.generation === undefined) return { kind: 'done', phase: 'aborted', summary: `${asked.text} before the image was set; the Rollout is unchanged.`, taken: ['abort'] };
    const at = where(d, deps);
    // Written once: a re-run finds the image already there and only records the generation.
    const current = await deps.rollouts.getRollout(at.namespace, at.name);
    if (current.images[at.container] !== s.toImage) {
      const r = await deps.rollouts.setImage(at.namespace, at.name, at.container, s.toImage ?? '');
      return { kind: 'next', step: 'follow', state: { generation: r.generation, appliedAt: s.appliedAt ?? now() } };
    }
    // The same version again on a Rollout Argo aborted: what a person does then is `kubectl argo rollouts retry rollout`.
    // Only when the Rollout already named it at start: an image this step set before a crash, which Argo has aborted
    // since (its analysis failed), is Argo's verdict on this deploy and is not retried over.
    if (current.abort && s.generation === undefined && s.fromImage === s.toImage) {
      const r = await deps.rollouts.retry(at.namespace, at.name);
      return { kind: 'next', step: 'follow', state: { generation: r.generation, appliedAt: now() }, message: `Rollout ${at.name} was aborted at ${versionOfImage(s.toImage ?? '')}: \`kubectl argo rollouts retry rollout ${at.name}\` sent, its steps run again.` };
    }
    return { kind: 'next', step: 'follow', state: { generation: s.generation ?? current.generation, appliedAt: s.appliedAt ?? now() } };
  };

  const undo: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = argoRolloutsState(d);
    const at = where(d, deps);
    const current = await deps.rollouts.getRollout(at.namespace, at.name);
    if (current.images[at.container] !== s.toImage) {
      if (s.toRevision !== undefined) await deps.rollouts.undo(at.namespace, at.name, s.toRevision);
      else await deps.rollouts.setImage(at.namespace, at.name, at.container, s.toImage ?? '');
    }
    const r = await deps.rollouts.getRollout(at.namespace, at.name);
    return { kind: 'next', step: 'follow', state: { generation: r.generation, appliedAt: s.appliedAt ?? now() } };
  };

  /** A steering request, sent as the plugin sends it. One write per run; the request is taken as it is recorded. */
  async function steer(d: Deploy, r: RolloutView, s: ArgoRolloutsState): Promise<StepResult | undefined> {
    const at = where(d, deps);
    const asked = d.steering;
    const abort = abortRequest(d);
    if (abort && asked.abort) {
      if (!r.abort) await deps.rollouts.abort(at.namespace, at.name);
      const back = versionOfImage(s.fromImage ?? '');
      return {
        kind: 'next', step: 'follow', phase: 'rolling_back', taken: ['abort', 'promote', 'paused', 'resume'],
        state: { abortedBy: { by: asked.abort.by, text: abort.text, at: abort.failedAt ?? now(), signal: abort.signal }, promoting: undefined },
        message: `${abort.text}: \`kubectl argo rollouts abort ${at.name}\` sent; Argo puts all traffic back on the stable ReplicaSet (${back}).`,
      };
    }
    if (asked.promote) {
      const full = asked.promote === 'full';
      return {
        kind: 'next', step: 'promote', taken: ['promote', 'paused', 'resume'],
        state: { pauseSent: undefined, promoting: { full, ...(r.currentStepIndex !== undefined && { stepIndex: r.currentStepIndex }), paused: r.paused, pauseReasons: r.pauseReasons.length } },
      };
    }
    if (asked.resume) {
      if (r.paused) {
        await deps.rollouts.resume(at.namespace, at.name);
        return { kind: 'next', step: 'follow', taken: ['resume', 'paused'], state: { pauseSent: undefined }, message: `\`kubectl argo rollouts resume ${at.name}\` sent (spec.paused false): the Rollout goes on.` };
      }
      const waiting = r.pauseReasons.length ? ` It waits at a pause step (${r.pauseReasons.join(', ')}): Promote moves it on.` : '';
      return { kind: 'next', step: 'follow', taken: ['resume', 'paused'], state: { pauseSent: undefined }, message: `The Rollout was not paused by a person; nothing to resume.${waiting}` };
    }
    // The pause request stays in `steering` while it holds (the card offers Resume); it is sent once, so a person
    // who resumes the Rollout with kubectl is not paused again by Deckhand.
    if (asked.paused && !s.pauseSent) {
      if (!r.paused) await deps.rollouts.pause(at.namespace, at.name);
      return { kind: 'next', step: 'follow', state: { pauseSent: true }, message: `\`kubectl argo rollouts pause ${at.name}\` sent: the Rollout holds at ${r.currentStepIndex !== undefined ? `step ${r.currentStepIndex + 1}/${r.steps.length}` : 'its current state'}.` };
    }
    return undefined;
  }

  /**
   * A Pause sent for this deploy (spec.paused) belongs to it: when the deploy ends, the Rollout is unpaused, or the
   * next deploy's new image would sit there (Argo halts every step while spec.paused is true, and an abort does not
   * clear it). One write, skipped on a re-run once the Rollout is no longer paused. Returns what the summary says.
   */
  async function liftOwnPause(s: ArgoRolloutsState, r: RolloutView, at: { namespace: string; name: string }): Promise<string> {
    if (!s.pauseSent || !r.paused) return '';
    await deps.rollouts.resume(at.namespace, at.name);
    return ` Its Pause was lifted with the deploy (spec.paused false).`;
  }

  const follow: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = argoRolloutsState(d);
    const at = where(d, deps);
    const r = await deps.rollouts.getRollout(at.namespace, at.name);
    const toImage = s.toImage ?? '';
    const outcome = rolloutOutcome(r, { container: at.container, toImage, generation: s.generation ?? 0 });
    const to = versionOfImage(toImage);
    const from = versionOfImage(s.fromImage ?? '');
    switch (outcome.kind) {
      case 'healthy': {
        const lifted = await liftOwnPause(s, r, at);
        return {
          kind: 'done', phase: 'succeeded', taken: ['promote', 'paused', 'resume'],
          summary: (d.action.kind === 'rollback' ? `${d.service} is back on ${to} in ${d.env} (Rollout ${at.name} Healthy).` : `${d.service} ${to} is stable in ${d.env}: Rollout ${at.name} is Healthy, ${r.replicas.available}/${r.replicas.desired} available.`) + lifted,
        };
      }
      case 'aborted': {
        const why = outcome.message ? ` Argo: ${outcome.message.replace(/\.?$/, '.')}` : '';
        const left = ` The Rollout's template still names ${to} (Argo's aborted state): \`/rollback ${d.service} ${d.env}\` undoes it, a new /deploy replaces it.`;
        const lifted = await liftOwnPause(s, r, at);
        if (s.abortedBy) return { kind: 'done', phase: s.abortedBy.signal ? 'rolled_back' : 'aborted', summary: `${s.abortedBy.text}. All traffic is back on ${from}.${why}${left}${lifted}` };
        // Argo aborts by itself on a failed analysis, which can start and fail between two looks: the card then gets
        // the measurements that failed it before the end, so the person sees the values, not only Argo's sentence.
        const runs = await deps.rollouts.listAnalysisRuns(at.namespace, at.name);
        if (runs.length > 0 && milestoneOf(r, runs) !== s.lastReport) ctx.emit({ kind: 'note', deploy: d, message: describeRollout(r, runs) });
        return { kind: 'done', phase: 'failed', summary: `Argo Rollouts aborted the rollout of ${to}; all traffic is back on ${from}.${why}${left}${lifted}` };
      }
      case 'degraded': {
        const lifted = await liftOwnPause(s, r, at);
        return { kind: 'done', phase: 'failed', summary: `Rollout ${at.name} is Degraded${outcome.message ? `: ${outcome.message}` : ''}. ${d.service} in ${d.env} needs a person.${lifted}` };
      }
      case 'superseded': {
        // Someone else's rollout now: Deckhand does not let it go on by itself, but says what still holds it.
        const held = s.pauseSent && r.paused ? ` The Rollout is still paused by this deploy's Pause (spec.paused): \`kubectl argo rollouts promote ${at.name}\` lets it go on.` : '';
        return { kind: 'done', phase: 'failed', summary: `Rollout ${at.name} was given another image meanwhile (${versionOfImage(outcome.image)}); this deploy of ${to} is no longer what Argo rolls out.${held}` };
      }
      case 'progressing': break;
    }
    const steered = await steer(d, r, s);
    if (steered) return steered;
    const runs = r.currentStepAnalysisRun || r.backgroundAnalysisRun ? await deps.rollouts.listAnalysisRuns(at.namespace, at.name) : [];
    const milestone = milestoneOf(r, runs);
    // Paused by a pause step without a duration, or an inconclusive analysis: only a person moves it on.
    const step = r.currentStepIndex === undefined ? undefined : r.steps[r.currentStepIndex];
    const untimedPause = step?.kind === 'pause' && step.duration === undefined;
    const awaitingPerson = r.paused || r.pauseReasons.some((why) => (why === 'CanaryPauseStep' && untimedPause) || why === 'BlueGreenPause' || why === 'InconclusiveAnalysisRun');
    if (milestone === s.lastReport || r.observedGeneration < (s.generation ?? 0)) return { kind: 'wait', delayMs: pollMs, state: { awaitingPerson } };
    // A wait carries no message: a milestone (a new phase, step, pause, analysis state or measurement) is a note of its own.
    ctx.emit({ kind: 'note', deploy: d, message: describeRollout(r, runs) });
    return { kind: 'wait', delayMs: pollMs, state: { lastReport: milestone, awaitingPerson } };
  };

  /** Sends the promote asked for, once: only while the Rollout still stands where it stood when it was asked. */
  const promote: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = argoRolloutsState(d);
    const p = s.promoting;
    if (!p) return { kind: 'next', step: 'follow' };
    const at = where(d, deps);
    const r = await deps.rollouts.getRollout(at.namespace, at.name);
    const moved = p.full
      ? r.promoteFull || (r.currentPodHash !== undefined && r.currentPodHash === r.stableRS)
      : r.currentStepIndex !== p.stepIndex || (p.paused && !r.paused) || (p.pauseReasons > 0 && r.pauseReasons.length === 0);
    if (!moved) await deps.rollouts.promote(at.namespace, at.name, p.full);
    // The plugin's --full leaves spec.paused alone, and Argo halts a paused Rollout, promoted or not: a person who asks
    // to skip everything left is not left behind a pause (theirs or one sent for this deploy). Skipped once lifted.
    const unpaused = p.full && r.paused;
    if (unpaused) await deps.rollouts.resume(at.namespace, at.name);
    const words = p.full
      ? `\`kubectl argo rollouts promote ${at.name} --full\` sent${unpaused ? ' and its pause lifted (spec.paused false)' : ''}: the remaining steps, pauses and analysis are skipped.`
      : `\`kubectl argo rollouts promote ${at.name}\` sent: ${r.pauseReasons.length || r.paused ? 'the pause ends' : 'the current step is skipped'}.`;
    return { kind: 'next', step: 'follow', state: { promoting: undefined }, message: words };
  };

  return {
    // One driver for every deploy and rollback to an argo-rollouts environment (the pipeline keys it by delivery).
    kind: 'argo-rollouts',
    steps: new Map<string, Step>([['start', start], ['set_image', setImage], ['undo', undo], ['follow', follow], ['promote', promote]]),
  };
}
