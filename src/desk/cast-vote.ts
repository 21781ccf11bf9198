import { chat, type Actor, type Approval, type Deploy } from '../deploy/index.ts';
import { denialText, phaseWords, type DeskDeps, type DeskReply } from './desk.ts';
import { authorize, standing } from './gate.ts';

function stateWords(d: Deploy) {
  return chat`Deploy #${d.id} is ${phaseWords(d)}${d.summary ? chat`: ${d.summary}` : '.'}`;
}

function noSuchDeploy(deployId: string): DeskReply {
  return { text: chat`There is no deploy #${deployId}. \`/status\` lists what is in flight.`, ephemeral: true, failed: true };
}

/** Whether `actor` (as a person, whatever account they used) has an approval on the record. */
function approvedBy(deps: DeskDeps, d: Deploy, person: string): boolean {
  return d.approvals.some((a) => a.vote === 'approve' && deps.people.personOf(a.actor).key === person);
}

type VoteOutcome =
  | { kind: 'counted'; have: number; required: number; ready: boolean }
  | { kind: 'already' }
  | { kind: 'moved'; deploy: Deploy }
  | { kind: 'not_counted'; eligible: string[] };

/**
 * An approval (button, reaction or `/approve`). The gate decides whether this person may vote at all (four-eyes,
 * eligible groups). Counting it, deciding that the deploy may start and queueing it are then one compare-and-set on
 * the record: the policy is asked about the exact revision the vote is added to, so two approvers at once always
 * start the deploy once when enough are in, and each "approved" audit entry stands for one counted vote.
 */
export async function approve(deps: DeskDeps, deployId: string, actor: Actor): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return noSuchDeploy(deployId);
  if (d.phase !== 'awaiting_approval') return { text: chat`Nothing to approve: ${stateWords(d)}`, ephemeral: true, deployId };
  const gate = await authorize(deps, 'approve', { service: d.service, env: d.env, actor, deploy: d });
  if (!gate.ok) {
    await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'approve', accepted: false, note: gate.decision.deny.map((r) => r.rule).join(', ') });
    return { text: chat`🚫 Your approval of deploy #${deployId} was not counted.\n${denialText(gate.decision)}`, ephemeral: true, deployId, failed: true };
  }
  const me = gate.grant.requester.key;
  const vote: Approval = { actor, at: deps.now().toISOString(), vote: 'approve' };
  let outcome: VoteOutcome = { kind: 'already' };
  const updated = await deps.writes.updateDeploy(gate.grant, deployId, async (cur) => {
    if (cur.phase !== 'awaiting_approval') {
      outcome = { kind: 'moved', deploy: cur };
      return undefined;
    }
    if (approvedBy(deps, cur, me)) {
      outcome = { kind: 'already' };
      return undefined;
    }
    const before = await standing(deps, cur);
    const next: Deploy = { ...cur, approvals: [...cur.approvals, vote] };
    const after = await standing(deps, next);
    const a = after.decision.approvals;
    if (a.have <= before.decision.approvals.have) {
      outcome = { kind: 'not_counted', eligible: a.eligible };
      return undefined;
    }
    outcome = { kind: 'counted', have: a.have, required: a.required, ready: after.decision.allow };
    return after.decision.allow ? { ...next, phase: 'queued' } : next;
  }, `Approved by ${actor.name}; queued`);
  const o = outcome as VoteOutcome;
  switch (o.kind) {
    case 'already':
      await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'approve', accepted: false, note: 'already approved' });
      return { text: chat`You already approved deploy #${deployId}.`, ephemeral: true, deployId };
    case 'moved':
      await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'approve', accepted: false, note: `deploy was ${o.deploy.phase}` });
      return { text: chat`Nothing to approve: ${stateWords(o.deploy)}`, ephemeral: true, deployId };
    case 'not_counted': {
      await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'approve', accepted: false, note: 'does not raise the approval count' });
      const from = o.eligible.length ? o.eligible.join(', ') : 'the approvers group';
      return { text: chat`Not counted: deploy #${deployId} needs approvals from ${from}, and yours does not add to them.`, ephemeral: true, deployId, failed: true };
    }
    case 'counted':
      await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'approve', accepted: true });
      if (o.ready) {
        await deps.writes.enqueue(gate.grant, 'run', deployId);
        deps.publish({ kind: 'phase', deploy: updated, phase: 'queued', message: `Approved by ${actor.name}; queued` });
        return { text: chat`✅ Approved deploy #${deployId}; it is starting.`, ephemeral: true, deployId };
      }
      deps.publish({ kind: 'note', deploy: updated, message: `Approved by ${actor.name} (${o.have}/${o.required})` });
      return { text: chat`✅ Approval counted for deploy #${deployId} (${o.have}/${o.required}).`, ephemeral: true, deployId };
  }
}

/** A denial ends a pending deploy. Who may deny (its requester withdrawing it, an eligible approver) is the policy's call. */
export async function deny(deps: DeskDeps, deployId: string, actor: Actor, reason?: string): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return noSuchDeploy(deployId);
  if (d.phase !== 'awaiting_approval') return { text: chat`Nothing to deny: ${stateWords(d)}`, ephemeral: true, deployId };
  const gate = await authorize(deps, 'deny', { service: d.service, env: d.env, actor, deploy: d });
  if (!gate.ok) {
    await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'deny', accepted: false, note: gate.decision.deny.map((r) => r.rule).join(', ') });
    return { text: chat`🚫 You may not deny deploy #${deployId}.\n${denialText(gate.decision)}`, ephemeral: true, deployId, failed: true };
  }
  const summary = `Denied by ${actor.name}${reason ? `: ${reason}` : ''}.`;
  let mine = false;
  const updated = await deps.writes.updateDeploy(gate.grant, deployId, (cur) => {
    mine = cur.phase === 'awaiting_approval';
    return mine ? { ...cur, phase: 'denied', step: 'done', summary, approvals: [...cur.approvals, { actor, at: deps.now().toISOString(), vote: 'deny', reason }] } : undefined;
  });
  await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'deny', accepted: mine });
  if (!mine) return { text: chat`Nothing to deny: ${stateWords(updated)}`, ephemeral: true, deployId };
  await deps.writes.releaseDeployLock(gate.grant, updated);
  deps.publish({ kind: 'phase', deploy: updated, phase: 'denied', message: summary });
  return { text: chat`🚫 Deploy #${deployId} denied.`, ephemeral: true, deployId };
}

/** `/withdraw`, or removing the approval reaction, before the deploy starts: takes one's own approval back. */
export async function withdrawApproval(deps: DeskDeps, deployId: string, actor: Actor): Promise<DeskReply> {
  const d = await deps.deploys.get(deployId);
  if (!d) return noSuchDeploy(deployId);
  if (d.phase !== 'awaiting_approval') return { text: chat`${stateWords(d)} Nothing was changed.`, ephemeral: true, deployId };
  const gate = await authorize(deps, 'withdraw', { service: d.service, env: d.env, actor, deploy: d });
  if (!gate.ok) return { text: chat`🚫 You may not withdraw an approval of deploy #${deployId}.\n${denialText(gate.decision)}`, ephemeral: true, deployId, failed: true };
  const me = gate.grant.requester.key;
  let withdrawn = false;
  const updated = await deps.writes.updateDeploy(gate.grant, deployId, (cur) => {
    withdrawn = cur.phase === 'awaiting_approval' && approvedBy(deps, cur, me);
    return withdrawn ? { ...cur, approvals: cur.approvals.filter((a) => !(a.vote === 'approve' && deps.people.personOf(a.actor).key === me)) } : undefined;
  });
  await deps.audit.record({ kind: 'approval', deployId, actor, vote: 'withdraw', accepted: withdrawn });
  if (!withdrawn) return { text: chat`You had not approved deploy #${deployId}.`, ephemeral: true, deployId };
  deps.publish({ kind: 'note', deploy: updated, message: `${actor.name} withdrew their approval` });
  return { text: chat`Your approval of deploy #${deployId} is withdrawn.`, ephemeral: true, deployId };
}
