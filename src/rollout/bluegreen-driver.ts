import { DeckhandError } from '../errors.ts';
import { describeCheck, imageFor, versionOfImage, type Deploy, type Step, type StepResult } from '../deploy/index.ts';
import { isPastProgressDeadline, isRolledOut } from './canary-state.ts';
import { WAIT_FALLBACK_MS, probeChecksOf, type ProgressiveDeps } from './progressive-deps.ts';
import { runAnalysis } from './run-analysis.ts';
import { abortRequest, lookAtSoak, soakStartMessage, startSoak } from './watch-soak.ts';
import { BlueGreenState, readState } from './schema.ts';
import type { RolloutDriver } from './types.ts';

function stateOf(d: Deploy): BlueGreenState {
  return readState(BlueGreenState, d, 'blue-green');
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new DeckhandError('deploy_invalid_state', `The blue-green deploy has no recorded ${what}.`);
  return v;
}

/**
 * Blue-green: the new colour comes up at full size beside the live one, is probed, and the Service's selector is
 * switched to it in one write. The old colour stays up for `keepOldFor`, during which /abort (the card's Roll back)
 * switches back instantly. Then the old Deployment is given the new version (it is the service's canonical
 * Deployment, whose revision history /rollback uses), the Service is pointed back at it, and the green one is removed.
 */
export function createBlueGreenDriver(deps: ProgressiveDeps): RolloutDriver {
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? WAIT_FALLBACK_MS;

  /** A person's abort (the failure text starts `Aborted by`: the deploy ends `aborted`) or an alert's (`rolled_back`). */
  const abortIfAsked = (d: Deploy): StepResult | undefined => {
    const request = abortRequest(d);
    if (!request) return undefined;
    const s = stateOf(d);
    const who = request.text;
    return { kind: 'next', step: 'abort', phase: 'rolling_back', state: { failure: who, failedAt: request.failedAt ?? now() }, message: `${who}: ${s.switchedAt ? 'switching all traffic back to' : 'keeping all traffic on'} ${versionOfImage(s.fromImage ?? '')}` };
  };
  const fail = (why: string): StepResult => ({ kind: 'next', step: 'abort', phase: 'rolling_back', state: { failure: why, failedAt: now() }, message: `${why}. Keeping the live version.` });

  const start: Step = async (ctx) => {
    const d = ctx.deploy;
    if (d.action.kind !== 'deploy' || d.action.strategy.kind !== 'bluegreen') throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} is not a blue-green deploy.`);
    const t = deps.targetOf(d);
    const live = await deps.kube.readDeployment(t.namespace, t.deployment);
    const fromImage = live.images[t.container] ?? '';
    const toImage = imageFor(t, d.action.version, d.artifact?.digest);
    if (fromImage === toImage) return { kind: 'done', phase: 'succeeded', summary: `${d.service} in ${d.env} already runs ${d.action.version}; nothing to change.` };
    const selector = await deps.kube.readServiceSelector(t.namespace, t.deployment) ?? { app: t.deployment };
    const greenLabels = { ...Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, `${v}-green`])), 'deckhand.io/track': 'green' };
    const state: BlueGreenState = { fromImage, toImage, namespace: t.namespace, stable: t.deployment, green: `${t.deployment}-green`, replicas: live.desired, selector, greenLabels, streaks: {} };
    return { kind: 'next', step: 'create_green', phase: 'rolling_out', state: { ...state }, message: `Blue-green: bringing up ${d.action.version} at full size (${live.desired} pods) beside ${versionOfImage(fromImage)}` };
  };

  const createGreen: Step = async (ctx) => {
    const stop = abortIfAsked(ctx.deploy);
    if (stop) return stop;
    const s = stateOf(ctx.deploy);
    const t = deps.targetOf(ctx.deploy);
    await deps.kube.createDeploymentFrom(need(s.namespace, 'namespace'), need(s.stable, 'stable'), need(s.green, 'green'), {
      container: t.container, image: s.toImage ?? '', replicas: need(s.replicas, 'replicas'), podLabels: need(s.greenLabels, 'labels'),
      annotations: { 'deckhand.io/deploy': ctx.deploy.id },
    });
    return { kind: 'next', step: 'await_green', state: { createdAt: s.createdAt ?? now() } };
  };

  const awaitGreen: Step = async (ctx) => {
    const stop = abortIfAsked(ctx.deploy);
    if (stop) return stop;
    const s = stateOf(ctx.deploy);
    const green = await deps.kube.findDeployment(need(s.namespace, 'namespace'), need(s.green, 'green'));
    if (!green) throw new DeckhandError('kube_not_found', `The green Deployment ${s.namespace}/${s.green} disappeared.`);
    ctx.emit({ kind: 'progress', deploy: ctx.deploy, progress: { desired: green.desired, updated: green.updated, ready: green.ready, available: green.available }, message: `Green: ${green.available}/${green.desired} pods available` });
    if (isRolledOut(green)) return { kind: 'next', step: 'probe_green' };
    if (now() > (s.createdAt ?? now()) + green.progressDeadlineSeconds * 1000 || isPastProgressDeadline(green)) {
      return fail(`The new colour's pods did not become ready within the progress deadline (${green.progressDeadlineSeconds} s): ${green.available}/${green.desired} available`);
    }
    return { kind: 'wait', delayMs: pollMs, until: { namespace: need(s.namespace, 'namespace'), name: need(s.green, 'green'), when: 'settled' } };
  };

  const probeGreen: Step = async (ctx) => {
    const stop = abortIfAsked(ctx.deploy);
    if (stop) return stop;
    const d = ctx.deploy;
    const s = stateOf(d);
    const settings = deps.settingsOf(d);
    const checks = probeChecksOf(settings);
    if (d.steering.promote || d.steering.resume) return { kind: 'next', step: 'switch', state: { pausedInconclusive: false }, taken: ['promote', 'resume', 'paused'] };
    if (s.pausedInconclusive) return { kind: 'wait', delayMs: deps.pausedRecheckMs ?? 60_000 };
    if (checks.length === 0) return { kind: 'next', step: 'switch' };
    const a = await runAnalysis(ctx, deps, checks, { service: d.service, namespace: need(s.namespace, 'namespace'), version: versionOfImage(s.toImage ?? ''), podLabels: need(s.greenLabels, 'labels') }, s.streaks ?? {}, settings.analysis.failureLimit, 'green probes');
    if (a.verdict === 'fail' && a.failed) return fail(`Probe failed on the new colour: ${describeCheck(a.failed)}`);
    if (a.verdict === 'inconclusive') {
      ctx.emit({ kind: 'note', deploy: d, message: `⏸ Probes inconclusive on the new colour. Promote to switch anyway, Abort to drop it.` });
      return { kind: 'wait', delayMs: deps.pausedRecheckMs ?? 60_000, state: { pausedInconclusive: true, streaks: a.streaks } };
    }
    if (a.verdict === 'failing') return { kind: 'wait', delayMs: settings.analysis.interval, state: { streaks: a.streaks } };
    return { kind: 'next', step: 'switch', state: { streaks: a.streaks } };
  };

  const switchTraffic: Step = async (ctx) => {
    const stop = abortIfAsked(ctx.deploy);
    if (stop) return stop;
    const s = stateOf(ctx.deploy);
    const labels = Object.fromEntries(Object.entries(need(s.greenLabels, 'labels')).filter(([k]) => k !== 'deckhand.io/track'));
    await deps.kube.setServiceSelector(need(s.namespace, 'namespace'), need(s.stable, 'stable'), labels);
    const t = s.switchedAt ?? now();
    const settings = deps.settingsOf(ctx.deploy);
    // With a soak, the old colour's keep window is the watch window too (the longer of the two).
    if (settings.soak > 0) {
      const window = { ...settings, soak: Math.max(settings.soak, settings.bluegreen.keepOldFor) };
      const soak = startSoak(window, t);
      return { kind: 'next', step: 'keep', phase: 'watching', state: { switchedAt: t, keepUntil: soak.soakUntil, ...soak }, message: soakStartMessage(window, soak, s.fromImage, s.toImage, `${s.stable}, the old colour, at full size`) };
    }
    const keepUntil = t + settings.bluegreen.keepOldFor;
    return { kind: 'next', step: 'keep', state: { switchedAt: t, keepUntil }, message: `Switched: the Service now sends all traffic to ${versionOfImage(s.toImage ?? '')}. ${versionOfImage(s.fromImage ?? '')} stays up until ${new Date(keepUntil).toISOString().slice(11, 19)} UTC for an instant roll back (Abort).` };
  };

  const keep: Step = async (ctx) => {
    const stop = abortIfAsked(ctx.deploy);
    if (stop) return stop;
    const d = ctx.deploy;
    const s = stateOf(d);
    const t = now();
    if (d.steering.promote || t >= (s.keepUntil ?? t)) return { kind: 'next', step: 'fold', taken: ['promote'] };
    if (d.phase === 'watching') {
      // Background analysis on the new colour, which has all the traffic: a failing check switches back at once.
      const look = await lookAtSoak(ctx, deps, { service: d.service, namespace: need(s.namespace, 'namespace'), version: versionOfImage(s.toImage ?? ''), podLabels: need(s.greenLabels, 'labels') });
      if (look.kind === 'fail') {
        const why = `Analysis failed while watching: ${describeCheck(look.failed)}`;
        return { kind: 'next', step: 'abort', phase: 'rolling_back', state: { ...look.state, failure: why, failedAt: now() }, message: `${why}. Switching all traffic back to ${versionOfImage(s.fromImage ?? '')}, still running.` };
      }
      if (look.kind === 'wait') return { kind: 'wait', delayMs: Math.min(look.delayMs, Math.max(5, (s.keepUntil ?? t) - t)), state: { ...look.state } };
    }
    return { kind: 'wait', delayMs: Math.max(5, (s.keepUntil ?? t) - t) };
  };

  /** The old colour's time is up: the canonical Deployment takes the new version while green serves. */
  const fold: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const t = deps.targetOf(ctx.deploy);
    const live = await deps.kube.readDeployment(need(s.namespace, 'namespace'), need(s.stable, 'stable'));
    if (live.images[t.container] !== s.toImage) await deps.kube.setImage(need(s.namespace, 'namespace'), need(s.stable, 'stable'), t.container, s.toImage ?? '', `deckhand blue-green #${ctx.deploy.id}: ${versionOfImage(s.toImage ?? '')}`);
    return { kind: 'next', step: 'await_fold', state: { foldStartedAt: s.foldStartedAt ?? now() } };
  };

  const awaitFold: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const live = await deps.kube.readDeployment(need(s.namespace, 'namespace'), need(s.stable, 'stable'));
    if (!isRolledOut(live)) {
      if (now() > (s.foldStartedAt ?? now()) + live.progressDeadlineSeconds * 1000) return { kind: 'done', phase: 'failed', summary: `${ctx.deploy.service} serves ${versionOfImage(s.toImage ?? '')} from ${s.green}, but ${s.stable} did not take the new version; it needs a person.` };
      return { kind: 'wait', delayMs: pollMs, until: { namespace: need(s.namespace, 'namespace'), name: need(s.stable, 'stable'), when: 'settled' } };
    }
    await deps.kube.setServiceSelector(need(s.namespace, 'namespace'), need(s.stable, 'stable'), need(s.selector, 'selector'));
    return { kind: 'next', step: 'cleanup' };
  };

  const cleanup: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    await deps.kube.deleteDeployment(need(s.namespace, 'namespace'), need(s.green, 'green'));
    const watched = typeof ctx.deploy.state.soakStartedAt === 'number' ? ` It was watched with ${versionOfImage(s.fromImage ?? '')} kept up until the window ended.` : '';
    return { kind: 'done', phase: 'succeeded', summary: `${ctx.deploy.service} ${versionOfImage(s.toImage ?? '')} is live in ${ctx.deploy.env} (blue-green): ${s.stable} now runs it and serves again; the temporary ${s.green} is removed.${watched}` };
  };

  /** Selector back to the old colour first (the instant part), then the green Deployment removed. */
  const abort: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const ns = need(s.namespace, 'namespace');
    await deps.kube.setServiceSelector(ns, need(s.stable, 'stable'), need(s.selector, 'selector'));
    const restoredAt = s.trafficRestoredAt ?? now();
    await deps.kube.deleteDeployment(ns, need(s.green, 'green'));
    const manual = s.failure?.startsWith('Aborted by') ?? false;
    const latency = s.switchedAt ? ` Traffic was back on ${versionOfImage(s.fromImage ?? '')} ${restoredAt - (s.failedAt ?? restoredAt)} ms after the request.` : '';
    return {
      kind: 'done', phase: manual ? 'aborted' : 'rolled_back', state: { trafficRestoredAt: restoredAt },
      summary: `${s.failure ?? 'Aborted'}. ${ctx.deploy.service} in ${ctx.deploy.env} runs ${versionOfImage(s.fromImage ?? '')} as before; the new colour is removed.${latency}`,
    };
  };

  return {
    kind: 'bluegreen',
    steps: new Map<string, Step>([
      ['start', start], ['create_green', createGreen], ['await_green', awaitGreen], ['probe_green', probeGreen], ['switch', switchTraffic],
      ['keep', keep], ['fold', fold], ['await_fold', awaitFold], ['cleanup', cleanup], ['abort', abort],
    ]),
  };
}
