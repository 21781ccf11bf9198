import { formatCheckValue as formatValue, versionOfImage, type Deploy, type Step } from '../deploy/index.ts';
import { DeckhandError } from '../errors.ts';
import { canaryState, isRolledOut, stepShare, type CanaryFailure, type CanaryState } from './canary-state.ts';
import { WAIT_FALLBACK_MS, type ProgressiveDeps } from './progressive-deps.ts';
import type { TrafficScope } from './traffic/index.ts';

function scopeOf(s: CanaryState): TrafficScope {
  if (!s.scope) throw new DeckhandError('deploy_invalid_state', 'The canary has no recorded scope.');
  return s.scope;
}

/**
 * What an abort's latency is measured from: the failing evaluation, or the moment the deadline was seen passed. A
 * person's abort has neither, so no latency is claimed for it.
 */
function measuredFrom(f: CanaryFailure | undefined): string | undefined {
  if (!f || f.kind === 'manual') return undefined;
  if (f.kind === 'signal') return 'the alert arrived';
  return f.kind === 'check' ? 'the failing evaluation' : 'the deadline passed';
}

/** The end of an abort, in words: what failed, with its value, and how fast traffic was back. */
function abortSummary(d: Deploy, s: CanaryState): string {
  const f = s.failure;
  const from = versionOfImage(s.fromImage ?? '');
  const to = versionOfImage(s.toImage ?? '');
  const watched = typeof d.state.soakStartedAt === 'number';
  const step = watched ? ' while it was watched after promotion (the previous version was still up)'
    : s.schedule && s.stepIndex !== undefined ? ` at step ${s.stepIndex + 1}/${s.schedule.length} (${stepShare(s)})` : '';
  const why = !f ? 'The canary was aborted'
    : f.kind === 'check' ? `Check ${f.check} failed: ${f.unit === 'count' && f.detail ? f.detail : `${formatValue(f.value, f.unit)} against a limit of ${formatValue(f.threshold, f.unit)}`}`
    : f.text;
  const origin = measuredFrom(f);
  const latency = origin && s.failedAt && s.trafficRestoredAt ? ` Traffic was back on ${from} ${s.trafficRestoredAt - s.failedAt} ms after ${origin}.` : '';
  return `${why}. Canary ${to} aborted${step}; ${d.service} in ${d.env} is back on ${from} exactly as before (${s.scope?.replicas ?? '?'} replicas${s.snapshot?.kind === 'httproute' ? `, ${s.snapshot.route} weights restored` : ''}).${latency}`;
}

/**
 * Taking a canary down: traffic back to stable first (the route, or the stable size with the canary at zero), then
 * the canary removed, then the stable side followed until it is as it was. Each step is safe to run twice.
 */
export function canaryAbortSteps(deps: ProgressiveDeps): [string, Step][] {
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? WAIT_FALLBACK_MS;
  const routerOf = (d: Deploy) => {
    const r = deps.routers.get(canaryState(d).snapshot?.kind ?? 'replicas');
    if (!r) throw new DeckhandError('deploy_invalid_state', 'No traffic router for this canary.');
    return r;
  };

  const abort: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = canaryState(d);
    const scope = scopeOf(s);
    const t = deps.targetOf(d);
    const router = routerOf(d);
    // A soak by replica ratio: the Service selects the canary alone; it selects stable (kept at size) again first.
    if (s.soakSwitched && (s.snapshot?.kind ?? 'replicas') === 'replicas') await deps.kube.setServiceSelector(scope.namespace, scope.stable, scope.serviceSelector);
    await router.restore(deps.kube, scope, s.snapshot ?? { kind: 'replicas', stableReplicas: scope.replicas });
    // From this write on, the Service (or route) sends nothing to the canary.
    const restoredAt = s.trafficRestoredAt ?? now();
    // A promotion had begun: the stable Deployment gets its old image back.
    const stable = await deps.kube.readDeployment(scope.namespace, scope.stable);
    if (s.fromImage && stable.images[t.container] !== s.fromImage) {
      await deps.kube.setImage(scope.namespace, scope.stable, t.container, s.fromImage, `deckhand canary #${d.id} aborted: back to ${versionOfImage(s.fromImage)}`);
    }
    const failedAt = s.failedAt ?? restoredAt;
    const f = s.failure;
    const when = f?.kind === 'manual' ? `aborted by ${f.by}` : `${restoredAt - failedAt} ms after ${measuredFrom(f) ?? 'the abort'}`;
    return {
      kind: 'next', step: 'abort_cleanup', state: { trafficRestoredAt: restoredAt, failedAt },
      message: `Traffic is back on ${versionOfImage(s.fromImage ?? '')} (${when}); removing the canary`,
    };
  };

  const abortCleanup: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = canaryState(d);
    const scope = scopeOf(s);
    await deps.kube.deleteDeployment(scope.namespace, scope.canary);
    await routerOf(d).cleanup(deps.kube, scope);
    return { kind: 'next', step: 'abort_await', state: { abortCleanedAt: now() } };
  };

  const abortAwait: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = canaryState(d);
    const scope = scopeOf(s);
    const stable = await deps.kube.readDeployment(scope.namespace, scope.stable);
    const canary = await deps.kube.findDeployment(scope.namespace, scope.canary);
    if (isRolledOut(stable) && !canary) {
      return { kind: 'done', phase: s.failure?.kind === 'manual' ? 'aborted' : 'rolled_back', summary: abortSummary(d, s) };
    }
    const since = s.abortCleanedAt ?? now();
    if (now() > since + (stable.progressDeadlineSeconds + 15) * 1000) {
      return { kind: 'done', phase: 'failed', summary: `${abortSummary(d, s)} But the stable Deployment did not become ready again: ${d.service} in ${d.env} needs a person (\`kubectl -n ${scope.namespace} get pods\`).` };
    }
    return { kind: 'wait', delayMs: pollMs, until: { namespace: scope.namespace, name: scope.stable } };
  };

  return [['abort', abort], ['abort_cleanup', abortCleanup], ['abort_await', abortAwait]];
}
