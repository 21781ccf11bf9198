import type { AuditLog } from '../audit/index.ts';
import { isEndPhase, type Deploy } from '../deploy/index.ts';
import type { LockHolder } from '../store/index.ts';

/** The lock store's surface (store/LockStore). */
export interface Locks {
  acquire(service: string, env: string, holder: LockHolder): Promise<{ ok: true } | { ok: false; holder: LockHolder }>;
  get(service: string, env: string): Promise<LockHolder | undefined>;
  swap(service: string, env: string, expected: LockHolder, next: LockHolder | undefined): Promise<boolean>;
  releaseDeploy(service: string, env: string, deployId: string): Promise<boolean>;
}

export type LockOutcome = { ok: true; reclaimed?: string } | { ok: false; holder: LockHolder; holderDeploy?: Deploy };

/**
 * Takes the service+environment lock for a deploy. A lock held by a deploy that is over (or gone) is stale —
 * its process died before releasing it — and is reclaimed, with a note, rather than blocking people forever.
 */
export async function takeDeployLock(
  locks: Locks, audit: AuditLog, getDeploy: (id: string) => Promise<Deploy | undefined>, d: Deploy,
): Promise<LockOutcome> {
  const mine: LockHolder = { kind: 'deploy', deployId: d.id, by: d.requestedBy.name, at: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await locks.acquire(d.service, d.env, mine);
    if (r.ok) return { ok: true };
    if (r.holder.kind === 'deploy' && r.holder.deployId === d.id) return { ok: true };
    if (r.holder.kind === 'manual') return { ok: false, holder: r.holder };
    const holderDeploy = await getDeploy(r.holder.deployId);
    if (holderDeploy && !isEndPhase(holderDeploy.phase)) return { ok: false, holder: r.holder, holderDeploy };
    if (await locks.swap(d.service, d.env, r.holder, mine)) {
      const note = `lock held by deploy #${r.holder.deployId} (${holderDeploy ? holderDeploy.phase : 'no record'}) was stale and was reclaimed for #${d.id}`;
      await audit.record({ kind: 'lock', service: d.service, env: d.env, actor: d.requestedBy.name, what: 'reclaimed', note });
      return { ok: true, reclaimed: note };
    }
  }
  const holder = await locks.get(d.service, d.env);
  return holder ? { ok: false, holder } : { ok: false, holder: mine };
}

export function describeHolder(service: string, env: string, o: { holder: LockHolder; holderDeploy?: Deploy }): string {
  if (o.holder.kind === 'manual') {
    return `🔒 ${service} in ${env} is locked by ${o.holder.by}${o.holder.reason ? ` (“${o.holder.reason}”)` : ''}. Ask them, or \`/unlock ${service} ${env}\` when it is safe.`;
  }
  const phase = o.holderDeploy ? o.holderDeploy.phase.replace('_', ' ') : 'in progress';
  return `🔒 ${service} in ${env} is busy: deploy #${o.holder.deployId} by ${o.holder.by} is ${phase}. Wait for it to finish, or \`/abort ${service} ${env}\` it.`;
}
