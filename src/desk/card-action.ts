import type { CardActionId } from '../chat/types.ts';
import { chat, isEndPhase, versionOfImage, type Actor, type Deploy } from '../deploy/index.ts';
import { approve, deny } from './cast-vote.ts';
import { abortPicked, steerPicked } from './control-deploy.ts';
import { phaseWords, type DeskDeps, type DeskReply } from './desk.ts';
import { requestDeploy } from './request-deploy.ts';

function currentState(d: Deploy): DeskReply {
  return { text: chat`Deploy #${d.id} is ${phaseWords(d)} now${d.summary ? chat`: ${d.summary}` : '.'} Nothing was changed.`, ephemeral: true, deployId: d.id };
}

/** The newest deploy of the same service and environment, if it is not this one. */
async function supersededBy(deps: DeskDeps, d: Deploy): Promise<Deploy | undefined> {
  const [latest] = await deps.deploys.list({ service: d.service, env: d.env, limit: 1 });
  return latest && latest.id !== d.id && latest.phase !== 'denied' ? latest : undefined;
}

/**
 * A click on a card button. Buttons are commands in disguise and go through the same gate; each acts on exactly
 * the deploy its card shows (never "whatever is in flight"), and a stale button — its deploy already moved on, or a
 * newer deploy replaced it — answers with the current state.
 */
export async function cardAction(deps: DeskDeps, action: CardActionId, deployId: string, actor: Actor): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return { text: chat`There is no deploy #${deployId}.`, ephemeral: true, failed: true };
  switch (action) {
    case 'approve': return approve(deps, deployId, actor);
    case 'deny': return deny(deps, deployId, actor);
    case 'abort': case 'promote': case 'pause': case 'resume': {
      if (isEndPhase(d.phase) || d.phase === 'awaiting_approval' && action !== 'abort') return currentState(d);
      return action === 'abort' ? abortPicked(deps, actor, d) : steerPicked(deps, action, actor, d);
    }
    case 'rollback': {
      if (d.phase !== 'succeeded' || d.action.kind !== 'deploy') return currentState(d);
      const newer = await supersededBy(deps, d);
      if (newer) return { text: chat`Deploy #${d.id} was superseded by #${newer.id} (${phaseWords(newer)}); nothing was changed. Use \`/rollback ${d.service} ${d.env}\` to roll back what runs now.`, ephemeral: true, deployId: d.id };
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
