import type { Actor, Deploy } from '../deploy/index.ts';
import { decideFor, withGroups, type DeskDeps, type DeskReply } from './desk.ts';

function stateWords(d: Deploy): string {
  return `Deploy #${d.id} is ${d.phase.replace('_', ' ')}${d.summary ? `: ${d.summary}` : '.'}`;
}

/**
 * An approval (button, reaction or `/approve`). The policy decides whether it counts: the approval is added
 * only if the policy's count of approvals goes up with it, so self-approval and approvals from outside the
 * required groups change nothing. When the policy then allows the deploy, it is queued.
 */
export async function approve(deps: DeskDeps, deployId: string, actor: Actor): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return { text: `There is no deploy #${deployId}. \`/status\` lists what is in flight.`, ephemeral: true, failed: true };
  if (d.phase !== 'awaiting_approval') return { text: `Nothing to approve: ${stateWords(d)}`, ephemeral: true, deployId };
  if (d.approvals.some((a) => a.actor.id === actor.id && a.vote === 'approve')) {
    return { text: `You already approved deploy #${deployId}.`, ephemeral: true, deployId };
  }
  const before = await decideFor(deps, d, 'deploy');
  const vote = { actor: withGroups(deps, actor), at: deps.now().toISOString(), vote: 'approve' as const };
  const after = await decideFor(deps, { ...d, approvals: [...d.approvals, vote] }, 'deploy');
  if (after.decision.approvals.have <= before.decision.approvals.have) {
    const why = actor.id === d.requestedBy.id
      ? `you requested deploy #${deployId}, and someone else must approve it (four-eyes rule)`
      : `your approval does not count for ${d.service} in ${d.env}: it needs approvals from ${after.decision.approvals.eligible.join(', ') || 'the approvers group'}`;
    await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'approve', accepted: false, note: why });
    return { text: `Not counted: ${why}.`, ephemeral: true, deployId, failed: true };
  }
  const ready = after.decision.allow;
  const updated = await deps.deploys.update(deployId, (cur) => {
    if (cur.phase !== 'awaiting_approval' || cur.approvals.some((a) => a.actor.id === actor.id)) return undefined;
    return { ...cur, approvals: [...cur.approvals, vote], phase: ready ? 'queued' : cur.phase };
  });
  await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'approve', accepted: true });
  if (updated.phase === 'queued') {
    await deps.queue.enqueue('run', deployId);
    deps.publish({ kind: 'phase', deploy: updated, phase: 'queued', message: `Approved by ${actor.name}; queued` });
    return { text: `✅ Approved deploy #${deployId}; it is starting.`, ephemeral: true, deployId };
  }
  const a = after.decision.approvals;
  deps.publish({ kind: 'note', deploy: updated, message: `Approved by ${actor.name} (${a.have}/${a.required})` });
  return { text: `✅ Approval counted for deploy #${deployId} (${a.have}/${a.required}).`, ephemeral: true, deployId };
}

/** A denial ends a pending deploy. Its requester may withdraw it; others must be eligible approvers. */
export async function deny(deps: DeskDeps, deployId: string, actor: Actor, reason?: string): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return { text: `There is no deploy #${deployId}.`, ephemeral: true, failed: true };
  if (d.phase !== 'awaiting_approval') return { text: `Nothing to deny: ${stateWords(d)}`, ephemeral: true, deployId };
  if (actor.id !== d.requestedBy.id) {
    const { decision } = await decideFor(deps, d, 'deploy');
    const groups = withGroups(deps, actor).groups;
    const eligible = decision.approvals.eligible;
    if (eligible.length && !groups.some((g) => eligible.includes(g))) {
      await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'deny', accepted: false, note: 'not an eligible approver' });
      return { text: `Only ${eligible.join(', ')} (or the requester) can deny deploy #${deployId}.`, ephemeral: true, deployId, failed: true };
    }
  }
  const summary = `Denied by ${actor.name}${reason ? `: ${reason}` : ''}.`;
  const updated = await deps.deploys.update(deployId, (cur) => cur.phase === 'awaiting_approval'
    ? { ...cur, phase: 'denied', step: 'done', summary, approvals: [...cur.approvals, { actor, at: deps.now().toISOString(), vote: 'deny', reason }] }
    : undefined);
  await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'deny', accepted: updated.phase === 'denied' });
  if (updated.phase !== 'denied') return { text: `Nothing to deny: ${stateWords(updated)}`, ephemeral: true, deployId };
  await deps.locks.releaseDeploy(updated.service, updated.env, deployId);
  deps.publish({ kind: 'phase', deploy: updated, phase: 'denied', message: summary });
  return { text: `🚫 Deploy #${deployId} denied.`, ephemeral: true, deployId };
}

/** The `expire` job: a deploy still waiting for approval when its time is up ends as `expired`. */
export async function expire(deps: DeskDeps, deployId: string): Promise<void> {
  const d = await deps.deploys.get(deployId);
  if (!d || d.phase !== 'awaiting_approval') return;
  const summary = `Nobody approved it within ${Math.round(deps.approvalTtlMs / 60_000)} min. Ask again with a fresh \`/deploy\` when an approver is around.`;
  const updated = await deps.deploys.update(deployId, (cur) => cur.phase === 'awaiting_approval' ? { ...cur, phase: 'expired', step: 'done', summary } : undefined);
  if (updated.phase !== 'expired') return;
  await deps.locks.releaseDeploy(updated.service, updated.env, deployId);
  deps.publish({ kind: 'phase', deploy: updated, phase: 'expired', message: summary });
}
