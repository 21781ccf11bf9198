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
  // A canary or blue-green deploy waiting in a delayed job acts on the flag now rather than when its wait ends.
  await deps.queue.wake?.(updated.id);
  deps.publish({ kind: 'note', deploy: updated, message: `Abort requested by ${actor.name}; restoring the previous version` });
  return { text: `🛑 Aborting deploy #${updated.id}: the previous version of ${updated.service} is being restored in ${updated.env}.`, ephemeral: true, deployId: updated.id };
}

/** `/promote`, `/pause`, `/resume` steer canary schedules; a rolling deploy has none. */
export async function steerDeploy(deps: DeskDeps, verb: 'promote' | 'pause' | 'resume', service?: string, env?: string, actor?: Actor): Promise<DeskReply> {
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
  if (kind === 'canary' || kind === 'bluegreen') return steerProgressive(deps, verb, picked, actor);
  return {
    text: `\`/${verb}\` steers canary and blue-green deploys; #${picked.id} is a ${kind} deploy, which has no steps to ${verb}. \`/abort ${picked.service} ${picked.env}\` stops it and restores the previous version.`,
    ephemeral: true, deployId: picked.id, failed: true,
  };
}

/** What each verb sets on a progressive deploy's state; its worker reads the flags at its next step (woken now). */
const STEERING: Record<'promote' | 'pause' | 'resume', Record<string, unknown>> = {
  promote: { promoteRequested: 'next', pauseRequested: false },
  pause: { pauseRequested: true },
  resume: { pauseRequested: false, resumeRequested: true },
};

async function steerProgressive(deps: DeskDeps, verb: 'promote' | 'pause' | 'resume', picked: Deploy, actor?: Actor): Promise<DeskReply> {
  if (picked.phase === 'rolling_back') return { text: `Deploy #${picked.id} is being taken down; there is nothing to ${verb}.`, ephemeral: true, deployId: picked.id, failed: true };
  const updated = await deps.deploys.update(picked.id, (d) => isEndPhase(d.phase) ? undefined : { ...d, state: { ...d.state, ...STEERING[verb] } });
  if (isEndPhase(updated.phase)) return { text: `Deploy #${updated.id} already finished (${updated.phase.replace('_', ' ')}).`, ephemeral: true, deployId: updated.id };
  await deps.queue.wake?.(updated.id);
  const who = actor ? ` by ${actor.name}` : '';
  const what = verb === 'promote' ? 'promoted to its next step' : verb === 'pause' ? 'paused at its current step' : 'resumed';
  deps.publish({ kind: 'note', deploy: updated, message: `${verb === 'pause' ? '⏸' : '▶️'} ${what[0]!.toUpperCase()}${what.slice(1)}${who}` });
  return { text: `Deploy #${updated.id} (${updated.service} in ${updated.env}) is ${what}.`, ephemeral: true, deployId: updated.id };
}
