import type { PolicyRef, Verb } from '../../commands/index.ts';
import { DeckhandError } from '../errors.ts';
import type { Actor, Deploy } from '../deploy/index.ts';
import type { Decision, PolicyInput, PolicyRule } from '../policy/index.ts';
import type { DeskDeps } from './desk.ts';
import type { Grant, granted } from './grant.ts';
import type { Person } from './people.ts';
import { promotionFacts } from './promotion-facts.ts';
import { versionFacts } from './version-facts.ts';

/** What a policy question is about: a deploy record, or a bare service+environment (lock, freeze). */
export interface PolicySubject {
  service: string;
  env: string;
  /** Who is asking now. */
  actor: Actor;
  deploy?: Deploy;
  dryRun?: boolean;
}

const issued = new WeakSet<Grant>();

/** Records a grant as issued; not exported, so `authorize` is the only way to get one. */
function issueGrant(fields: Omit<Grant, typeof granted>): Grant {
  const grant = fields as Grant;
  issued.add(grant);
  return grant;
}

/** Throws unless `grant` came from `authorize` and covers what is being written. */
export function checkGrant(grant: Grant, scope: { verbs: readonly Verb[]; deployId?: string; service?: string; env?: string }): void {
  const covers = issued.has(grant)
    && scope.verbs.includes(grant.verb)
    && (scope.deployId === undefined || grant.deployId === scope.deployId)
    && (scope.service === undefined || grant.service === scope.service)
    && (scope.env === undefined || grant.env === scope.env);
  if (!covers) throw new DeckhandError('internal_error', 'A write was attempted without a policy decision that covers it; nothing was done.');
}

/** A deploy or rollback request's grant, narrowed to the record it just created. */
export function bindGrant(grant: Grant, deployId: string): Grant {
  // Only a request's grant, not yet about any record, may be narrowed to the record the request created.
  checkGrant(grant, { verbs: ['deploy', 'rollback'], deployId: undefined });
  if (grant.deployId !== undefined) throw new DeckhandError('internal_error', 'A grant about one deploy cannot be moved to another; nothing was done.');
  const bound = { ...grant, deployId };
  issued.add(bound);
  return bound;
}

export type GateAnswer = { ok: true; grant: Grant } | { ok: false; decision: Decision; requester: Person };

function personInput(p: Person): { id: string; name: string; groups: string[] } {
  return { id: p.key, name: p.name, groups: p.groups };
}

/**
 * The one authorization step. Builds the policy input — the same shape for every verb — asks the package the verb's
 * CommandSpec names, audits the decision, and answers with a grant when nothing was denied. A decision that only
 * lacks approvals (`allow: false`, no `deny`) is still a grant: the request may be recorded and wait.
 */
export async function authorize(deps: DeskDeps, verb: Verb, s: PolicySubject): Promise<GateAnswer> {
  const { input, decision, requester } = await evaluate(deps, verb, s);
  if (decision.deny.length) return { ok: false, decision, requester };
  return { ok: true, grant: issueGrant({ verb, service: s.service, env: s.env, deployId: s.deploy && s.deploy.id !== '0' ? s.deploy.id : undefined, requester, decision, input }) };
}

/** The rule the command registry names for `verb`; a read-only verb has none to ask. */
function policyRule(deps: DeskDeps, verb: Verb): PolicyRule {
  const ref: PolicyRef = deps.policyOf(verb);
  if (ref.kind !== 'decision') throw new DeckhandError('internal_error', `/${verb} changes nothing and has no policy to ask.`);
  return ref;
}

/**
 * Asks the policy about `verb` without granting anything: the pending-approval arithmetic of a deploy record (how
 * many approvals it has and needs), and the worker's re-check before a rollout.
 */
export async function evaluate(deps: DeskDeps, verb: Verb, s: PolicySubject): Promise<{ input: PolicyInput; decision: Decision; requester: Person }> {
  const svc = deps.services.get(s.service);
  const d = s.deploy;
  const a = d?.action;
  const requester = deps.people.personOf(s.actor);
  // The facts are read at once, each from its own source: version order (a fact about a deploy or rollback record,
  // the draft of a request included), the freezes, and the image (only the deploy policy judges it; votes and
  // steering on a deploy do not read the registry).
  const [versions, freezes, image] = await Promise.all([
    d ? versionFacts(deps, d) : undefined,
    deps.freezes.list(deps.now()),
    verb === 'deploy' && a?.kind === 'deploy' ? deps.inspectImage?.(s.service, a.version, d?.artifact?.digest) : undefined,
  ]);
  const input: PolicyInput = {
    action: verb,
    request: {
      service: s.service,
      env: s.env,
      version: a?.kind === 'deploy' ? a.version : a?.toVersion,
      strategy: a?.kind === 'deploy' ? a.strategy.kind : undefined,
      percent: a?.kind === 'deploy' && a.strategy.kind === 'canary' ? a.strategy.percent : undefined,
      reason: d?.reason,
      dry_run: s.dryRun ?? false,
      deploy_id: d && d.id !== '0' ? d.id : undefined,
    },
    requester: personInput(requester),
    deploy_requester: d ? personInput(deps.people.personOf(d.requestedBy)) : undefined,
    service: svc ? { name: svc.name, team: svc.team, environments: Object.keys(svc.environments) } : undefined,
    approvals: (d?.approvals ?? []).filter((v) => v.vote === 'approve').map((v) => personInput(deps.people.personOf(v.actor))),
    freezes,
    now: deps.now().toISOString(),
    versions,
    image,
  };
  // "The same artifact" is the same digest: a request not pinned yet is judged by the digest it is about to be pinned
  // to (request-deploy pins `image.digest`), so a moved tag is refused at once rather than at the worker's re-check.
  const pinned = d && !d.artifact && input.image?.digest ? { ...d, artifact: { digest: input.image.digest } } : d;
  if (pinned) input.promotion = await promotionFacts(deps, pinned);
  const decision = await deps.policy.decide(input, policyRule(deps, verb));
  await deps.audit.record({ kind: 'decision', deployId: input.request.deploy_id, input, result: decision });
  return { input, decision, requester };
}

/** Where a deploy record stands with its own policy (deploy or rollback): approvals had and needed, allowed now. */
export function standing(deps: DeskDeps, d: Deploy): Promise<{ input: PolicyInput; decision: Decision }> {
  return evaluate(deps, d.action.kind, { service: d.service, env: d.env, actor: d.requestedBy, deploy: d });
}
