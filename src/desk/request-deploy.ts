import { chat, downgradeWarning, FIRST_STEP, newTraceparent, strategyLabel, type Actor, type ChatText, type Deploy, type DeployAction } from '../deploy/index.ts';
import { denialText, phaseWords, type DeskDeps, type DeskReply } from './desk.ts';
import { abortPicked, findInFlight } from './control-deploy.ts';
import { authorize } from './gate.ts';
import { describeHolder, takeDeployLock } from './locks.ts';
import { canaryShareWarning } from './canary-share.ts';
import { hotfixContext } from './hotfix-context.ts';

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

function describe(r: { service: string; env: string; action: DeployAction }, delivery: Deploy['delivery']): ChatText {
  if (r.action.kind === 'rollback') return chat`rollback of ${r.service} in ${r.env}${r.action.toVersion ? chat` to ${r.action.toVersion}` : ' to the previous version'}`;
  return chat`${r.service} ${r.action.version} to ${r.env} (${strategyLabel({ action: r.action, delivery })})`;
}

/**
 * The desk as one request sees it: each workload is read from the cluster once, so the policy's version facts and
 * the canary's share are judged on the same moment (and a burst of requests costs the API server half the reads).
 */
function readingOnce(deps: DeskDeps): DeskDeps {
  const reads = new Map<string, ReturnType<DeskDeps['kube']['readDeployment']>>();
  const readDeployment: DeskDeps['kube']['readDeployment'] = (namespace, name) => {
    const key = `${namespace}/${name}`;
    const read = reads.get(key) ?? deps.kube.readDeployment(namespace, name);
    reads.set(key, read);
    return read;
  };
  return { ...deps, kube: { ...deps.kube, readDeployment } };
}

/**
 * A deploy or rollback request: policy first, then one record (idempotent), then the lock, then either an
 * approval request or a queued job. Nothing is queued unless all of it succeeded.
 */
export async function requestDeploy(desk: DeskDeps, r: DeployRequest): Promise<DeskReply> {
  const deps = readingOnce(desk);
  const now = deps.now().toISOString();
  const delivery = deps.services.get(r.service)?.environments[r.env]?.delivery;
  if (delivery === 'gitops' && r.action.kind === 'deploy' && r.action.strategy.kind !== 'rolling') {
    return { text: chat`🚫 ${r.service} in ${r.env} is delivered through Argo CD (GitOps): its rollout strategy lives in the manifests Argo CD syncs, so Deckhand cannot run a ${r.action.strategy.kind} there. Nothing was changed. Deploy it with \`/deploy ${r.service} ${r.action.version} to ${r.env}\`.`, ephemeral: true, failed: true };
  }
  const draft: Deploy = {
    id: '0', service: r.service, env: r.env, action: r.action, requestedBy: r.actor, channel: r.channel, reason: r.reason,
    phase: 'queued', step: FIRST_STEP, steering: {}, state: {}, approvals: [], createdAt: now, updatedAt: now,
    traceparent: newTraceparent(),
    ...(delivery && delivery !== 'kubernetes' && { delivery }),
  };
  const version = r.action.kind === 'deploy' ? r.action.version : r.action.toVersion;
  const missing = version && deps.checkVersion ? await deps.checkVersion(r.service, version) : undefined;
  if (missing) return { text: chat`🚫 ${missing}`, ephemeral: true, failed: true };

  const gate = await authorize(deps, r.action.kind, { service: r.service, env: r.env, actor: r.actor, deploy: draft, dryRun: r.dryRun });
  const decision = gate.ok ? gate.grant.decision : gate.decision;
  const what = describe(r, draft.delivery);

  // Rolling back while a deploy is still in flight means: stop it and put back what ran before, whatever its
  // strategy (traffic, replicas, route weights). That is what the in-flight deploy's abort does (its own gate).
  if (r.action.kind === 'rollback' && !r.dryRun && gate.ok && !r.action.toVersion) {
    const [inFlight] = await findInFlight(deps, r.service, r.env);
    if (inFlight && inFlight.action.kind === 'deploy' && inFlight.phase !== 'awaiting_approval') {
      return abortPicked(deps, r.actor, inFlight, r.reason ?? 'rollback requested');
    }
  }

  const needed = (d: typeof decision) => chat`${d.approvals.required - d.approvals.have} approval(s) from ${d.approvals.eligible.join(', ') || 'an approver'}`;
  // What the requester and the approvers should know before it starts: the canary's real share, the freeze a hotfix goes through.
  const share = gate.ok && r.action.kind === 'deploy' && r.action.strategy.kind === 'canary'
    ? await canaryShareWarning(deps, r.service, r.env, r.action.strategy.percent) : undefined;
  const hotfix = gate.ok && r.action.kind === 'deploy' && !decision.allow && r.reason?.trim() ? await hotfixContext(deps, gate.grant, r) : undefined;
  // A downgrade is said plainly, to the requester here and on the card (render-card reads `state.runningAtRequest`).
  const running = gate.ok ? gate.grant.input.versions?.running ?? undefined : undefined;
  const downgrade = r.action.kind === 'deploy' ? downgradeWarning(running, r.action.version) : undefined;
  const heads = chat`${downgrade ? chat`\n${downgrade}` : ''}${hotfix ? chat`\n${hotfix}` : ''}${share ? chat`\n${share}` : ''}`;
  if (r.dryRun) {
    const verdict = !gate.ok
      ? chat`would be refused:\n${denialText(decision)}`
      : decision.allow ? chat`would start right away (no approval needed).`
      : chat`would need ${needed(decision)}.`;
    return { text: chat`🧪 Dry run — nothing was changed. ${what} ${verdict}${heads}`, ephemeral: true };
  }
  if (!gate.ok) {
    return { text: chat`🚫 Not allowed: ${what}.\n${denialText(decision)}`, ephemeral: true, failed: true };
  }

  const { id: _unused, ...fields } = draft;
  const needsApproval = !decision.allow;
  const state = running !== undefined && r.action.kind === 'deploy' ? { runningAtRequest: running } : fields.state;
  // The image judged is the image approved and rolled out: its digest is pinned now (services with a signature policy).
  const image = gate.grant.input.image;
  const artifact = image?.digest ? { artifact: { digest: image.digest, ...(image.signer && { signer: image.signer }) } } : {};
  const { created, deploy, grant } = await deps.writes.createDeploy(gate.grant, { ...fields, ...artifact, state, phase: needsApproval ? 'awaiting_approval' : 'queued' }, r.idempotencyKey);
  if (!created) {
    return { text: chat`That request was already received: it is deploy #${deploy.id} (${phaseWords(deploy)}).`, ephemeral: true, deployId: deploy.id };
  }

  const lock = await takeDeployLock(deps, grant, deploy);
  if (!lock.ok) {
    const held = describeHolder(r.service, r.env, lock);
    const refused = await deps.writes.updateDeploy(grant, deploy.id, (d) => ({ ...d, phase: 'denied', step: 'done', summary: held.toString() }));
    deps.publish({ kind: 'phase', deploy: refused, phase: 'denied', message: refused.summary ?? '' });
    return { text: held, ephemeral: true, deployId: deploy.id, failed: true };
  }

  if (needsApproval) {
    await deps.writes.enqueue(grant, 'expire', deploy.id, deps.approvalTtlMs);
    const a = decision.approvals;
    const asks = `Needs ${a.required - a.have} approval(s) from ${a.eligible.join(', ') || 'an approver'}: /approve ${deploy.id}`;
    await firstPhase(deps, deploy, [hotfix, asks, share?.toString()].filter(Boolean).join('\n'));
    return { text: chat`Deploy #${deploy.id}: ${what} needs ${needed(decision)} — \`/approve ${deploy.id}\`.${heads}`, ephemeral: true, deployId: deploy.id };
  }
  await deps.writes.enqueue(grant, 'run', deploy.id);
  await firstPhase(deps, deploy, share?.toString() ?? '');
  return { text: chat`Deploy #${deploy.id}: ${what} is queued.${lock.reclaimed ? chat` (Note: ${lock.reclaimed}.)` : ''}${heads}`, ephemeral: true, deployId: deploy.id };
}

/**
 * A new deploy's first phase, told and audited. (Every later change of phase is audited by the save that makes it;
 * this entry follows the record's creation, as the request's own command entry does.)
 */
async function firstPhase(deps: DeskDeps, deploy: Deploy, message: string): Promise<void> {
  deps.publish({ kind: 'phase', deploy, phase: deploy.phase, message });
  await deps.audit.record({ kind: 'phase', deployId: deploy.id, phase: deploy.phase, message });
}
