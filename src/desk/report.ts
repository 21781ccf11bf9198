import { isEndPhase, versionOfImage, type Deploy } from '../deploy/index.ts';
import type { AuditEvent } from '../audit/index.ts';
import type { DeskDeps, DeskReply } from './desk.ts';

function ago(iso: string, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129_600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

function deployLine(d: Deploy, now: Date): string {
  const what = d.action.kind === 'deploy' ? `${d.action.version} (${d.action.strategy.kind})` : `rollback${d.action.toVersion ? ` to ${d.action.toVersion}` : ''}`;
  return `#${d.id} ${what} by ${d.requestedBy.name}, ${d.phase.replace('_', ' ')} ${ago(d.finishedAt ?? d.updatedAt, now)}`;
}

/** `/status`: what runs where (read from the cluster), what is in flight, and any locks and freezes. */
export async function status(deps: DeskDeps, service?: string, env?: string): Promise<DeskReply> {
  const now = deps.now();
  const names = service ? [service] : [...deps.services.keys()];
  const lines: string[] = [];
  for (const name of names) {
    const svc = deps.services.get(name);
    if (!svc) continue;
    for (const [e, target] of Object.entries(svc.environments)) {
      if (env && e !== env) continue;
      let running: string;
      try {
        const w = await deps.kube.readDeployment(target.namespace, target.deployment);
        const image = w.images[target.container];
        running = `${image ? versionOfImage(image) : '?'} — ${w.available}/${w.desired} available, revision ${w.revision}`;
      } catch (err) {
        running = `unknown (${(err as { userMessage?: string }).userMessage ?? 'cluster unreachable'})`;
      }
      const holder = await deps.locks.get(name, e);
      let extra = '';
      if (holder?.kind === 'manual') extra = ` · 🔒 locked by ${holder.by}${holder.reason ? ` (“${holder.reason}”)` : ''}`;
      if (holder?.kind === 'deploy') {
        const d = await deps.deploys.get(holder.deployId);
        if (d && !isEndPhase(d.phase)) extra = ` · in flight: ${deployLine(d, now)}`;
      }
      lines.push(`• ${name} ${e}: ${running}${extra}`);
    }
  }
  const freezes = (await deps.freezeStore.list(now)).filter((f) => !env || f.env === env);
  for (const f of freezes) lines.push(`❄️ ${f.env} frozen by ${f.by}${f.until ? ` until ${f.until}` : ''}${f.reason ? ` (“${f.reason}”)` : ''}`);
  return { text: lines.length ? lines.join('\n') : 'No services match.', ephemeral: false };
}

/** Who approved, denied or withdrew on each deploy, as the audit log recorded it (newest entries first). */
function auditTrail(entries: AuditEvent[], ids: Set<string>): Map<string, string[]> {
  const trail = new Map<string, string[]>();
  for (const entry of entries) {
    if (!('deployId' in entry) || !entry.deployId || !ids.has(entry.deployId)) continue;
    const words = entry.kind === 'approval' && entry.accepted
      ? `${entry.vote === 'approve' ? 'approved' : entry.vote === 'deny' ? 'denied' : 'approval withdrawn'} by ${entry.actor.name}`
      : undefined;
    if (words) trail.set(entry.deployId, [words, ...(trail.get(entry.deployId) ?? [])]);
  }
  return trail;
}

/** `/history`: the deploy records (who, what, how it ended), the audit log's votes, and the cluster's revisions. */
export async function history(deps: DeskDeps, service: string, env?: string): Promise<DeskReply> {
  const now = deps.now();
  const svc = deps.services.get(service);
  if (!svc) return { text: `Unknown service ${service}.`, ephemeral: true, failed: true };
  const lines: string[] = [];
  const recentAudit = await deps.audit.latest(1000);
  for (const [e, target] of Object.entries(svc.environments)) {
    if (env && e !== env) continue;
    lines.push(`*${service} ${e}*`);
    const deploys = await deps.deploys.list({ service, env: e, limit: 10 });
    const trail = auditTrail(recentAudit, new Set(deploys.map((d) => d.id)));
    for (const d of deploys) {
      const votes = trail.get(d.id);
      lines.push(`  ${deployLine(d, now)}${votes ? ` · ${votes.join(', ')}` : ''}${d.summary && d.phase !== 'succeeded' ? ` — ${d.summary}` : ''}`);
    }
    if (!deploys.length) lines.push('  no deploys through Deckhand yet');
    try {
      const revisions = await deps.kube.listRevisions(target.namespace, target.deployment);
      const shown = revisions.slice(-5).map((r) => `${r.revision}: ${versionOfImage(r.images[target.container] ?? '?')}`);
      if (shown.length) lines.push(`  cluster revisions: ${shown.join(', ')}`);
    } catch {
      lines.push('  cluster revisions: unavailable');
    }
  }
  return { text: lines.join('\n'), ephemeral: false };
}
