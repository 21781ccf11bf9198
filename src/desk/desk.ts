import type { AuditLog } from '../audit/index.ts';
import type { Actor, Deploy, DeployEvent, WorkloadTarget } from '../deploy/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { Decision, PolicyBackend, PolicyInput } from '../policy/index.ts';
import type { Locks } from './locks.ts';

/** A service as the desk needs it: its team and where each environment runs. */
export interface DeskService {
  name: string;
  team: string;
  environments: Record<string, WorkloadTarget>;
}

/** The ports the desk drives. Each is one of our own small interfaces; the SDKs stay in their homes. */
export interface DeskDeps {
  services: ReadonlyMap<string, DeskService>;
  /** Groups from config (and later the chat platform), added to whatever groups the adapter already knew. */
  groupsOf(actor: Actor): string[];
  deploys: {
    create(draft: Omit<Deploy, 'id'>, idempotencyKey: string): Promise<{ created: boolean; deploy: Deploy }>;
    get(id: string): Promise<Deploy | undefined>;
    update(id: string, change: (d: Deploy) => Deploy | undefined): Promise<Deploy>;
    list(filter: { service?: string; env?: string; limit?: number }): Promise<Deploy[]>;
  };
  locks: Locks;
  queue: { enqueue(kind: 'run' | 'expire', deployId: string, delayMs?: number): Promise<void>; wake?(deployId: string): Promise<void> };
  policy: PolicyBackend;
  audit: AuditLog;
  kube: KubeClient;
  approvalTtlMs: number;
  /** One-off freezes written by `/freeze` (store/FreezeStore). */
  freezeStore: {
    add(f: PolicyInput['freezes'][number]): Promise<string>;
    list(now: Date): Promise<PolicyInput['freezes']>;
    clear(env: string): Promise<number>;
  };
  publish(event: DeployEvent): void;
  now(): Date;
  /**
   * Whether a version exists (a tag of the service's repository), asked before approvals so a typo is refused at
   * once with the closest tags. Absent when no GitHub is configured: the version pattern is all that is checked.
   * Resolves with a message when the version does not exist.
   */
  checkVersion?(service: string, version: string): Promise<string | undefined>;
}

/** The words a desk function answers with; `ephemeral` ones go to the asker only. */
export interface DeskReply {
  text: string;
  ephemeral: boolean;
  /** The deploy the reply is about, if any (for the audit log). */
  deployId?: string;
  /** The command failed or was refused: a script run exits non-zero. */
  failed?: boolean;
}

export function withGroups(deps: DeskDeps, actor: Actor): Actor {
  return { ...actor, groups: [...new Set([...actor.groups, ...deps.groupsOf(actor)])] };
}

function person(a: Actor): { id: string; name: string; groups: string[] } {
  return { id: a.id, name: a.name, groups: a.groups };
}

/** What a policy question is about: a deploy record, or a bare service+environment (lock, unlock). */
export interface PolicySubject {
  service: string;
  env: string;
  /** Who is asking now. */
  actor: Actor;
  deploy?: Deploy;
  dryRun?: boolean;
}

/** Builds the policy input (approvals included) and asks the backend; every decision is audited. */
export async function decide(deps: DeskDeps, action: string, s: PolicySubject): Promise<{ input: PolicyInput; decision: Decision }> {
  const svc = deps.services.get(s.service);
  const d = s.deploy;
  const deployAction = d?.action;
  const input: PolicyInput = {
    action,
    request: {
      service: s.service,
      env: s.env,
      version: deployAction?.kind === 'deploy' ? deployAction.version : deployAction?.toVersion,
      strategy: deployAction?.kind === 'deploy' ? deployAction.strategy.kind : undefined,
      percent: deployAction?.kind === 'deploy' && deployAction.strategy.kind === 'canary' ? deployAction.strategy.percent : undefined,
      reason: d?.reason,
      dry_run: s.dryRun ?? false,
      deploy_id: d && d.id !== '0' ? d.id : undefined,
    },
    requester: person(withGroups(deps, s.actor)),
    deploy_requester: d ? person(withGroups(deps, d.requestedBy)) : undefined,
    service: svc ? { name: svc.name, team: svc.team, environments: Object.keys(svc.environments) } : undefined,
    approvals: (d?.approvals ?? []).filter((a) => a.vote === 'approve').map((a) => person(withGroups(deps, a.actor))),
    freezes: await deps.freezeStore.list(deps.now()),
    now: deps.now().toISOString(),
  };
  const decision = await deps.policy.decide(input);
  await deps.audit.record({ kind: 'decision', deployId: input.request.deploy_id, input, result: decision });
  return { input, decision };
}

/** The decision for a deploy record as its requester's request (deploy, rollback, re-checks, approvals). */
export function decideFor(deps: DeskDeps, d: Deploy, action: string, dryRun = false): Promise<{ input: PolicyInput; decision: Decision }> {
  return decide(deps, action, { service: d.service, env: d.env, actor: d.requestedBy, deploy: d, dryRun });
}

export function denialText(decision: Decision): string {
  return decision.deny.map((r) => `• ${r.message}`).join('\n');
}
