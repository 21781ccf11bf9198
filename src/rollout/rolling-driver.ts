import { DeckhandError } from '../errors.ts';
import { abortRequest } from './watch-soak.ts';
import { imageFor, versionOfImage, type Deploy, type Step, type StepContext, type StepResult, type WorkloadTarget } from '../deploy/index.ts';
import type { KubeClient, WorkloadStatus } from '../kube/index.ts';
import { assessRollout } from './assess-rollout.ts';
import { WAIT_FALLBACK_MS, type ProgressiveDeps } from './progressive-deps.ts';
import { rollingSoakSteps } from './rolling-soak.ts';
import { readState, RollingState } from './schema.ts';
import type { RolloutDriver } from './types.ts';

export interface RollingDeps {
  kube: KubeClient;
  targetOf(deploy: Deploy): WorkloadTarget;
  /** Extra time Deckhand waits past the Deployment's own progress deadline before giving up on its own. */
  deadlineGraceMs?: number;
  /** Settings and analysis for the soak after the rollout (`soak:`); without it a rolling deploy ends when rolled out. */
  watch?: ProgressiveDeps;
}

function stateOf(d: Deploy): RollingState {
  return readState(RollingState, d, 'rolling');
}

export type RolloutLook =
  | { kind: 'complete' | 'deadline'; status: WorkloadStatus }
  | { kind: 'failed'; status: WorkloadStatus; message: string }
  /** Still going: wait for the next change of the Deployment (the watch wakes the step), or the deadline. */
  | { kind: 'progressing'; wait: StepResult };

/**
 * One look at the service's Deployment, judged as `kubectl rollout status` judges it. Nothing waits here and no
 * worker is held: a rollout still in progress is a delayed job that the Deployment watch (rollout-waker.ts) wakes on
 * every change, with the progress deadline (plus a grace, in case the cluster never reports it) as the fallback.
 * Shared by the forward rollout, the automatic rollback and /rollback, which differ only in what the ends mean.
 */
export async function lookAtRollout(ctx: StepContext, deps: RollingDeps, startedAt: number): Promise<RolloutLook> {
  const t = deps.targetOf(ctx.deploy);
  const status = await deps.kube.readDeployment(t.namespace, t.deployment);
  const a = assessRollout(status);
  ctx.emit({ kind: 'progress', deploy: ctx.deploy, progress: a.progress, message: a.message });
  if (a.kind === 'complete') return { kind: 'complete', status };
  if (a.kind === 'failed') return { kind: 'failed', status, message: a.message };
  const deadlineAt = startedAt + status.progressDeadlineSeconds * 1000 + (deps.deadlineGraceMs ?? 15_000);
  const left = deadlineAt - Date.now();
  if (left <= 0) return { kind: 'deadline', status };
  return { kind: 'progressing', wait: { kind: 'wait', delayMs: Math.min(WAIT_FALLBACK_MS, left + 1), until: { namespace: t.namespace, name: t.deployment } } };
}

/** Rolling update: patch the image, follow the rollout, and undo it automatically if it fails. */
export function createRollingDriver(deps: RollingDeps): RolloutDriver {
  const start: Step = async (ctx) => {
    const d = ctx.deploy;
    if (d.action.kind !== 'deploy') throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} is not a rolling deploy.`);
    const t = deps.targetOf(d);
    const current = await deps.kube.readDeployment(t.namespace, t.deployment);
    const fromImage = current.images[t.container];
    if (fromImage === undefined) {
      throw new DeckhandError('kube_not_found', `Deployment ${t.namespace}/${t.deployment} has no container named "${t.container}". Check the service's config.`);
    }
    const toImage = imageFor(t, d.action.version, d.artifact?.digest);
    const state: RollingState = { fromImage, fromRevision: current.revision, toImage };
    if (fromImage === toImage && current.updated === current.desired && current.available === current.desired) {
      return { kind: 'done', phase: 'succeeded', summary: `${d.service} in ${d.env} already runs ${d.action.version}; nothing to change.`, state: { ...state } };
    }
    return { kind: 'next', step: 'apply', phase: 'rolling_out', state: { ...state }, message: `Rolling out ${d.action.version} (was ${versionOfImage(fromImage)})` };
  };

  const apply: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = stateOf(d);
    const t = deps.targetOf(d);
    const current = await deps.kube.readDeployment(t.namespace, t.deployment);
    // Re-run after a crash between the patch and its record: the cluster already has it, so do not patch again.
    if (current.images[t.container] !== s.toImage) {
      await deps.kube.setImage(t.namespace, t.deployment, t.container, s.toImage ?? '', `deckhand deploy #${d.id} by ${d.requestedBy.name}: ${versionOfImage(s.toImage ?? '')}`);
    }
    return { kind: 'next', step: 'await', state: { appliedAt: s.appliedAt ?? Date.now() } };
  };

  const awaitRollout: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    // A person's /abort (or an alert's) wakes this step; it rolls back whatever the rollout's state.
    const asked = abortRequest(ctx.deploy);
    if (asked) {
      return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: asked.text }, message: `${asked.text}. Rolling back to ${versionOfImage(s.fromImage ?? '')}.` };
    }
    const r = await lookAtRollout(ctx, deps, s.appliedAt ?? Date.now());
    switch (r.kind) {
      case 'progressing':
        return r.wait;
      case 'complete':
        if (deps.watch && deps.watch.settingsOf(ctx.deploy).soak > 0) return { kind: 'next', step: 'soak_prepare', message: `${versionOfImage(s.toImage ?? '')} is rolled out; bringing ${versionOfImage(s.fromImage ?? '')} back up beside it, with no traffic, for the watch` };
        return { kind: 'done', phase: 'succeeded', summary: `${ctx.deploy.service} ${versionOfImage(s.toImage ?? '')} is live in ${ctx.deploy.env}: ${r.status.available}/${r.status.desired} replicas available.` };
      case 'failed':
        return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: r.message }, message: `${r.message}. Rolling back to ${versionOfImage(s.fromImage ?? '')}.` };
      case 'deadline':
        return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: 'New pods did not become ready before the deadline' }, message: `New pods did not become ready in time. Rolling back to ${versionOfImage(s.fromImage ?? '')}.` };
    }
  };

  const rollback: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const t = deps.targetOf(ctx.deploy);
    const current = await deps.kube.readDeployment(t.namespace, t.deployment);
    if (current.images[t.container] !== s.fromImage) {
      const restored = await deps.kube.undo(t.namespace, t.deployment, s.fromRevision || undefined);
      return { kind: 'next', step: 'await_rollback', state: { rollbackRevision: restored.restored, appliedAt: Date.now() } };
    }
    return { kind: 'next', step: 'await_rollback', state: { appliedAt: Date.now() } };
  };

  const awaitRollback: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const r = await lookAtRollout(ctx, deps, s.appliedAt ?? Date.now());
    const from = versionOfImage(s.fromImage ?? '');
    const to = versionOfImage(s.toImage ?? '');
    const why = s.failure ?? 'The rollout failed';
    switch (r.kind) {
      case 'progressing':
        return r.wait;
      case 'complete': {
        const phase = ctx.deploy.steering.abort && !ctx.deploy.steering.abort.signal ? 'aborted' : 'rolled_back';
        const latency = s.trafficRestoredAt && s.failedAt ? ` Traffic was back on ${from} ${s.trafficRestoredAt - s.failedAt} ms after ${ctx.deploy.steering.abort?.signal ? 'the alert arrived' : 'the abort'}, on the copy kept warm.` : '';
        const summary = `${why}. ${ctx.deploy.service} is back on ${from} in ${ctx.deploy.env} (${to} was rolled back).${latency}`;
        // After a soak, the Service goes back to its own selector and the warm copy is removed.
        if (s.previous) return { kind: 'next', step: 'soak_restore', state: { finalPhase: phase, finalSummary: summary } };
        return { kind: 'done', phase, summary };
      }
      case 'failed': case 'deadline':
        return { kind: 'done', phase: 'failed', summary: `${why}, and the rollback to ${from} did not become ready either. ${ctx.deploy.service} in ${ctx.deploy.env} needs a person: check \`kubectl -n ${deps.targetOf(ctx.deploy).namespace} get pods\`.` };
    }
  };

  return {
    kind: 'rolling',
    steps: new Map<string, Step>([
      ['start', start], ['apply', apply], ['await', awaitRollout], ['rollback', rollback], ['await_rollback', awaitRollback],
      ...(deps.watch ? rollingSoakSteps({ ...deps, watch: deps.watch }) : []),
    ]),
  };
}
