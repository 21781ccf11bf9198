import type { Actor } from '../deploy/index.ts';
import type { LockHolder } from '../store/index.ts';
import { decide, denialText, type DeskDeps, type DeskReply } from './desk.ts';
import { describeHolder } from './locks.ts';

function envsOf(deps: DeskDeps, service: string, env?: string): string[] {
  return env ? [env] : Object.keys(deps.services.get(service)?.environments ?? {});
}

async function allowed(deps: DeskDeps, actor: Actor, action: 'lock' | 'unlock', service: string, env: string): Promise<string | undefined> {
  const { decision } = await decide(deps, action, { service, env, actor });
  return decision.deny.length ? denialText(decision) : undefined;
}

/** `/lock`: holds every named environment, or none of them (taken locks are given back on a conflict). */
export async function lockService(deps: DeskDeps, actor: Actor, service: string, env?: string, reason?: string): Promise<DeskReply> {
  const envs = envsOf(deps, service, env);
  const denial = await allowed(deps, actor, 'lock', service, envs[0] ?? '');
  if (denial) return { text: `🚫 You may not lock ${service}.\n${denial}`, ephemeral: true, failed: true };
  const mine: LockHolder = { kind: 'manual', by: actor.name, reason, at: deps.now().toISOString() };
  const taken: string[] = [];
  for (const e of envs) {
    const r = await deps.locks.acquire(service, e, mine);
    if (!r.ok) {
      for (const t of taken) await deps.locks.swap(service, t, mine, undefined);
      return { text: describeHolder(service, e, { holder: r.holder }), ephemeral: true, failed: true };
    }
    taken.push(e);
  }
  for (const e of envs) await deps.audit.record({ kind: 'lock', service, env: e, actor: actor.name, what: 'locked', note: reason });
  return { text: `🔒 ${service} is locked in ${envs.join(', ')} by ${actor.name}${reason ? ` (“${reason}”)` : ''}. Nobody can deploy it there until \`/unlock ${service}${env ? ` ${env}` : ''}\`.`, ephemeral: false };
}

/** `/unlock`: removes manual locks only; a deploy's lock ends with the deploy (or `/abort`). */
export async function unlockService(deps: DeskDeps, actor: Actor, service: string, env?: string): Promise<DeskReply> {
  const envs = envsOf(deps, service, env);
  const denial = await allowed(deps, actor, 'unlock', service, envs[0] ?? '');
  if (denial) return { text: `🚫 You may not unlock ${service}.\n${denial}`, ephemeral: true, failed: true };
  const freed: string[] = [];
  const busy: string[] = [];
  for (const e of envs) {
    const holder = await deps.locks.get(service, e);
    if (holder?.kind === 'manual') {
      if (await deps.locks.swap(service, e, holder, undefined)) freed.push(e);
    } else if (holder?.kind === 'deploy') {
      busy.push(`${e} (deploy #${holder.deployId} holds it until it finishes)`);
    }
  }
  for (const e of freed) await deps.audit.record({ kind: 'lock', service, env: e, actor: actor.name, what: 'unlocked' });
  if (!freed.length) return { text: `${service} has no manual lock${env ? ` in ${env}` : ''}.${busy.length ? ` Busy: ${busy.join(', ')}.` : ''}`, ephemeral: true };
  return { text: `🔓 ${service} unlocked in ${freed.join(', ')}.${busy.length ? ` Still busy: ${busy.join(', ')}.` : ''}`, ephemeral: false };
}
