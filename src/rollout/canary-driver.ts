import { DeckhandError } from '../errors.ts';
import { describeCheck, imageFor, versionOfImage, type Deploy, type Step, type StepResult } from '../deploy/index.ts';
import { WAIT_FALLBACK_MS, checksOf, type ProgressiveDeps } from './progressive-deps.ts';
import { canaryAbortSteps } from './canary-abort.ts';
import { canaryState, isPastProgressDeadline, isRolledOut, stepShare, type CanaryFailure, type CanaryState } from './canary-state.ts';
import { nextRoundAt, runAnalysis } from './run-analysis.ts';
import { abortRequest, formatSpan, lookAtSoak, soakStartMessage, soakStateOf, startSoak } from './watch-soak.ts';
import { planReplicas, type TrafficRouter, type TrafficScope } from './traffic/index.ts';
import type { RolloutDriver } from './types.ts';

/** The schedule for a deploy: the command's first percentage, then the configured steps above it (ending at 100). */
export function scheduleFor(configured: readonly number[], first: number): number[] {
  return [first, ...configured.filter((p) => p > first)].concat(first >= 100 || configured.includes(100) ? [] : [100]);
}

export function routerFor(deps: ProgressiveDeps, d: Deploy): TrafficRouter {
  const kind = deps.settingsOf(d).canary.traffic.kind;
  const router = deps.routers.get(kind);
  if (!router) throw new DeckhandError('deploy_invalid_state', `No traffic router for ${kind} is configured.`);
  return router;
}

/**
 * What a replica ratio really gives each step of the schedule, said up front when it is not what was asked: on few
 * replicas the canary's share moves in whole pods (one of two is half the traffic).
 */
function replicaRatioWarning(replicas: number, schedule: readonly number[]): string | undefined {
  if (replicas < 1) return undefined;
  const shares = schedule.map((p) => {
    const { canary, stable } = planReplicas(replicas, p);
    return Math.round((canary / (canary + stable)) * 100);
  });
  if (shares.every((p, i) => p === schedule[i])) return undefined;
  return `⚠️ With ${replicas} replica${replicas === 1 ? '' : 's'}, a replica ratio gives the canary ${shares.map((p) => `${p}%`).join(' → ')} of traffic, not the shares asked; an HTTPRoute router (canary.traffic kind httproute) gives exact weights.`;
}

/** The state of the schedule's next step (the last one for a promotion to full), its streaks starting afresh. */
function advanced(s: CanaryState): Partial<CanaryState> {
  const schedule = s.schedule ?? [100];
  const last = schedule.length - 1;
  const stepIndex = s.promoteTarget === 'full' ? last : Math.min((s.stepIndex ?? 0) + 1, last);
  return { stepIndex, streaks: {}, lastVerdict: undefined, promoteTarget: undefined };
}

const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

function scopeOf(s: CanaryState): TrafficScope {
  if (!s.scope) throw new DeckhandError('deploy_invalid_state', 'The canary has no recorded scope.');
  return s.scope;
}

/** A person's /abort, or an alert's (src/signals/), seen by every step that waits. */
function manualAbort(d: Deploy): StepResult | undefined {
  const asked = d.steering.abort;
  const request = abortRequest(d);
  if (!asked || !request) return undefined;
  const s = canaryState(d);
  const failure: CanaryFailure = request.signal ? { kind: 'signal', text: request.text } : { kind: 'manual', by: asked.by, text: request.text };
  return {
    kind: 'next', step: 'abort', phase: 'rolling_back', state: { failure, ...(request.failedAt !== undefined && { failedAt: request.failedAt }) },
    message: `${failure.text}: taking traffic back to ${versionOfImage(s.fromImage ?? '')}`,
  };
}

/**
 * Canary: a second Deployment (`<name>-canary`) with the new version beside the stable one, its traffic share set
 * by a TrafficRouter, stepped through a schedule. Each step is held for the configured time and analysed every
 * interval; it advances only on a passing round. A failing check aborts (traffic back to stable, canary removed);
 * "no data" pauses and asks. Full promotion gives the stable Deployment the new image and removes the canary.
 * Every wait is a delayed job.
 */
export function createCanaryDriver(deps: ProgressiveDeps): RolloutDriver {
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? WAIT_FALLBACK_MS;

  const start: Step = async (ctx) => {
    const d = ctx.deploy;
    if (d.action.kind !== 'deploy' || d.action.strategy.kind !== 'canary') throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} is not a canary deploy.`);
    const t = deps.targetOf(d);
    const settings = deps.settingsOf(d);
    // Read at once, as neither depends on the other: on a busy cluster a step takes as long as its reads one after another.
    const [stable, serviceSelector] = await Promise.all([deps.kube.readDeployment(t.namespace, t.deployment), deps.kube.readServiceSelector(t.namespace, t.deployment)]);
    const fromImage = stable.images[t.container];
    if (fromImage === undefined) throw new DeckhandError('kube_not_found', `Deployment ${t.namespace}/${t.deployment} has no container named "${t.container}". Check the service's config.`);
    const toImage = imageFor(t, d.action.version, d.artifact?.digest);
    if (fromImage === toImage) return { kind: 'done', phase: 'succeeded', summary: `${d.service} in ${d.env} already runs ${d.action.version}; nothing to change.`, state: { fromImage, toImage } };
    const selector = serviceSelector ?? { app: t.deployment };
    const traffic = settings.canary.traffic;
    const scope: TrafficScope = {
      namespace: t.namespace, stable: t.deployment, canary: `${t.deployment}-canary`, replicas: stable.desired, serviceSelector: selector,
      ...(traffic.kind === 'httproute' ? { route: traffic.route } : {}),
      ...(traffic.kind === 'istio' ? { istio: { virtualService: traffic.virtualService, route: traffic.route, destinationRule: traffic.destinationRule, stableSubset: traffic.stableSubset ?? 'stable', canarySubset: traffic.canarySubset ?? 'canary' } } : {}),
    };
    const router = routerFor(deps, d);
    const snapshot = await router.snapshot(deps.kube, scope);
    const schedule = scheduleFor(settings.canary.steps, d.action.strategy.percent);
    const state: CanaryState = { fromImage, toImage, scope, snapshot, schedule, stepIndex: 0, streaks: {}, rounds: 0 };
    // The canary is created by this step too: creating it changes nothing this step read (the stable Deployment,
    // its Service, the route), so a re-run after a crash records the same scope and finds the canary there.
    await createCanaryOf(d, state);
    const plan = `Canary of ${d.action.version} beside ${versionOfImage(fromImage)}: ${schedule.map((p) => `${p}%`).join(' → ')}, each step held ${seconds(settings.canary.hold)} and analysed every ${seconds(settings.analysis.interval)}.`;
    const coarse = traffic.kind === 'replicas' ? replicaRatioWarning(stable.desired, schedule) : undefined;
    return { kind: 'next', step: 'set_weight', phase: 'rolling_out', state: { ...state }, message: coarse ? `${plan}\n${coarse}` : plan };
  };

  /**
   * The canary Deployment beside the stable one, created at its first step's size: its pods start at once, and no
   * status of an empty canary (rolled out, at zero) can wake the step that waits for them. Until that step sets the
   * weight (stable not yet shrunk, no route weight) it gets less than its share. A schedule that starts at 100% goes
   * straight to promotion: no canary pods.
   */
  const createCanaryOf = async (d: Deploy, s: CanaryState): Promise<void> => {
    const scope = scopeOf(s);
    const t = deps.targetOf(d);
    const router = routerFor(deps, d);
    await router.prepare(deps.kube, scope);
    const first = s.schedule?.[0] ?? 100;
    await deps.kube.createDeploymentFrom(scope.namespace, scope.stable, scope.canary, {
      container: t.container, image: s.toImage ?? '', replicas: first >= 100 ? 0 : router.canaryReplicas(scope, first), podLabels: router.canaryPodLabels(scope),
      annotations: { 'deckhand.io/deploy': d.id, 'kubernetes.io/change-cause': `deckhand canary #${d.id} by ${d.requestedBy.name}` },
    });
  };

  /** For records saved at this step by earlier versions, which created the canary in a step of its own. */
  const createCanary: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    await createCanaryOf(ctx.deploy, canaryState(ctx.deploy));
    return { kind: 'next', step: 'set_weight' };
  };

  const setWeight: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const d = ctx.deploy;
    const s = canaryState(d);
    const schedule = s.schedule ?? [100];
    const index = Math.min(s.stepIndex ?? 0, schedule.length - 1);
    const percent = schedule[index] ?? 100;
    if (percent >= 100 && deps.settingsOf(d).soak > 0) return { kind: 'next', step: 'soak_switch', message: `Bringing ${versionOfImage(s.toImage ?? '')} to full size beside ${versionOfImage(s.fromImage ?? '')}, which stays up while it is watched` };
    if (percent >= 100) return { kind: 'next', step: 'promote', message: `Promoting ${versionOfImage(s.toImage ?? '')} to stable` };
    const scope = scopeOf(s);
    const plan = await routerFor(deps, d).setWeight(deps.kube, scope, s.snapshot ?? { kind: 'replicas', stableReplicas: scope.replicas }, percent);
    const share = plan.actual === percent ? `${percent}% of traffic (${plan.how})` : `${plan.actual}% of traffic, not the ${percent}% asked: ${plan.how} is the closest a replica ratio gets`;
    const state = { plan, weightSetAt: now(), lastVerdict: undefined, holdUntil: undefined, nextAnalysisAt: undefined };
    const message = `Step ${index + 1}/${schedule.length}: canary gets ${share}`;
    // A canary just given another replica count has pods to start (its new generation is not even observed yet):
    // waiting for its Deployment to change is all a look now could conclude, so the step waits at once.
    if (plan.canaryReplicas !== (s.plan?.canaryReplicas ?? 0)) return { kind: 'wait', step: 'await_canary', delayMs: pollMs, until: { namespace: scope.namespace, name: scope.canary, when: 'settled' }, state, message };
    return { kind: 'next', step: 'await_canary', state, message };
  };

  /** Waits (by delayed job) for the canary's pods; the progress deadline is the Deployment's own. */
  const awaitCanary: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const s = canaryState(ctx.deploy);
    const scope = scopeOf(s);
    const canary = await deps.kube.findDeployment(scope.namespace, scope.canary);
    if (!canary) throw new DeckhandError('kube_not_found', `The canary Deployment ${scope.namespace}/${scope.canary} disappeared.`);
    ctx.emit({ kind: 'progress', deploy: ctx.deploy, progress: { desired: canary.desired, updated: canary.updated, ready: canary.ready, available: canary.available }, message: `Canary: ${canary.available}/${canary.desired} pods available` });
    if (isRolledOut(canary)) {
      // The hold begins: its first look is due one analysis interval from now (or at its end, if sooner), which is
      // all a look at the hold now would conclude, so the step waits for it at once. Steering meanwhile wakes it.
      const settings = deps.settingsOf(ctx.deploy);
      const t = now();
      const firstLook = Math.min(settings.analysis.interval, settings.canary.hold);
      return { kind: 'wait', step: 'hold', delayMs: firstLook, state: { holdUntil: t + settings.canary.hold, nextAnalysisAt: t + firstLook } };
    }
    const deadlineExceeded = isPastProgressDeadline(canary)
      || now() > (s.weightSetAt ?? now()) + canary.progressDeadlineSeconds * 1000;
    if (deadlineExceeded) {
      const failure: CanaryFailure = { kind: 'deadline', text: `The canary's pods did not become ready within its progress deadline (${canary.progressDeadlineSeconds} s): ${canary.available}/${canary.desired} available` };
      return { kind: 'next', step: 'abort', phase: 'rolling_back', state: { failure, failedAt: now() }, message: `${failure.text}. Aborting.` };
    }
    return { kind: 'wait', delayMs: pollMs, until: { namespace: scope.namespace, name: scope.canary, when: 'settled' } };
  };

  const hold: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const d = ctx.deploy;
    const s = canaryState(d);
    const settings = deps.settingsOf(d);
    const t = now();
    const asked = d.steering;
    if (asked.promote) {
      return { kind: 'next', step: 'advance', state: { promoteTarget: asked.promote, pausedInconclusive: false }, taken: ['promote', 'paused'], message: asked.promote === 'full' ? 'Promoted to full by request' : 'Promoted to the next step by request' };
    }
    if (asked.resume) {
      return { kind: 'wait', delayMs: 0, state: { pausedInconclusive: false, nextAnalysisAt: t, holdUntil: Math.max(s.holdUntil ?? t, t) }, taken: ['resume', 'paused'] };
    }
    if (asked.paused || s.pausedInconclusive) return { kind: 'wait', delayMs: deps.pausedRecheckMs ?? 60_000 };

    let lastVerdict = s.lastVerdict;
    let nextAnalysisAt = s.nextAnalysisAt ?? t;
    const holdUntil = s.holdUntil ?? t;
    const update: Partial<CanaryState> = {};
    if (t >= nextAnalysisAt) {
      const schedule = s.schedule ?? [];
      const index = s.stepIndex ?? 0;
      const scope = scopeOf(s);
      const target = { service: d.service, namespace: scope.namespace, version: versionOfImage(s.toImage ?? ''), podLabels: routerFor(deps, d).canaryPodLabels(scope) };
      const a = await runAnalysis(ctx, deps, checksOf(settings), target, s.streaks ?? {}, settings.analysis.failureLimit, `step ${index + 1}/${schedule.length} (${stepShare(s)})`);
      lastVerdict = a.verdict;
      Object.assign(update, { streaks: a.streaks, rounds: (s.rounds ?? 0) + 1, lastVerdict });
      if (a.verdict === 'fail' && a.failed) {
        const f = a.failed;
        const failure: CanaryFailure = { kind: 'check', check: f.check, value: f.value, threshold: f.threshold, unit: f.unit, ...(f.detail !== undefined && { detail: f.detail }), text: `Analysis failed: ${describeCheck(f)}` };
        // The failing evaluation is the moment its judgement was made; the abort latency is measured from here.
        return { kind: 'next', step: 'abort', phase: 'rolling_back', state: { ...update, failure, failedAt: now() }, message: `${failure.text}. Aborting: traffic back to ${versionOfImage(s.fromImage ?? '')}.` };
      }
      const grace = settings.analysis.noDataGrace ?? 2 * settings.analysis.interval;
      if (a.verdict === 'inconclusive' && t - (s.weightSetAt ?? t) < grace) {
        // Too early to call "no data" a problem: the next round looks again; the step cannot pass until one does.
        update.nextAnalysisAt = t + settings.analysis.interval;
        return { kind: 'wait', delayMs: settings.analysis.interval, state: { ...update } };
      }
      if (a.verdict === 'inconclusive') {
        const why = a.results.filter((r) => r.status === 'inconclusive').map(describeCheck).join('; ');
        ctx.emit({ kind: 'note', deploy: d, message: `⏸ Analysis inconclusive (${why}). The canary holds at ${stepShare(s)}: Promote to go on, Abort to take it down (/promote, /abort ${d.service} ${d.env}).` });
        return { kind: 'wait', delayMs: deps.pausedRecheckMs ?? 60_000, state: { ...update, pausedInconclusive: true } };
      }
      nextAnalysisAt = nextRoundAt(nextAnalysisAt, t, settings.analysis.interval);
      if (holdUntil > t) nextAnalysisAt = Math.min(nextAnalysisAt, holdUntil);
      update.nextAnalysisAt = nextAnalysisAt;
    }
    // The step passed: the next one is recorded with it (one save, where a separate `advance` step took two).
    if (t >= holdUntil && lastVerdict === 'pass') return { kind: 'next', step: 'set_weight', state: { ...update, ...advanced(s) } };
    const until = t >= holdUntil ? nextAnalysisAt : Math.min(nextAnalysisAt, holdUntil);
    return { kind: 'wait', delayMs: Math.max(5, until - t), state: { ...update } };
  };

  /** After a promotion by request (and for records saved at this step by earlier versions). */
  const advance: Step = async (ctx) => ({ kind: 'next', step: 'set_weight', state: advanced(canaryState(ctx.deploy)) });

  /**
   * Soak, 1: the canary at full size, stable back at (or kept at) its size — both versions up, traffic unchanged.
   * Nothing is switched until both are ready, so the switch and the switch back start no pod.
   */
  const soakSwitch: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const s = canaryState(ctx.deploy);
    const scope = scopeOf(s);
    await deps.kube.scaleDeployment(scope.namespace, scope.canary, scope.replicas);
    await deps.kube.scaleDeployment(scope.namespace, scope.stable, scope.replicas);
    return { kind: 'next', step: 'soak_ready', state: { soakPreparedAt: s.soakPreparedAt ?? now() } };
  };

  /**
   * Soak, 2: once both sides are whole, all traffic to the new version in one write — the HTTPRoute's weights
   * (stable 0, canary 100), or with a replica ratio the Service's selector narrowed to the canary's pods. Stable
   * keeps the previous version at full size with no traffic: the switch back is the same write undone.
   */
  const soakReady: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const d = ctx.deploy;
    const s = canaryState(d);
    const scope = scopeOf(s);
    const canary = await deps.kube.findDeployment(scope.namespace, scope.canary);
    if (!canary) throw new DeckhandError('kube_not_found', `The canary Deployment ${scope.namespace}/${scope.canary} disappeared.`);
    const stable = await deps.kube.readDeployment(scope.namespace, scope.stable);
    if (isRolledOut(canary) && canary.desired === scope.replicas && isRolledOut(stable)) {
      const router = routerFor(deps, d);
      const snapshot = s.snapshot ?? { kind: 'replicas', stableReplicas: scope.replicas };
      if (snapshot.kind !== 'replicas') await router.setWeight(deps.kube, scope, snapshot, 100);
      else await deps.kube.setServiceSelector(scope.namespace, scope.stable, router.canaryPodLabels(scope));
      const settings = deps.settingsOf(d);
      const soak = startSoak(settings, now());
      const warm = snapshot.kind === 'httproute' ? `${scope.stable}, weight 0 on ${snapshot.route}` : snapshot.kind === 'istio' ? `${scope.stable}, weight 0 on VirtualService ${snapshot.virtualService}` : `${scope.stable}, ${scope.replicas} pods the Service does not select`;
      return { kind: 'next', step: 'soak', phase: 'watching', state: { ...soak, soakSwitched: true }, message: soakStartMessage(settings, soak, s.fromImage, s.toImage, warm) };
    }
    if (now() > (s.soakPreparedAt ?? now()) + canary.progressDeadlineSeconds * 1000) {
      const failure: CanaryFailure = { kind: 'deadline', text: `The canary did not reach full size within its progress deadline (${canary.progressDeadlineSeconds} s): ${canary.available}/${canary.desired} available` };
      return { kind: 'next', step: 'abort', phase: 'rolling_back', state: { failure, failedAt: now() }, message: `${failure.text}. Aborting.` };
    }
    return { kind: 'wait', delayMs: pollMs, until: { namespace: scope.namespace, name: isRolledOut(canary) ? scope.stable : scope.canary, when: 'settled' } };
  };

  /** Soak, 3: watched until the window ends (or /promote ends it early); a failing check or an alert switches back. */
  const soakWatch: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const d = ctx.deploy;
    const s = canaryState(d);
    const scope = scopeOf(s);
    const from = versionOfImage(s.fromImage ?? '');
    if (d.steering.promote) return { kind: 'next', step: 'promote', taken: ['promote', 'paused', 'resume'], message: `Watch ended early by request: making ${versionOfImage(s.toImage ?? '')} stable; ${from} goes` };
    const look = await lookAtSoak(ctx, deps, { service: d.service, namespace: scope.namespace, version: versionOfImage(s.toImage ?? ''), podLabels: routerFor(deps, d).canaryPodLabels(scope) });
    switch (look.kind) {
      case 'wait': return { kind: 'wait', delayMs: look.delayMs, state: { ...look.state } };
      case 'over': {
        const soak = soakStateOf(d);
        return { kind: 'next', step: 'promote', message: `Watched for ${formatSpan((soak.soakUntil ?? 0) - (soak.soakStartedAt ?? 0))} without an alert or a failing check: making ${versionOfImage(s.toImage ?? '')} stable; ${from} goes` };
      }
      case 'fail': {
        const f = look.failed;
        const failure: CanaryFailure = { kind: 'check', check: f.check, value: f.value, threshold: f.threshold, unit: f.unit, ...(f.detail !== undefined && { detail: f.detail }), text: `Analysis failed while watching: ${describeCheck(f)}` };
        return { kind: 'next', step: 'abort', phase: 'rolling_back', state: { ...look.state, failure, failedAt: now() }, message: `${failure.text}. Switching traffic back to ${from}, still running.` };
      }
    }
  };

  /** Full promotion: the stable Deployment takes the new image at its old size; the canary goes once it is live. */
  const promote: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const d = ctx.deploy;
    const s = canaryState(d);
    const scope = scopeOf(s);
    const t = deps.targetOf(d);
    const stable = await deps.kube.readDeployment(scope.namespace, scope.stable);
    const imageChanged = stable.images[t.container] !== s.toImage;
    if (imageChanged) {
      await deps.kube.setImage(scope.namespace, scope.stable, t.container, s.toImage ?? '', `deckhand canary #${d.id} by ${d.requestedBy.name}: ${versionOfImage(s.toImage ?? '')} promoted`);
    }
    const resized = stable.desired !== scope.replicas;
    if (resized) await deps.kube.scaleDeployment(scope.namespace, scope.stable, scope.replicas);
    const state = { promotingAt: s.promotingAt ?? now() };
    // Just changed, the stable Deployment has a rollout ahead of it: the step waits for its changes at once.
    if (imageChanged || resized) return { kind: 'wait', step: 'await_promote', delayMs: pollMs, until: { namespace: scope.namespace, name: scope.stable, when: 'settled' }, state };
    return { kind: 'next', step: 'await_promote', state };
  };

  const awaitPromote: Step = async (ctx) => {
    const stop = manualAbort(ctx.deploy);
    if (stop) return stop;
    const s = canaryState(ctx.deploy);
    const scope = scopeOf(s);
    const stable = await deps.kube.readDeployment(scope.namespace, scope.stable);
    ctx.emit({ kind: 'progress', deploy: ctx.deploy, progress: { desired: stable.desired, updated: stable.updated, ready: stable.ready, available: stable.available }, message: `Promoting: ${stable.updated}/${stable.desired} stable pods on ${versionOfImage(s.toImage ?? '')}` });
    if (isRolledOut(stable)) return { kind: 'next', step: 'finish_route' };
    if (now() > (s.promotingAt ?? now()) + stable.progressDeadlineSeconds * 1000) {
      const failure: CanaryFailure = { kind: 'deadline', text: `The stable Deployment did not roll out ${versionOfImage(s.toImage ?? '')} within its progress deadline` };
      return { kind: 'next', step: 'abort', phase: 'rolling_back', state: { failure, failedAt: now() }, message: `${failure.text}. Restoring ${versionOfImage(s.fromImage ?? '')}.` };
    }
    return { kind: 'wait', delayMs: pollMs, until: { namespace: scope.namespace, name: scope.stable, when: 'settled' } };
  };

  /**
   * Route weights back to their original (all to the stable Service, which now runs the new version); after a soak
   * by replica ratio, the Service's own selector back (stable and canary both run the new version by now).
   */
  const finishRoute: Step = async (ctx) => {
    const s = canaryState(ctx.deploy);
    const scope = scopeOf(s);
    if (s.snapshot?.kind === 'httproute') await deps.kube.setRouteBackends(scope.namespace, s.snapshot.route, s.snapshot.rules);
    else if (s.snapshot?.kind === 'istio') await routerFor(deps, ctx.deploy).restore(deps.kube, scope, s.snapshot);
    else if (s.soakSwitched) await deps.kube.setServiceSelector(scope.namespace, scope.stable, scope.serviceSelector);
    return { kind: 'next', step: 'cleanup', state: { soakSwitched: false } };
  };

  const cleanup: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = canaryState(d);
    const scope = scopeOf(s);
    await deps.kube.deleteDeployment(scope.namespace, scope.canary);
    await routerFor(deps, d).cleanup(deps.kube, scope);
    const steps = (s.schedule ?? []).length;
    const soak = soakStateOf(d);
    const watched = soak.soakStartedAt !== undefined ? ` It was watched for ${formatSpan((soak.soakUntil ?? 0) - soak.soakStartedAt)} (${soak.soakRounds ?? 0} more round(s)) with ${versionOfImage(s.fromImage ?? '')} kept up, which is now replaced.` : '';
    return { kind: 'done', phase: 'succeeded', summary: `${d.service} ${versionOfImage(s.toImage ?? '')} is stable in ${d.env} after ${steps} canary step(s) and ${s.rounds ?? 0} analysis round(s); the canary is removed.${watched}` };
  };

  return {
    kind: 'canary',
    steps: new Map<string, Step>([
      ['start', start], ['create_canary', createCanary], ['set_weight', setWeight], ['await_canary', awaitCanary], ['hold', hold],
      ['advance', advance], ['soak_switch', soakSwitch], ['soak_ready', soakReady], ['soak', soakWatch], ['promote', promote], ['await_promote', awaitPromote], ['finish_route', finishRoute], ['cleanup', cleanup],
      ...canaryAbortSteps(deps),
    ]),
  };
}
