import type { Card, CardAction } from '../chat/types.ts';
import { chat, strategyLabel, describeCheck, downgradeWarning, joinChat, userText, versionOfImage, type AnalysisCheckResult, type ChatText, type Deploy, type DeployLink, type Phase, type RolloutProgress } from '../deploy/index.ts';

const STATUS: Record<Phase, ChatText> = {
  awaiting_approval: chat`⏳ Awaiting approval`,
  queued: chat`🕐 Queued`,
  building: chat`🔨 Building`,
  rolling_out: chat`🚀 Rolling out`,
  watching: chat`👀 Watching`,
  rolling_back: chat`↩️ Rolling back`,
  succeeded: chat`✅ Succeeded`,
  failed: chat`❌ Failed`,
  rolled_back: chat`↩️ Rolled back`,
  aborted: chat`🛑 Aborted`,
  denied: chat`🚫 Denied`,
  expired: chat`⌛ Expired`,
};

/** `api v1.5.0 (canary 5%)`, `rollback api to v1.4.0`: the service and version are as stored, so user text. */
export function describeAction(d: Deploy): ChatText {
  if (d.action.kind === 'rollback') return chat`rollback ${d.service}${d.action.toVersion ? chat` to ${d.action.toVersion}` : ''}`;
  return chat`${d.service} ${d.action.version} (${strategyLabel(d)})`;
}

export interface CardExtras {
  progress?: RolloutProgress;
  /** What an awaiting deploy waits for and why (approvals, a freeze), shown above the latest note until it moves on. */
  context?: string;
  /** Latest human-readable line about what is happening. */
  note?: string;
  /** The latest analysis round (canary step or blue-green probes), each check with its value and limit. */
  analysis?: { label: string; verdict: 'pass' | 'fail' | 'inconclusive' | 'failing'; checks: AnalysisCheckResult[] };
  /** Approvals still needed, as the policy said. */
  approvalsNeeded?: { required: number; have: number; eligible: string[] };
  /** What changed since the running version, already formatted and trimmed for chat. */
  releaseNotes?: string;
  /** The service's links for this deploy (its templates, filled with the deploy's time range). */
  links?: DeployLink[];
}

const CHECK_ICON = { pass: '✅', fail: '❌', inconclusive: '❔' } as const;

/**
 * `Analysis step 1/4 (5%): ✅ error-rate 0.1% ≤ 1% · ❌ latency-p99 950 ms > 800 ms`. Check names, probe paths and
 * what pods answered come from config and the cluster: user text.
 */
export function renderAnalysis(a: NonNullable<CardExtras['analysis']>): ChatText {
  const checks = a.checks.map((c) => chat`${CHECK_ICON[c.status]} ${describeCheck(c)}`);
  return chat`Analysis ${a.label}: ${joinChat(checks, ' · ')}`;
}

/** The version the deploy replaced (recorded by every driver when it starts), for the confirm questions. */
function previousOf(d: Deploy): string {
  return typeof d.state.fromImage === 'string' ? versionOfImage(d.state.fromImage) : 'the previous version';
}

/**
 * `⚠️ v1.5.3 → v1.5.1 is a downgrade`, for the card's whole life: against what the rollout replaced once it started,
 * before that against what ran when it was asked for (recorded by the desk).
 */
function downgradeLine(d: Deploy): ChatText | undefined {
  if (d.action.kind !== 'deploy') return undefined;
  const from = typeof d.state.fromImage === 'string' ? versionOfImage(d.state.fromImage)
    : typeof d.state.runningAtRequest === 'string' ? d.state.runningAtRequest : undefined;
  const warning = downgradeWarning(from, d.action.version);
  return warning === undefined ? undefined : userText(warning);
}

/** Canary and blue-green deploys in flight are steered from the card. */
function progressiveActions(d: Deploy): CardAction[] | undefined {
  if (d.action.kind !== 'deploy' || (d.phase !== 'rolling_out' && d.phase !== 'watching')) return undefined;
  // A soaking deploy (any strategy) goes back to the previous version, still running, in one switch; GitOps by a revert.
  if (d.phase === 'watching') {
    return [
      { id: 'promote', label: 'End watch', style: 'primary' },
      { id: 'abort', label: 'Roll back', style: 'danger', confirm: d.delivery === 'gitops' ? `Revert ${d.service} in ${d.env} to ${previousOf(d)} (a revert commit Argo CD syncs)?` : `Switch ${d.service} in ${d.env} back to ${previousOf(d)} (still running) now?` },
    ];
  }
  if (d.delivery === 'gitops' || (d.action.strategy.kind === 'rolling' && d.delivery !== 'argo-rollouts')) return undefined;
  const abort: CardAction = { id: 'abort', label: d.step === 'keep' ? 'Roll back' : 'Abort', style: 'danger', confirm: `Take deploy #${d.id} down and put all traffic back on ${previousOf(d)}?` };
  const paused = d.steering.paused === true || d.state.pausedInconclusive === true;
  const promote: CardAction = { id: 'promote', label: 'Promote', style: 'primary' };
  // Blue-green has no schedule to hold: promote (switch now / end the keep window) or take it down.
  if (d.state.pausedInconclusive === true || (d.action.strategy.kind === 'bluegreen' && d.delivery !== 'argo-rollouts')) return [promote, abort];
  return [promote, paused ? { id: 'resume', label: 'Resume' } : { id: 'pause', label: 'Pause' }, abort];
}

function actionsFor(d: Deploy): CardAction[] {
  const progressive = progressiveActions(d);
  if (progressive) return progressive;
  switch (d.phase) {
    case 'awaiting_approval':
      return [{ id: 'approve', label: 'Approve', style: 'primary' }, { id: 'deny', label: 'Deny', style: 'danger' }];
    case 'queued': case 'building': case 'rolling_out':
      return [{ id: 'abort', label: 'Abort', style: 'danger', confirm: d.phase === 'rolling_out' ? `Abort deploy #${d.id} and restore ${previousOf(d)}?` : `Abort deploy #${d.id} before it rolls anything out?` }];
    case 'succeeded':
      return d.action.kind === 'deploy'
        ? [{ id: 'rollback', label: 'Rollback', style: 'danger', confirm: `Roll ${d.service} in ${d.env} back to ${previousOf(d)}?` }]
        : [];
    case 'watching': case 'rolling_back': case 'failed': case 'rolled_back': case 'aborted': case 'denied': case 'expired':
      return [];
  }
}

/**
 * The pinned image: `sha256:0123456789ab · signed by <identity> (<issuer>)`, or `· no valid signature`. The identity and
 * issuer come from the signing certificate: user text.
 */
export function imageText(a: NonNullable<Deploy['artifact']>): ChatText {
  const short = a.digest.slice(0, 'sha256:'.length + 12);
  if (!a.signer) return chat`${short} · no valid signature`;
  return chat`${short} · signed by ${a.signer.identity}${a.signer.issuer ? chat` (${a.signer.issuer})` : ''}`;
}

/** The deploy card: one per deploy, updated in place. Pure, so every adapter shows the same facts. */
export function renderCard(d: Deploy, extras: CardExtras = {}): Card {
  const fields: Card['fields'] = [
    { label: 'Service', value: userText(d.service) },
    { label: 'Environment', value: userText(d.env) },
    { label: 'Requested by', value: userText(d.requestedBy.name) },
  ];
  const approvers = d.approvals.filter((a) => a.vote === 'approve').map((a) => a.actor.name);
  if (approvers.length) fields.push({ label: 'Approved by', value: joinChat(approvers, ', ') });
  if (d.reason) fields.push({ label: 'Reason', value: userText(d.reason) });
  const lines: ChatText[] = [];
  // A line, not a field: every platform shows lines (the console has no fields), and what runs matters everywhere.
  if (d.artifact) lines.push(chat`Image ${imageText(d.artifact)}`);
  const downgrade = downgradeLine(d);
  if (downgrade) lines.push(downgrade);
  if (d.phase === 'awaiting_approval' && extras.approvalsNeeded) {
    const a = extras.approvalsNeeded;
    const who = a.eligible.length ? joinChat(a.eligible, ', ') : chat`an approver`;
    lines.push(chat`Needs ${a.required - a.have} more approval(s) (${a.have}/${a.required}) from ${who}. Approve with \`/approve ${d.id}\`.`);
  }
  if (extras.context) lines.push(userText(extras.context));
  if (extras.analysis) lines.push(renderAnalysis(extras.analysis));
  // Event messages and summaries are stored strings that quote names, reasons and cluster output.
  if (extras.note) lines.push(userText(extras.note));
  if (d.summary) lines.push(userText(d.summary));
  if (extras.releaseNotes) lines.push(userText(extras.releaseNotes));
  const p = extras.progress;
  const live = d.phase === 'rolling_out' || d.phase === 'rolling_back';
  // An alert (not a person) stopped it: which one, what it said, where it comes from (all the source's text).
  const signal = d.steering.abort?.signal;
  if (signal) lines.unshift(chat`🚨 ${signal.source === 'sentry' ? 'Sentry' : 'Alert'} *${signal.name}*${signal.summary ? chat`: ${signal.summary}` : ''}${signal.url ? chat` — ${signal.url}` : ''}`);
  return {
    deployId: d.id,
    channel: d.channel,
    title: chat`#${d.id} ${describeAction(d)} → ${d.env}`,
    status: STATUS[d.phase],
    // Deployment status counts available pods of every ReplicaSet; the new ones that are up is at most `updated`.
    progress: live && p ? { done: Math.min(p.updated, p.available), total: p.desired, label: `${p.updated}/${p.desired} updated · ${p.available} available` } : undefined,
    fields,
    lines,
    actions: actionsFor(d),
    ...(extras.links?.length ? { links: extras.links } : {}),
    final: d.phase === 'succeeded' || d.phase === 'failed' || d.phase === 'rolled_back' || d.phase === 'aborted' || d.phase === 'denied' || d.phase === 'expired',
  };
}
