import { chat, type Actor } from '../deploy/index.ts';
import { denialText, type DeskDeps, type DeskReply } from './desk.ts';
import { authorize } from './gate.ts';
import { formatUtc } from './format-utc.ts';

export interface FreezeRequest {
  env: string;
  /** Absolute end, or a duration from now; absent = until /unfreeze. */
  until?: { kind: 'at'; at: string } | { kind: 'for'; ms: number };
  reason?: string;
}

function knownEnv(deps: DeskDeps, env: string): boolean {
  return [...deps.services.values()].some((s) => env in s.environments);
}

/** `/freeze`: stop the line for an environment; the policy reads it on every request from now on. */
export async function freezeEnv(deps: DeskDeps, actor: Actor, r: FreezeRequest): Promise<DeskReply> {
  if (!knownEnv(deps, r.env)) return { text: chat`No service has an environment called ${r.env}.`, ephemeral: true, failed: true };
  const gate = await authorize(deps, 'freeze', { service: '', env: r.env, actor });
  if (!gate.ok) return { text: chat`🚫 You may not freeze ${r.env}.\n${denialText(gate.decision)}`, ephemeral: true, failed: true };
  const now = deps.now();
  const until = r.until?.kind === 'at' ? new Date(r.until.at) : r.until ? new Date(now.getTime() + r.until.ms) : undefined;
  if (until && until <= now) return { text: chat`That end time (${until.toISOString()}) is already past.`, ephemeral: true, failed: true };
  await deps.writes.addFreeze(gate.grant, { env: r.env, from: now.toISOString(), until: until?.toISOString(), reason: r.reason, by: actor.name });
  await deps.audit.record({ kind: 'freeze', env: r.env, actor, what: 'frozen', until: until?.toISOString(), reason: r.reason });
  return {
    text: chat`❄️ ${r.env} is frozen${until ? chat` until ${formatUtc(until.toISOString())}` : chat` until \`/unfreeze ${r.env}\``}${r.reason ? chat` (“${r.reason}”)` : ''}. Deploys there are refused; a hotfix that says why (\`--reason "…"\`) may go through with more approvals, as the policy sets.`,
    ephemeral: false,
  };
}

/** `/unfreeze`: removes every one-off freeze of the environment (weekly and dated windows live in the policy data). */
export async function unfreezeEnv(deps: DeskDeps, actor: Actor, env: string): Promise<DeskReply> {
  const gate = await authorize(deps, 'unfreeze', { service: '', env, actor });
  if (!gate.ok) return { text: chat`🚫 You may not unfreeze ${env}.\n${denialText(gate.decision)}`, ephemeral: true, failed: true };
  const removed = await deps.writes.clearFreezes(gate.grant, env);
  await deps.audit.record({ kind: 'freeze', env, actor, what: 'unfrozen' });
  return removed
    ? { text: chat`☀️ ${env} is no longer frozen (${removed} freeze${removed > 1 ? 's' : ''} lifted by ${actor.name}).`, ephemeral: false }
    : { text: chat`${env} had no freeze set with /freeze (windows from the policy data still apply).`, ephemeral: true };
}
