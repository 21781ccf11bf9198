import { DeckhandError } from '../errors.ts';
import { imageFor, versionOfImage, type Deploy, type Step } from '../deploy/index.ts';
import { lookAtRollout, type RollingDeps } from './rolling-driver.ts';
import { readState, RollbackState } from './schema.ts';
import type { RolloutDriver } from './types.ts';

function stateOf(d: Deploy): RollbackState {
  return readState(RollbackState, d, 'rollback');
}

/**
 * `/rollback`: `kubectl rollout undo` semantics — to the previous revision, or to the revision that ran a named
 * version. A named version the cluster no longer has a ReplicaSet for is rolled out as a new revision.
 */
export function createRollbackDriver(deps: RollingDeps): RolloutDriver {
  const start: Step = async (ctx) => {
    const d = ctx.deploy;
    if (d.action.kind !== 'rollback') throw new DeckhandError('deploy_invalid_state', `Deploy #${d.id} is not a rollback.`);
    const t = deps.targetOf(d);
    const current = await deps.kube.readDeployment(t.namespace, t.deployment);
    const fromImage = current.images[t.container] ?? '';
    const revisions = await deps.kube.listRevisions(t.namespace, t.deployment);
    const wanted = d.action.toVersion;
    let toRevision: number | undefined;
    let toImage: string;
    if (wanted) {
      // A revision that ran the version by pinned digest (`repo:tag@sha256:…`) ran it too; it is restored as it ran.
      const ran = revisions.filter((r) => (r.images[t.container] ?? '').replace(/@.*$/, '') === imageFor(t, wanted)).at(-1);
      toRevision = ran?.revision;
      toImage = ran?.images[t.container] ?? imageFor(t, wanted);
    } else {
      const previous = revisions.filter((r) => r.revision < current.revision).at(-1);
      if (!previous) {
        return { kind: 'done', phase: 'failed', summary: `${d.service} in ${d.env} has no earlier revision to roll back to (it runs ${versionOfImage(fromImage)}, revision ${current.revision}).` };
      }
      toRevision = previous.revision;
      toImage = previous.images[t.container] ?? '';
    }
    if (toImage === fromImage) {
      return { kind: 'done', phase: 'succeeded', summary: `${d.service} in ${d.env} already runs ${versionOfImage(toImage)}; nothing to roll back.` };
    }
    return {
      kind: 'next', step: 'apply', phase: 'rolling_out', state: { fromImage, toRevision, toImage },
      message: `Rolling back ${d.service} in ${d.env} from ${versionOfImage(fromImage)} to ${versionOfImage(toImage)}${toRevision ? ` (revision ${toRevision})` : ''}`,
    };
  };

  const apply: Step = async (ctx) => {
    const d = ctx.deploy;
    const s = stateOf(d);
    const t = deps.targetOf(d);
    const current = await deps.kube.readDeployment(t.namespace, t.deployment);
    if (current.images[t.container] !== s.toImage) {
      if (s.toRevision) await deps.kube.undo(t.namespace, t.deployment, s.toRevision);
      else await deps.kube.setImage(t.namespace, t.deployment, t.container, s.toImage ?? '', `deckhand rollback #${d.id} by ${d.requestedBy.name}`);
    }
    return { kind: 'next', step: 'await', state: { appliedAt: s.appliedAt ?? Date.now() } };
  };

  const awaitRollback: Step = async (ctx) => {
    const s = stateOf(ctx.deploy);
    const r = await lookAtRollout(ctx, deps, s.appliedAt ?? Date.now());
    const to = versionOfImage(s.toImage ?? '');
    switch (r.kind) {
      case 'progressing':
        return r.wait;
      case 'complete':
        return { kind: 'done', phase: 'succeeded', summary: `${ctx.deploy.service} is back on ${to} in ${ctx.deploy.env}: ${r.status.available}/${r.status.desired} replicas available.` };
      case 'failed': case 'deadline':
        return { kind: 'done', phase: 'failed', summary: `The rollback to ${to} did not become ready. ${ctx.deploy.service} in ${ctx.deploy.env} needs a person.` };
    }
  };

  return { kind: 'rollback', steps: new Map<string, Step>([['start', start], ['apply', apply], ['await', awaitRollback]]) };
}
