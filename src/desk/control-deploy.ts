import { isEndPhase, type Actor, type Deploy } from '../deploy/index.ts';
import { decide, denialText, type DeskDeps, type DeskReply } from './desk.ts';

/** The deploy in flight for a service (in `env`, or in whichever environment has one). */
export async function findInFlight(deps: DeskDeps, service: string, env?: string): Promise<Deploy[]> {
  const envs = env ? [env] : Object.keys(deps.services.get(service)?.environments ?? {});
  const found: Deploy[] = [];
  for (const e of envs) {
    const holder = await deps.locks.get(service, e);
    if (holder?.kind !== 'deploy') continue;
    const d = await deps.deploys.get(holder.deployId);
    if (d && !isEndPhase(d.phase)) found.push(d);
  }
  return found;
}

async function pickOne(deps: DeskDeps, verb: string, service: string, env?: string): Promise<Deploy | DeskReply> {
  const found = await findInFlight(deps, service, env);
  if (found.length === 0) return { text: `Nothing is in flight for ${service}${env ? ` in ${env}` : ''}.`, ephemeral: true, failed: true };
  if (found.length > 1) {
    return { text: `${service} has deploys in flight in ${found.map((d) => d.env).join(' and ')}. Say which: \`/${verb} ${service} ${found[0]?.env}\`.`, ephemeral: true, failed: true };
  }
  return found[0]!;
}

/**
 * `/abort`: a deploy not yet rolling ends at once; one rolling out is flagged, and its worker restores the
 * previous version (the flag is read on every change the rollout makes).
 */
export async function abortDeploy(deps: DeskDeps, actor: Actor, service: string, env?: string, reason?: string): Promise<DeskReply> {
  const picked = await pickOne(deps, 'abort', service, env);
  if (!('id' in picked)) return picked;
  const { decision } = await decide(deps, 'abort', { service: picked.service, env: picked.env, actor, deploy: picked });
  if (decision.deny.length) return { text: `🚫 You may not abort deploy #${picked.id}.\n${denialText(decision)}`, ephemeral: true, failed: true };
  const summary = `Aborted by ${actor.name}${reason ? `: ${reason}` : ''}.`;
  const updated = await deps.deploys.update(picked.id, (d) => {
    if (isEndPhase(d.phase)) return undefined;
    if (d.phase === 'awaiting_approval') return { ...d, phase: 'aborted', step: 'done', summary };
    return { ...d, state: { ...d.state, abortRequested: true, abortedBy: actor.name, abortReason: reason } };
  });
  if (updated.phase === 'aborted') {
    await deps.locks.releaseDeploy(updated.service, updated.env, updated.id);
    deps.publish({ kind: 'phase', deploy: updated, phase: 'aborted', message: summary });
    return { text: `🛑 Deploy #${updated.id} aborted before it started.`, ephemeral: true, deployId: updated.id };
  }
  if (isEndPhase(updated.phase)) return { text: `Deploy #${updated.id} already finished (${updated.phase.replace('_', ' ')}).`, ephemeral: true, deployId: updated.id };
  deps.publish({ kind: 'note', deploy: updated, message: `Abort requested by ${actor.name}; restoring the previous version` });
  return { text: `🛑 Aborting deploy #${updated.id}: the previous version of ${updated.service} is being restored in ${updated.env}.`, ephemeral: true, deployId: updated.id };
}

/** `/promote`, `/pause`, `/resume` steer canary schedules; a rolling deploy has none. */
export async function steerDeploy(deps: DeskDeps, verb: 'promote' | 'pause' | 'resume', service?: string, env?: string): Promise<DeskReply> {
  if (!service) {
    const all: Deploy[] = [];
    for (const name of deps.services.keys()) all.push(...await findInFlight(deps, name));
    if (all.length !== 1) {
      return { text: all.length ? `Several deploys are in flight (${all.map((d) => `#${d.id} ${d.service}/${d.env}`).join(', ')}); say which: \`/${verb} <service> [env]\`.` : 'Nothing is in flight.', ephemeral: true, failed: true };
    }
    service = all[0]!.service;
    env = all[0]!.env;
  }
  const picked = await pickOne(deps, verb, service, env);
  if (!('id' in picked)) return picked;
  const kind = picked.action.kind === 'deploy' ? picked.action.strategy.kind : 'rollback';
  return {
    text: `\`/${verb}\` steers canary and blue-green deploys; #${picked.id} is a ${kind} deploy, which has no steps to ${verb}. \`/abort ${picked.service} ${picked.env}\` stops it and restores the previous version.`,
    ephemeral: true, deployId: picked.id, failed: true,
  };
}
