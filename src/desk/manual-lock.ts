import { chat, type Actor } from '../deploy/index.ts';
import type { LockHolder } from '../store/index.ts';
import { denialText, type DeskDeps, type DeskReply } from './desk.ts';
import { authorize } from './gate.ts';
import type { Grant } from './grant.ts';
import { describeHolder } from './locks.ts';

function envsOf(deps: DeskDeps, service: string, env?: string): string[] {
  return env ? [env] : Object.keys(deps.services.get(service)?.environments ?? {});
}

/** One grant per environment: the policy may treat production differently; any refusal refuses the whole command. */
async function authorizeEach(deps: DeskDeps, verb: 'lock' | 'unlock', actor: Actor, service: string, envs: string[]): Promise<Map<string, Grant> | DeskReply> {
  const grants = new Map<string, Grant>();
  for (const e of envs) {
    const gate = await authorize(deps, verb, { service, env: e, actor });
    if (!gate.ok) return { text: chat`🚫 You may not ${verb} ${service}${envs.length > 1 ? chat` in ${e}` : ''}.\n${denialText(gate.decision)}`, ephemeral: true, failed: true };
    grants.set(e, gate.grant);
  }
  return grants;
}

/** `/lock`: holds every named environment, or none of them (taken locks are given back on a conflict). */
export async function lockService(deps: DeskDeps, actor: Actor, service: string, env?: string, reason?: string): Promise<DeskReply> {
  const envs = envsOf(deps, service, env);
  const grants = await authorizeEach(deps, 'lock', actor, service, envs);
  if (!(grants instanceof Map)) return grants;
  const mine: LockHolder = { kind: 'manual', by: actor.name, reason, at: deps.now().toISOString() };
  const taken: string[] = [];
  for (const [e, grant] of grants) {
    const r = await deps.writes.acquireLock(grant, service, e, mine);
    if (!r.ok) {
      for (const t of taken) await deps.writes.swapLock(grants.get(t)!, service, t, mine, undefined);
      return { text: describeHolder(service, e, { holder: r.holder }), ephemeral: true, failed: true };
    }
    taken.push(e);
  }
  for (const e of envs) await deps.audit.record({ kind: 'lock', service, env: e, actor, what: 'locked', note: reason });
  return { text: chat`🔒 ${service} is locked in ${envs.join(', ')} by ${actor.name}${reason ? chat` (“${reason}”)` : ''}. Nobody can deploy it there until \`/unlock ${service}${env ? ` ${env}` : ''}\`.`, ephemeral: false };
}

/** `/unlock`: removes manual locks only; a deploy's lock ends with the deploy (or `/abort`). */
export async function unlockService(deps: DeskDeps, actor: Actor, service: string, env?: string): Promise<DeskReply> {
  const envs = envsOf(deps, service, env);
  const grants = await authorizeEach(deps, 'unlock', actor, service, envs);
  if (!(grants instanceof Map)) return grants;
  const freed: string[] = [];
  const busy: string[] = [];
  for (const [e, grant] of grants) {
    const holder = await deps.locks.get(service, e);
    if (holder?.kind === 'manual') {
      if (await deps.writes.swapLock(grant, service, e, holder, undefined)) freed.push(e);
    } else if (holder?.kind === 'deploy') {
      busy.push(`${e} (deploy #${holder.deployId} holds it until it finishes)`);
    }
  }
  for (const e of freed) await deps.audit.record({ kind: 'lock', service, env: e, actor, what: 'unlocked' });
  const stillBusy = busy.length ? chat` Still busy: ${busy.join(', ')}.` : '';
  if (!freed.length) return { text: chat`${service} has no manual lock${env ? chat` in ${env}` : ''}.${stillBusy}`, ephemeral: true };
  return { text: chat`🔓 ${service} unlocked in ${freed.join(', ')}.${stillBusy}`, ephemeral: false };
}
