import { chat, isEndPhase, type Actor, type Deploy, type SignalRef, type Steering } from '../deploy/index.ts';
import { denialText, phaseWords, type DeskDeps, type DeskReply } from './desk.ts';
import { authorize } from './gate.ts';

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
  if (found.length === 0) return { text: chat`Nothing is in flight for ${service}${env ? chat` in ${env}` : ''}.`, ephemeral: true, failed: true };
  if (found.length > 1) {
    return { text: chat`${service} has deploys in flight in ${found.map((d) => d.env).join(' and ')}. Say which: \`/${verb} ${service} ${found[0]?.env}\`.`, ephemeral: true, failed: true };
  }
  return found[0]!;
}

function finished(d: Deploy): DeskReply {
  return { text: chat`Deploy #${d.id} already finished (${phaseWords(d)}).`, ephemeral: true, deployId: d.id };
}

/**
 * `/abort`: a deploy not yet rolling ends at once; one rolling out is flagged, and its worker restores the
 * previous version (the flag is read on every change the rollout makes).
 */
export async function abortDeploy(deps: DeskDeps, actor: Actor, service: string, env?: string, reason?: string): Promise<DeskReply> {
  const picked = await pickOne(deps, 'abort', service, env);
  if (!('id' in picked)) return picked;
  return abortPicked(deps, actor, picked, reason);
}

/**
 * Aborts the deploy given (a button names it; `/abort` and `/rollback` find it; a monitoring `signal` — an alert —
 * names it too, and its steps then say which alert and roll back instead of ending as `aborted`).
 */
export async function abortPicked(deps: DeskDeps, actor: Actor, picked: Deploy, reason?: string, signal?: SignalRef): Promise<DeskReply> {
  const gate = await authorize(deps, 'abort', { service: picked.service, env: picked.env, actor, deploy: picked });
  if (!gate.ok) return { text: chat`🚫 You may not abort deploy #${picked.id}.\n${denialText(gate.decision)}`, ephemeral: true, deployId: picked.id, failed: true };
  const summary = `Aborted by ${actor.name}${reason ? `: ${reason}` : ''}.`;
  const updated = await deps.writes.updateDeploy(gate.grant, picked.id, (d) => {
    if (isEndPhase(d.phase)) return undefined;
    if (d.phase === 'awaiting_approval') return { ...d, phase: 'aborted', step: 'done', summary };
    return { ...d, steering: { ...d.steering, abort: { by: actor.name, ...(reason !== undefined && { reason }), ...(signal && { signal }) } } };
  });
  if (updated.phase === 'aborted' && updated.summary === summary) {
    await deps.writes.releaseDeployLock(gate.grant, updated);
    deps.publish({ kind: 'phase', deploy: updated, phase: 'aborted', message: summary });
    return { text: chat`🛑 Deploy #${updated.id} aborted before it started.`, ephemeral: true, deployId: updated.id };
  }
  if (isEndPhase(updated.phase)) return finished(updated);
  // A canary or blue-green deploy waiting in a delayed job acts on the flag now rather than when its wait ends.
  await deps.writes.wake(gate.grant, updated.id);
  const what = abortWords(updated);
  deps.publish({ kind: 'note', deploy: updated, message: `Abort requested by ${actor.name}${reason ? ` (“${reason}”)` : ''}: ${what}` });
  return { text: chat`🛑 Aborting deploy #${updated.id}: ${what}.`, ephemeral: true, deployId: updated.id };
}

/** What an abort does to a deploy where it stands: before the rollout nothing needs restoring. */
function abortWords(d: Deploy): string {
  switch (d.phase) {
    case 'queued': return `it stops before anything is rolled out; ${d.service} in ${d.env} stays as it is`;
    case 'building': return `it stops during its build; nothing is rolled out and ${d.service} in ${d.env} stays as it is (the build itself goes on)`;
    case 'rolling_back': return `it is already being rolled back; the previous version of ${d.service} is being restored in ${d.env}`;
    case 'watching': return d.delivery === 'gitops'
      ? `a revert commit puts the previous version of ${d.service} back in ${d.env}; Argo CD syncs it`
      : `traffic goes back to the previous version of ${d.service}, still running, in ${d.env}`;
    default: return `the previous version of ${d.service} is being restored in ${d.env}`;
  }
}

type SteerVerb = 'promote' | 'pause' | 'resume';

/** `/promote`, `/pause`, `/resume` steer canary schedules; a rolling deploy has none. */
export async function steerDeploy(deps: DeskDeps, verb: SteerVerb, actor: Actor, service?: string, env?: string, full = false): Promise<DeskReply> {
  if (!service) {
    const all: Deploy[] = [];
    for (const name of deps.services.keys()) all.push(...await findInFlight(deps, name));
    if (all.length !== 1) {
      return all.length
        ? { text: chat`Several deploys are in flight (${all.map((d) => `#${d.id} ${d.service}/${d.env}`).join(', ')}); say which: \`/${verb} <service> [env]\`.`, ephemeral: true, failed: true }
        : { text: chat`Nothing is in flight.`, ephemeral: true, failed: true };
    }
    service = all[0]!.service;
    env = all[0]!.env;
  }
  const picked = await pickOne(deps, verb, service, env);
  if (!('id' in picked)) return picked;
  return steerPicked(deps, verb, actor, picked, full);
}

/** What each verb asks of a progressive deploy; its worker reads the requests at its next step (woken now). */
const STEERING: Record<SteerVerb, (s: Steering) => Steering> = {
  promote: ({ paused: _p, ...s }) => ({ ...s, promote: 'next' }),
  pause: (s) => ({ ...s, paused: true }),
  resume: ({ paused: _p, ...s }) => ({ ...s, resume: true }),
};

/** What a steering request does to the deploy where it stands, in the words its card and reply use. */
function steerWords(d: Deploy, verb: SteerVerb, full: boolean): string {
  if (d.delivery === 'argo-rollouts') {
    if (verb === 'promote') return full ? 'promoted past all its remaining steps (Argo Rollouts promote --full)' : 'promoted to its next step (Argo Rollouts promote)';
    return verb === 'pause' ? 'paused (Argo Rollouts pause)' : 'resumed (Argo Rollouts resume)';
  }
  if (d.phase === 'watching') return d.delivery === 'gitops' ? 'promoted: its watch ends now' : 'promoted: its watch ends now, and the previous version is let go with the instant roll back';
  const notYet = d.phase === 'rolling_out' ? '' : ` once its rollout starts (it is ${phaseWords(d)})`;
  if (d.action.kind === 'deploy' && d.action.strategy.kind === 'bluegreen') {
    if (d.step === 'keep') return 'promoted: the old colour is let go now, and with it the instant roll back';
    return `${verb === 'promote' ? 'promoted' : 'resumed'}: traffic switches to the new colour as soon as its pods are ready, without waiting for its probes${notYet}`;
  }
  const words = verb === 'promote' ? 'promoted to its next step' : verb === 'pause' ? 'paused at its current step' : 'resumed';
  return `${words}${notYet}`;
}

/** Steers the deploy given, after the gate: the policy decides who may steer whose deploy. */
export async function steerPicked(deps: DeskDeps, verb: SteerVerb, actor: Actor, picked: Deploy, full = false): Promise<DeskReply> {
  // A Rollout runs its own steps whatever was typed: every verb is the kubectl plugin's.
  const kind = picked.delivery === 'argo-rollouts' && picked.action.kind === 'deploy' ? 'canary'
    : picked.action.kind === 'deploy' ? picked.action.strategy.kind : 'rollback';
  if (picked.delivery === 'gitops' && !(picked.phase === 'watching' && verb === 'promote')) {
    const watched = picked.phase === 'watching' ? chat` It is watched until its soak window ends; \`/promote ${picked.service} ${picked.env}\` ends the watch now.` : chat``;
    return { text: chat`\`/${verb}\` steers progressive rollouts; #${picked.id} goes through Argo CD (GitOps), which has no steps to ${verb}.${watched} \`/abort ${picked.service} ${picked.env}\` reverts its commit.`, ephemeral: true, deployId: picked.id, failed: true };
  }
  // A soak window (any strategy) is ended early by /promote; there is nothing in it to pause or resume.
  if (picked.phase === 'watching' && verb !== 'promote') {
    return { text: chat`Deploy #${picked.id} is promoted and watched until its soak window ends; there is nothing to ${verb}. \`/promote ${picked.service} ${picked.env}\` ends the watch now, \`/rollback ${picked.service} ${picked.env}\` switches back to the previous version.`, ephemeral: true, deployId: picked.id, failed: true };
  }
  if (kind !== 'canary' && kind !== 'bluegreen' && picked.phase !== 'watching') {
    return {
      text: chat`\`/${verb}\` steers canary and blue-green deploys; #${picked.id} is a ${kind} deploy, which has no steps to ${verb}. \`/abort ${picked.service} ${picked.env}\` stops it and restores the previous version.`,
      ephemeral: true, deployId: picked.id, failed: true,
    };
  }
  if (picked.phase === 'rolling_back') return { text: chat`Deploy #${picked.id} is being taken down; there is nothing to ${verb}.`, ephemeral: true, deployId: picked.id, failed: true };
  // Blue-green has no schedule: a pause would be recorded and never acted on.
  if (kind === 'bluegreen' && verb === 'pause') {
    return {
      text: chat`\`/pause\` holds a canary at its step; blue-green deploy #${picked.id} has no steps to hold. \`/promote ${picked.service} ${picked.env}\` moves it on now, \`/abort ${picked.service} ${picked.env}\` keeps (or puts back) the old version.`,
      ephemeral: true, deployId: picked.id, failed: true,
    };
  }
  const gate = await authorize(deps, verb, { service: picked.service, env: picked.env, actor, deploy: picked });
  if (!gate.ok) return { text: chat`🚫 You may not ${verb} deploy #${picked.id}.\n${denialText(gate.decision)}`, ephemeral: true, deployId: picked.id, failed: true };
  const updated = await deps.writes.updateDeploy(gate.grant, picked.id, (d) => isEndPhase(d.phase) ? undefined : { ...d, steering: full && verb === 'promote' ? { ...STEERING.promote(d.steering), promote: 'full' } : STEERING[verb](d.steering) });
  if (isEndPhase(updated.phase)) return finished(updated);
  await deps.writes.wake(gate.grant, updated.id);
  const what = steerWords(updated, verb, full);
  deps.publish({ kind: 'note', deploy: updated, message: `${verb === 'pause' ? '⏸' : '▶️'} ${what[0]!.toUpperCase()}${what.slice(1)} (asked by ${actor.name})` });
  return { text: chat`Deploy #${updated.id} (${updated.service} in ${updated.env}) is ${what}.`, ephemeral: true, deployId: updated.id };
}
