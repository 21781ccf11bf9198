import type { CardActionId } from '../chat/types.ts';
import { isEndPhase, versionOfImage, type Actor, type Deploy } from '../deploy/index.ts';
import { approve, deny } from './cast-vote.ts';
import { abortDeploy, steerDeploy } from './control-deploy.ts';
import type { DeskDeps, DeskReply } from './desk.ts';
import { requestDeploy } from './request-deploy.ts';

function currentState(d: Deploy): DeskReply {
  return { text: `Deploy #${d.id} is ${d.phase.replace('_', ' ')} now${d.summary ? `: ${d.summary}` : '.'} Nothing was changed.`, ephemeral: true, deployId: d.id };
}

/** The newest deploy of the same service and environment, if it is not this one. */
async function supersededBy(deps: DeskDeps, d: Deploy): Promise<Deploy | undefined> {
  const [latest] = await deps.deploys.list({ service: d.service, env: d.env, limit: 1 });
  return latest && latest.id !== d.id && latest.phase !== 'denied' ? latest : undefined;
}

/**
 * A click on a card button. Buttons are commands in disguise and go through the same desk (and so the same policy);
 * a stale button — its deploy already moved on, or a newer deploy replaced it — answers with the current state.
 */
export async function cardAction(deps: DeskDeps, action: CardActionId, deployId: string, actor: Actor): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return { text: `There is no deploy #${deployId}.`, ephemeral: true, failed: true };
  switch (action) {
    case 'approve': return approve(deps, deployId, actor);
    case 'deny': return deny(deps, deployId, actor);
    case 'abort': case 'promote': case 'pause': case 'resume': {
      if (isEndPhase(d.phase) || d.phase === 'awaiting_approval' && action !== 'abort') return currentState(d);
      return action === 'abort' ? abortDeploy(deps, actor, d.service, d.env) : steerDeploy(deps, action, d.service, d.env, actor);
    }
    case 'rollback': {
      if (d.phase !== 'succeeded' || d.action.kind !== 'deploy') return currentState(d);
      const newer = await supersededBy(deps, d);
      if (newer) return { text: `Deploy #${d.id} was superseded by #${newer.id} (${newer.phase.replace('_', ' ')}); nothing was changed. Use \`/rollback ${d.service} ${d.env}\` to roll back what runs now.`, ephemeral: true, deployId: d.id };
      const from = d.state.fromImage;
      return requestDeploy(deps, {
        service: d.service, env: d.env, actor, channel: d.channel, dryRun: false,
        action: { kind: 'rollback', toVersion: typeof from === 'string' ? versionOfImage(from) : undefined },
        reason: `rollback of #${d.id} from its card`,
        // One rollback per card, however often the button is clicked.
        idempotencyKey: `rollback-of:${d.id}`,
      });
    }
  }
}

/** Removing the approval reaction before the deploy starts withdraws that approval. */
export async function withdrawApproval(deps: DeskDeps, deployId: string, actor: Actor): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return { text: `There is no deploy #${deployId}.`, ephemeral: true, failed: true };
  if (d.phase !== 'awaiting_approval') return currentState(d);
  const updated = await deps.deploys.update(deployId, (cur) => cur.phase === 'awaiting_approval'
    ? { ...cur, approvals: cur.approvals.filter((a) => !(a.actor.id === actor.id && a.vote === 'approve')) }
    : undefined);
  const withdrawn = updated.approvals.length < d.approvals.length;
  await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'withdraw', accepted: withdrawn });
  if (!withdrawn) return { text: `You had not approved deploy #${deployId}.`, ephemeral: true, deployId };
  deps.publish({ kind: 'note', deploy: updated, message: `${actor.name} withdrew their approval` });
  return { text: `Your approval of deploy #${deployId} is withdrawn.`, ephemeral: true, deployId };
}
