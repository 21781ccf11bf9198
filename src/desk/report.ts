import { chat, joinChat, isEndPhase, strategyLabel, versionOfImage, type ChatText, type Deploy, type WorkloadTarget } from '../deploy/index.ts';
import type { AuditEvent } from '../audit/index.ts';
import { phaseWords, type DeskDeps, type DeskReply, type DeskService } from './desk.ts';
import { formatUtc } from './format-utc.ts';

function ago(iso: string, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129_600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

function deployLine(d: Deploy, now: Date): ChatText {
  const what = d.action.kind === 'deploy' ? chat`${d.action.version} (${strategyLabel(d)})` : chat`rollback${d.action.toVersion ? chat` to ${d.action.toVersion}` : ''}`;
  return chat`#${d.id} ${what} by ${d.requestedBy.name}, ${phaseWords(d)} ${ago(d.finishedAt ?? d.updatedAt, now)}`;
}

type WorkloadStatus = Awaited<ReturnType<DeskDeps['kube']['readDeployment']>>;

const versionOn = (w: WorkloadStatus, t: WorkloadTarget): string => {
  const image = w.images[t.container];
  return image ? versionOfImage(image) : '?';
};
const pods = (w: WorkloadStatus): string => `${w.name}: ${w.available}/${w.desired} available`;

/**
 * Where traffic goes while a progressive deploy is in flight, read from the cluster: the service's own Deployment
 * is not the whole story then. Blue-green: the Service serves the colour its selector picks (the other one is being
 * brought up, or kept for an instant roll back); canary: the new version runs beside the stable one. Undefined for
 * other deploys, or when there is no second Deployment (yet, or any more).
 */
async function trafficWords(deps: DeskDeps, t: WorkloadTarget, live: WorkloadStatus, d: Deploy): Promise<ChatText | undefined> {
  if (d.action.kind !== 'deploy' || d.action.strategy.kind === 'rolling') return undefined;
  const liveVersion = versionOn(live, t);
  if (d.action.strategy.kind === 'canary') {
    const canary = await deps.kube.findDeployment(t.namespace, `${t.deployment}-canary`);
    if (!canary) return undefined;
    const byRatio = deps.services.get(d.service)?.canaryTraffic ?? 'replicas';
    const share = byRatio === 'replicas' && canary.desired + live.desired > 0
      ? chat`, about ${Math.round((canary.desired / (canary.desired + live.desired)) * 100)}% of traffic by replica ratio` : '';
    return chat`${liveVersion} is stable (${pods(live)}) · canary ${versionOn(canary, t)} beside it (${pods(canary)}${share})`;
  }
  const green = await deps.kube.findDeployment(t.namespace, `${t.deployment}-green`);
  if (!green) return undefined;
  const greenVersion = versionOn(green, t);
  // What the Service's selector picks is what serves: ready pods behind it, by version.
  const selector = await deps.kube.readServiceSelector(t.namespace, t.deployment);
  const serving = selector ? (await deps.kube.listPods(t.namespace, selector)).filter((p) => p.ready && !p.deleting) : [];
  const switched = serving.length > 0 && serving.every((p) => p.images[t.container] === green.images[t.container]);
  if (!switched) return chat`${liveVersion} serves all traffic (${pods(live)}) · ${greenVersion} is being brought up beside it (${pods(green)})`;
  const keepUntil = typeof d.state.keepUntil === 'number' ? chat` until ${formatUtc(new Date(d.state.keepUntil).toISOString())}` : '';
  return chat`${greenVersion} serves all traffic (${pods(green)}) · ${liveVersion} is kept up for an instant roll back${keepUntil} (${pods(live)})`;
}

/** What the environment's workload runs: its Deployment, or for Argo Rollouts its Rollout (phase and pods). */
async function runningWords(deps: DeskDeps, target: DeskService['environments'][string], d: Deploy | undefined): Promise<ChatText> {
  if (target.rollout && deps.rollouts) {
    const r = await deps.rollouts.getRollout(target.namespace, target.rollout);
    const image = r.images[target.container];
    return chat`${image ? versionOfImage(image) : 'no image'} — Rollout ${target.rollout} ${r.phase ?? 'without status'}, ${r.replicas.available}/${r.replicas.desired} available`;
  }
  const w = await deps.kube.readDeployment(target.namespace, target.deployment);
  return (d && await trafficWords(deps, target, w, d)) ?? chat`${versionOn(w, target)} — ${w.available}/${w.desired} available, revision ${w.revision}`;
}

/** `/status`: what runs where (read from the cluster), what is in flight, and any locks and freezes. */
export async function status(deps: DeskDeps, service?: string, env?: string): Promise<DeskReply> {
  const now = deps.now();
  const names = service ? [service] : [...deps.services.keys()];
  const lines: ChatText[] = [];
  for (const name of names) {
    const svc = deps.services.get(name);
    if (!svc) continue;
    for (const [e, target] of Object.entries(svc.environments)) {
      if (env && e !== env) continue;
      const holder = await deps.locks.get(name, e);
      const inFlight = holder?.kind === 'deploy' ? await deps.deploys.get(holder.deployId) : undefined;
      const d = inFlight && !isEndPhase(inFlight.phase) ? inFlight : undefined;
      let running: ChatText;
      try {
        running = await runningWords(deps, target, d);
      } catch (err) {
        running = chat`unknown (${(err as { userMessage?: string }).userMessage ?? 'cluster unreachable'})`;
      }
      let extra = chat``;
      if (holder?.kind === 'manual') extra = chat` · 🔒 locked by ${holder.by}${holder.reason ? chat` (“${holder.reason}”)` : ''}`;
      if (d) extra = chat` · in flight: ${deployLine(d, now)}`;
      lines.push(chat`• ${name} ${e}: ${running}${extra}`);
    }
  }
  const freezes = (await deps.freezes.list(now)).filter((f) => !env || f.env === env);
  for (const f of freezes) {
    const upcoming = new Date(f.from) > now ? chat` from ${formatUtc(f.from)}` : '';
    lines.push(chat`❄️ ${f.env} frozen by ${f.by}${upcoming}${f.until ? chat` until ${formatUtc(f.until)}` : chat` until \`/unfreeze ${f.env}\``}${f.reason ? chat` (“${f.reason}”)` : ''}`);
  }
  return { text: lines.length ? joinChat(lines, '\n') : chat`No services match.`, ephemeral: false };
}

/** Who approved, denied or withdrew on each deploy, as the audit log recorded it (newest entries first). */
function auditTrail(entries: AuditEvent[], ids: Set<string>): Map<string, ChatText[]> {
  const trail = new Map<string, ChatText[]>();
  for (const entry of entries) {
    if (!('deployId' in entry) || !entry.deployId || !ids.has(entry.deployId)) continue;
    const words = entry.kind === 'approval' && entry.accepted
      ? chat`${entry.vote === 'approve' ? 'approved' : entry.vote === 'deny' ? 'denied' : 'approval withdrawn'} by ${entry.actor.name}`
      : undefined;
    if (words) trail.set(entry.deployId, [words, ...(trail.get(entry.deployId) ?? [])]);
  }
  return trail;
}

/** `/history`: the deploy records (who, what, how it ended), the audit log's votes, and the cluster's revisions. */
export async function history(deps: DeskDeps, service: string, env?: string): Promise<DeskReply> {
  const now = deps.now();
  const svc = deps.services.get(service);
  if (!svc) return { text: chat`Unknown service ${service}.`, ephemeral: true, failed: true };
  const lines: ChatText[] = [];
  const recentAudit = await deps.audit.latest(1000);
  for (const [e, target] of Object.entries(svc.environments)) {
    if (env && e !== env) continue;
    lines.push(chat`*${service} ${e}*`);
    const deploys = await deps.deploys.list({ service, env: e, limit: 10 });
    const trail = auditTrail(recentAudit, new Set(deploys.map((d) => d.id)));
    for (const d of deploys) {
      const votes = trail.get(d.id);
      lines.push(chat`  ${deployLine(d, now)}${votes ? chat` · ${joinChat(votes, ', ')}` : ''}${d.summary && d.phase !== 'succeeded' ? chat` — ${d.summary}` : ''}`);
    }
    if (!deploys.length) lines.push(chat`  no deploys through Deckhand yet`);
    try {
      const revisions = await deps.kube.listRevisions(target.namespace, target.deployment);
      const shown = revisions.slice(-5).map((r) => `${r.revision}: ${versionOfImage(r.images[target.container] ?? '?')}`);
      if (shown.length) lines.push(chat`  cluster revisions: ${shown.join(', ')}`);
    } catch {
      lines.push(chat`  cluster revisions: unavailable`);
    }
  }
  return { text: joinChat(lines, '\n'), ephemeral: false };
}
