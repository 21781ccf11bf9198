import { DeckhandError } from '../errors.ts';
import { imageFor, versionOfImage, type Deploy, type Step, type StepContext, type WorkloadTarget } from '../deploy/index.ts';
import type { KubeClient } from '../kube/index.ts';
import { followRollout } from './follow-rollout.ts';
import type { RolloutDriver } from './types.ts';

export interface RollingDeps {
  kube: KubeClient;
  targetOf(deploy: Deploy): WorkloadTarget;
  /** Extra time Deckhand waits past the Deployment's own progress deadline before giving up on its own. */
  deadlineGraceMs?: number;
}

interface RollingState {
  fromImage?: string;
  fromRevision?: number;
  toImage?: string;
  appliedAt?: number;
  failure?: string;
  rollbackRevision?: number;
}

function stateOf(d: Deploy): RollingState {
  return d.state as RollingState;
}

/**
 * Follows the Deployment until done. Shared by the forward rollout and the automatic rollback, which differ
 * only in what success and failure mean.
 */
export async function follow(ctx: StepContext, deps: RollingDeps, startedAt: number, honourAbort: boolean): Promise<Awaited<ReturnType<typeof followRollout>>> {
  const t = deps.targetOf(ctx.deploy);
  const status = await deps.kube.readDeployment(t.namespace, t.deployment);
  return followRollout({
    kube: deps.kube,
    namespace: t.namespace,
    name: t.deployment,
    deadlineAt: startedAt + status.progressDeadlineSeconds * 1000 + (deps.deadlineGraceMs ?? 15_000),
    onProgress: (progress, message) => ctx.emit({ kind: 'progress', deploy: ctx.deploy, progress, message }),
    shouldStop: async () => honourAbort && (await ctx.reload()).steering.abort !== undefined,
    signal: ctx.signal,
  });
}

export function interrupted(): never {
  throw new DeckhandError('internal_error', 'Interrupted by shutdown; the step will resume.');
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
    const toImage = imageFor(t, d.action.version);
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
    const r = await follow(ctx, deps, s.appliedAt ?? Date.now(), true);
    switch (r.kind) {
      case 'complete':
        return { kind: 'done', phase: 'succeeded', summary: `${ctx.deploy.service} ${versionOfImage(s.toImage ?? '')} is live in ${ctx.deploy.env}: ${r.status.available}/${r.status.desired} replicas available.` };
      case 'failed':
        return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: r.message }, message: `${r.message}. Rolling back to ${versionOfImage(s.fromImage ?? '')}.` };
      case 'deadline':
        return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: 'New pods did not become ready before the deadline' }, message: `New pods did not become ready in time. Rolling back to ${versionOfImage(s.fromImage ?? '')}.` };
      case 'aborted':
        return { kind: 'next', step: 'rollback', phase: 'rolling_back', state: { failure: 'Aborted on request' }, message: `Aborted. Rolling back to ${versionOfImage(s.fromImage ?? '')}.` };
      case 'interrupted':
        return interrupted();
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
    const r = await follow(ctx, deps, s.appliedAt ?? Date.now(), false);
    const from = versionOfImage(s.fromImage ?? '');
    const to = versionOfImage(s.toImage ?? '');
    const why = s.failure ?? 'The rollout failed';
    switch (r.kind) {
      case 'complete':
        return { kind: 'done', phase: ctx.deploy.steering.abort ? 'aborted' : 'rolled_back', summary: `${why}. ${ctx.deploy.service} is back on ${from} in ${ctx.deploy.env} (${to} was rolled back).` };
      case 'failed': case 'deadline':
        return { kind: 'done', phase: 'failed', summary: `${why}, and the rollback to ${from} did not become ready either. ${ctx.deploy.service} in ${ctx.deploy.env} needs a person: check \`kubectl -n ${deps.targetOf(ctx.deploy).namespace} get pods\`.` };
      case 'aborted': case 'interrupted':
        return interrupted();
    }
  };

  return {
    kind: 'rolling',
    steps: new Map<string, Step>([['start', start], ['apply', apply], ['await', awaitRollout], ['rollback', rollback], ['await_rollback', awaitRollback]]),
  };
}
