import { FIRST_STEP, type Actor, type Deploy, type DeployAction } from '../deploy/index.ts';
import { decideFor, denialText, type DeskDeps, type DeskReply } from './desk.ts';
import { abortDeploy, findInFlight } from './control-deploy.ts';
import { describeHolder, takeDeployLock } from './locks.ts';

export interface DeployRequest {
  service: string;
  env: string;
  action: DeployAction;
  actor: Actor;
  channel: string;
  reason?: string;
  dryRun: boolean;
  /** Same for every delivery of the same chat action, so retries and double clicks make one deploy. */
  idempotencyKey: string;
}

function describe(r: { service: string; env: string; action: DeployAction }): string {
  if (r.action.kind === 'rollback') return `rollback of ${r.service} in ${r.env}${r.action.toVersion ? ` to ${r.action.toVersion}` : ' to the previous version'}`;
  const s = r.action.strategy;
  return `${r.service} ${r.action.version} to ${r.env} (${s.kind === 'canary' ? `canary ${s.percent}%` : s.kind})`;
}

/**
 * A deploy or rollback request: policy first, then one record (idempotent), then the lock, then either an
 * approval request or a queued job. Nothing is queued unless all of it succeeded.
 */
export async function requestDeploy(deps: DeskDeps, r: DeployRequest): Promise<DeskReply> {
  const now = deps.now().toISOString();
  const draft: Deploy = {
    id: '0', service: r.service, env: r.env, action: r.action, requestedBy: r.actor, channel: r.channel, reason: r.reason,
    phase: 'queued', step: FIRST_STEP, state: {}, approvals: [], createdAt: now, updatedAt: now,
  };
  const version = r.action.kind === 'deploy' ? r.action.version : r.action.toVersion;
  const missing = version && deps.checkVersion ? await deps.checkVersion(r.service, version) : undefined;
  if (missing) return { text: `🚫 ${missing}`, ephemeral: true, failed: true };

  const { decision } = await decideFor(deps, draft, r.action.kind, r.dryRun);
  const what = describe(r);

  // Rolling back while a deploy is still in flight means: stop it and put back what ran before, whatever its
  // strategy (traffic, replicas, route weights). That is what the in-flight deploy's abort does.
  if (r.action.kind === 'rollback' && !r.dryRun && !decision.deny.length && !r.action.toVersion) {
    const [inFlight] = await findInFlight(deps, r.service, r.env);
    if (inFlight && inFlight.action.kind === 'deploy' && inFlight.phase !== 'awaiting_approval') {
      return abortDeploy(deps, r.actor, r.service, r.env, r.reason ?? 'rollback requested');
    }
  }

  if (r.dryRun) {
    const verdict = decision.deny.length
      ? `would be refused:\n${denialText(decision)}`
      : decision.allow ? 'would start right away (no approval needed).'
      : `would need ${decision.approvals.required - decision.approvals.have} approval(s) from ${decision.approvals.eligible.join(', ') || 'an approver'}.`;
    return { text: `🧪 Dry run — nothing was changed. ${what} ${verdict}`, ephemeral: true };
  }
  if (decision.deny.length) {
    return { text: `🚫 Not allowed: ${what}.\n${denialText(decision)}`, ephemeral: true, failed: true };
  }

  const { id: _unused, ...fields } = draft;
  const needsApproval = !decision.allow;
  const { created, deploy } = await deps.deploys.create({ ...fields, phase: needsApproval ? 'awaiting_approval' : 'queued' }, r.idempotencyKey);
  if (!created) {
    return { text: `That request was already received: it is deploy #${deploy.id} (${deploy.phase.replace('_', ' ')}).`, ephemeral: true, deployId: deploy.id };
  }

  const lock = await takeDeployLock(deps.locks, deps.audit, (id) => deps.deploys.get(id), deploy);
  if (!lock.ok) {
    const refused = await deps.deploys.update(deploy.id, (d) => ({ ...d, phase: 'denied', step: 'done', summary: describeHolder(r.service, r.env, lock) }));
    deps.publish({ kind: 'phase', deploy: refused, phase: 'denied', message: refused.summary ?? '' });
    return { text: describeHolder(r.service, r.env, lock), ephemeral: true, deployId: deploy.id, failed: true };
  }

  if (needsApproval) {
    await deps.queue.enqueue('expire', deploy.id, deps.approvalTtlMs);
    deps.publish({ kind: 'phase', deploy, phase: 'awaiting_approval', message: `Needs ${decision.approvals.required - decision.approvals.have} approval(s) from ${decision.approvals.eligible.join(', ') || 'an approver'} (${decision.approvals.have}/${decision.approvals.required}) — \`/approve ${deploy.id}\`` });
    return {
      text: `Deploy #${deploy.id}: ${what} needs ${decision.approvals.required - decision.approvals.have} approval(s) from ${decision.approvals.eligible.join(', ') || 'an approver'} — \`/approve ${deploy.id}\`.`,
      ephemeral: true, deployId: deploy.id,
    };
  }
  await deps.queue.enqueue('run', deploy.id);
  deps.publish({ kind: 'phase', deploy, phase: 'queued', message: '' });
  return { text: `Deploy #${deploy.id}: ${what} is queued.${lock.reclaimed ? ` (Note: ${lock.reclaimed}.)` : ''}`, ephemeral: true, deployId: deploy.id };
}
