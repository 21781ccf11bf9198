import { DeckhandError } from '../errors.ts';
import { describeCheck, versionOfImage, type Deploy, type Step, type WorkloadTarget } from '../deploy/index.ts';
import { isRolledOut } from './canary-state.ts';
import { WAIT_FALLBACK_MS, type ProgressiveDeps } from './progressive-deps.ts';
import type { KubeClient } from '../kube/index.ts';
import { readState, RollingState } from './schema.ts';
import { abortRequest, formatSpan, lookAtSoak, soakStartMessage, soakStateOf, startSoak } from './watch-soak.ts';

function stateOf(d: Deploy): RollingState {
  return readState(RollingState, d, 'rolling');
}

const TRACK = 'deckhand.io/track';

/**
 * The soak of a rolling deploy. A rolling update replaces the old pods in place, so the previous version is brought
 * back up beside it as a copy of the Deployment (`<name>-previous`, full size, pod labels the Service does not
 * select). During the window an abort — a person's, an alert's, a failing check — points the Service at the copy in
 * one write (no pod starts), then undoes the Deployment itself as `/rollback` would, points the Service back at it
 * and removes the copy. At the end of the window the copy is removed. Each step is safe to run twice.
 */
export function rollingSoakSteps(deps: { kube: KubeClient; targetOf(d: Deploy): WorkloadTarget; watch: ProgressiveDeps }): [string, Step][] {
  const now = deps.watch.now ?? Date.now;
  const pollMs = deps.watch.pollMs ?? WAIT_FALLBACK_MS;

  const toRollback = (d: Deploy, text: string, failedAt?: number): ReturnType<Step> => Promise.resolve({
    kind: 'next', step: 'switch_back', phase: 'rolling_back', state: { failure: text, failedAt: failedAt ?? now() },
    message: `${text}. Switching traffic back to ${versionOfImage(stateOf(d).fromImage ?? '')}.`,
  });

  const soakPrepare: Step = async (ctx) => {
    const d = ctx.deploy;
    const asked = abortRequest(d);
    if (asked) return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: asked.text } };
    const s = stateOf(d);
    const t = deps.targetOf(d);
    const selector = await deps.kube.readServiceSelector(t.namespace, t.deployment);
    if (!selector) {
      // No Service to switch: watched all the same, and a roll back is the Deployment's own undo.
      const settings = deps.watch.settingsOf(d);
      const soak = startSoak(settings, now());
      return { kind: 'next', step: 'soak', phase: 'watching', state: { ...soak }, message: soakStartMessage(settings, soak, s.fromImage, s.toImage, `no Service ${t.deployment} to switch, so not warm: a roll back is an undo`) };
    }
    const current = await deps.kube.readDeployment(t.namespace, t.deployment);
    const podLabels = { ...Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, `${v}-previous`])), [TRACK]: 'previous' };
    const name = `${t.deployment}-previous`;
    await deps.kube.createDeploymentFrom(t.namespace, t.deployment, name, {
      container: t.container, image: s.fromImage ?? '', replicas: current.desired, podLabels,
      annotations: { 'deckhand.io/deploy': d.id, 'kubernetes.io/change-cause': `deckhand #${d.id}: ${versionOfImage(s.fromImage ?? '')} kept warm while ${versionOfImage(s.toImage ?? '')} is watched` },
    });
    return { kind: 'next', step: 'soak_warm', phase: 'watching', state: { previous: { name, podLabels, serviceSelector: selector }, previousCreatedAt: s.previousCreatedAt ?? now() } };
  };

  /** The copy of the previous version comes up (by delayed job, woken by the watch); then the window starts. */
  const soakWarm: Step = async (ctx) => {
    const d = ctx.deploy;
    const asked = abortRequest(d);
    if (asked) return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: asked.text } };
    const s = stateOf(d);
    const t = deps.targetOf(d);
    const prev = s.previous;
    if (!prev) throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} has no recorded copy of the previous version.`);
    const copy = await deps.kube.findDeployment(t.namespace, prev.name);
    if (!copy) throw new DeckhandError('kube_not_found', `The copy of the previous version ${t.namespace}/${prev.name} disappeared.`);
    const settings = deps.watch.settingsOf(d);
    if (isRolledOut(copy)) {
      const soak = startSoak(settings, now());
      return { kind: 'next', step: 'soak', state: { ...soak }, message: soakStartMessage(settings, soak, s.fromImage, s.toImage, `${prev.name}, ${copy.desired} pods the Service does not select`) };
    }
    if (now() > (s.previousCreatedAt ?? now()) + copy.progressDeadlineSeconds * 1000) {
      // The new version is fine; only the safety net failed. Watch without it rather than fail a good deploy.
      await deps.kube.deleteDeployment(t.namespace, prev.name);
      const soak = startSoak(settings, now());
      return { kind: 'next', step: 'soak', state: { ...soak, previous: undefined }, message: soakStartMessage(settings, soak, s.fromImage, s.toImage, `its copy did not become ready, so not warm: a roll back is an undo`) };
    }
    return { kind: 'wait', delayMs: pollMs, until: { namespace: t.namespace, name: prev.name, when: 'settled' } };
  };

  const soakWatch: Step = async (ctx) => {
    const d = ctx.deploy;
    const asked = abortRequest(d);
    if (asked) return toRollback(d, asked.text, asked.failedAt);
    const s = stateOf(d);
    const t = deps.targetOf(d);
    if (d.steering.promote) return { kind: 'next', step: 'soak_end', taken: ['promote'] };
    const selector = s.previous?.serviceSelector ?? await deps.kube.readServiceSelector(t.namespace, t.deployment) ?? { app: t.deployment };
    const look = await lookAtSoak(ctx, deps.watch, { service: d.service, namespace: t.namespace, version: versionOfImage(s.toImage ?? ''), podLabels: selector });
    switch (look.kind) {
      case 'wait': return { kind: 'wait', delayMs: look.delayMs, state: { ...look.state } };
      case 'over': return { kind: 'next', step: 'soak_end', state: { ...look.state } };
      case 'fail': return { ...(await toRollback(d, `Analysis failed while watching: ${describeCheck(look.failed)}`)), state: { ...look.state, failure: `Analysis failed while watching: ${describeCheck(look.failed)}`, failedAt: now() } };
    }
  };

  /** The instant part of a roll back: the Service selects the warm copy. Then the Deployment is undone (`rollback`). */
  const switchBack: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const t = deps.targetOf(ctx.deploy);
    if (!s.previous) return { kind: 'next', step: 'rollback' };
    const labels = Object.fromEntries(Object.entries(s.previous.podLabels).filter(([k]) => k !== TRACK));
    await deps.kube.setServiceSelector(t.namespace, t.deployment, labels);
    return { kind: 'next', step: 'rollback', state: { trafficRestoredAt: s.trafficRestoredAt ?? now() }, message: `Traffic is on ${versionOfImage(s.fromImage ?? '')} (${s.previous.name}); undoing ${t.deployment}` };
  };

  /** After the undo: the Service back on the Deployment's own pods, the copy removed. */
  const soakRestore: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const t = deps.targetOf(ctx.deploy);
    if (s.previous) {
      await deps.kube.setServiceSelector(t.namespace, t.deployment, s.previous.serviceSelector);
      await deps.kube.deleteDeployment(t.namespace, s.previous.name);
    }
    return { kind: 'done', phase: s.finalPhase ?? 'rolled_back', summary: s.finalSummary ?? `${ctx.deploy.service} is back on ${versionOfImage(s.fromImage ?? '')}.` };
  };

  const soakEnd: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = stateOf(d);
    const t = deps.targetOf(d);
    if (s.previous) await deps.kube.deleteDeployment(t.namespace, s.previous.name);
    const soak = soakStateOf(d);
    const watched = formatSpan((soak.soakUntil ?? 0) - (soak.soakStartedAt ?? 0));
    return {
      kind: 'done', phase: 'succeeded', taken: ['promote'],
      summary: `${d.service} ${versionOfImage(s.toImage ?? '')} is live in ${d.env}, watched for ${watched} (${soak.soakRounds ?? 0} analysis round(s), no alert)${s.previous ? `; the copy of ${versionOfImage(s.fromImage ?? '')} is removed` : ''}.`,
    };
  };

  return [['soak_prepare', soakPrepare], ['soak_warm', soakWarm], ['soak', soakWatch], ['switch_back', switchBack], ['soak_restore', soakRestore], ['soak_end', soakEnd]];
}
