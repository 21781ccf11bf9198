import { chat, isEndPhase, type ChatText, type Deploy } from '../deploy/index.ts';
import type { LockHolder } from '../store/index.ts';
import { phaseWords, type DeskDeps } from './desk.ts';
import type { Grant } from './grant.ts';

export type LockOutcome = { ok: true; reclaimed?: string } | { ok: false; holder: LockHolder; holderDeploy?: Deploy };

/**
 * Takes the service+environment lock for a deploy. A lock held by a deploy that is over (or gone) is stale —
 * its process died before releasing it — and is reclaimed, with a note, rather than blocking people forever.
 */
export async function takeDeployLock(deps: DeskDeps, grant: Grant, d: Deploy): Promise<LockOutcome> {
  const mine: LockHolder = { kind: 'deploy', deployId: d.id, by: d.requestedBy.name, at: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await deps.writes.acquireLock(grant, d.service, d.env, mine);
    if (r.ok) return { ok: true };
    if (r.holder.kind === 'deploy' && r.holder.deployId === d.id) return { ok: true };
    if (r.holder.kind === 'manual') return { ok: false, holder: r.holder };
    const holderDeploy = await deps.deploys.get(r.holder.deployId);
    if (holderDeploy && !isEndPhase(holderDeploy.phase)) return { ok: false, holder: r.holder, holderDeploy };
    if (await deps.writes.swapLock(grant, d.service, d.env, r.holder, mine)) {
      const note = `lock held by deploy #${r.holder.deployId} (${holderDeploy ? holderDeploy.phase : 'no record'}) was stale and was reclaimed for #${d.id}`;
      await deps.audit.record({ kind: 'lock', service: d.service, env: d.env, actor: d.requestedBy, what: 'reclaimed', note });
      return { ok: true, reclaimed: note };
    }
  }
  const holder = await deps.locks.get(d.service, d.env);
  return holder ? { ok: false, holder } : { ok: false, holder: mine };
}

export function describeHolder(service: string, env: string, o: { holder: LockHolder; holderDeploy?: Deploy }): ChatText {
  if (o.holder.kind === 'manual') {
    return chat`🔒 ${service} in ${env} is locked by ${o.holder.by}${o.holder.reason ? chat` (“${o.holder.reason}”)` : ''}. Ask them, or \`/unlock ${service} ${env}\` when it is safe.`;
  }
  const phase = o.holderDeploy ? phaseWords(o.holderDeploy) : 'in progress';
  return chat`🔒 ${service} in ${env} is busy: deploy #${o.holder.deployId} by ${o.holder.by} is ${phase}. Wait for it to finish, or \`/abort ${service} ${env}\` it.`;
}
