import type { PolicyRef, Verb } from '../../commands/index.ts';
import type { ImageFacts } from '../artifacts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { chat, joinChat, type ChatText, type Deploy, type DeployEvent, type WorkloadTarget } from '../deploy/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { Decision, PolicyBackend, PolicyInput } from '../policy/index.ts';
import type { LockHolder } from '../store/index.ts';
import type { PeopleDirectory } from './people.ts';
import type { Grant } from './grant.ts';

/** A service as the desk needs it: its team and where each environment runs. */
/** What the desk reads of an Argo Rollouts `Rollout`: the images of its template and how many pods serve. */
export interface RolloutReader {
  getRollout(namespace: string, name: string): Promise<{ images: Record<string, string>; phase?: string; replicas: { desired: number; available: number } }>;
}

export interface DeskService {
  name: string;
  team: string;
  /**
   * Where each environment runs, its size as configured (`environments.<env>.replicas`) when known, and the
   * environment that must have run the same artifact first (`requires`), if any.
   */
  environments: Record<string, WorkloadTarget & { replicas?: number; requires?: { after: string; soakMs: number }; delivery?: 'kubernetes' | 'gitops' | 'argo-rollouts'; rollout?: string }>;
  /** How a canary gets its share of traffic (`canary.traffic.kind`); absent means the default, a replica ratio. */
  canaryTraffic?: 'replicas' | 'httproute' | 'istio';
}

/**
 * The ports the desk drives. Reads are plain; every write goes through `writes`, whose methods take the
 * authorization gate's grant (gate.ts). The SDKs stay in their homes.
 */
export interface DeskDeps {
  services: ReadonlyMap<string, DeskService>;
  /** Who a chat account is (config `people` and `groups`): four-eyes and policy see people, never names. */
  people: PeopleDirectory;
  /** Which policy package decides each verb (from the command registry). */
  policyOf(verb: Verb): PolicyRef;
  deploys: {
    get(id: string): Promise<Deploy | undefined>;
    list(filter: { service?: string; env?: string; limit?: number }): Promise<Deploy[]>;
  };
  locks: { get(service: string, env: string): Promise<LockHolder | undefined> };
  /** One-off freezes written by `/freeze` (store/FreezeStore). */
  freezes: { list(now: Date): Promise<PolicyInput['freezes']> };
  writes: DeskWrites;
  policy: PolicyBackend;
  audit: AuditLog;
  kube: KubeClient;
  /** Reads the Rollouts of environments delivered by Argo Rollouts (their workload is no Deployment). */
  rollouts?: RolloutReader;
  approvalTtlMs: number;
  publish(event: DeployEvent): void;
  now(): Date;
  /**
   * Whether a version exists (a tag of the service's repository), asked before approvals so a typo is refused at
   * once with the closest tags. Absent when no GitHub is configured: the version pattern is all that is checked.
   * Resolves with a message when the version does not exist.
   */
  checkVersion?(service: string, version: string): Promise<string | undefined>;
  /**
   * The image a deploy would roll out, for the policy (`input.image`): the digest (`pinned`, else the tag's now) and
   * whether its signature verifies. Undefined for a service without a `signature` policy; absent without a registry.
   * Never throws for a registry outage: the facts then say so (digest unknown, not signed).
   */
  inspectImage?(service: string, version: string, pinned?: string): Promise<ImageFacts | undefined>;
}

/**
 * Every write the desk can make. Each takes the gate's grant and checks that it covers the deploy, service or
 * environment written; there is no other way for a command, button or reaction to change state.
 */
export interface DeskWrites {
  createDeploy(grant: Grant, draft: Omit<Deploy, 'id'>, idempotencyKey: string): Promise<{ created: boolean; deploy: Deploy; grant: Grant }>;
  /** A change of phase is recorded in the audit log by the same write, said in `note` (default: the summary). */
  updateDeploy(grant: Grant, id: string, change: (d: Deploy) => Deploy | undefined | Promise<Deploy | undefined>, note?: string): Promise<Deploy>;
  acquireLock(grant: Grant, service: string, env: string, holder: LockHolder): Promise<{ ok: true } | { ok: false; holder: LockHolder }>;
  swapLock(grant: Grant, service: string, env: string, expected: LockHolder, next: LockHolder | undefined): Promise<boolean>;
  releaseDeployLock(grant: Grant, d: Deploy): Promise<boolean>;
  addFreeze(grant: Grant, f: PolicyInput['freezes'][number]): Promise<string>;
  clearFreezes(grant: Grant, env: string): Promise<number>;
  enqueue(grant: Grant, kind: 'run' | 'expire', deployId: string, delayMs?: number): Promise<void>;
  wake(grant: Grant, deployId: string): Promise<void>;
}

/** The words a desk function answers with; `ephemeral` ones go to the asker only. */
export interface DeskReply {
  text: ChatText;
  ephemeral: boolean;
  /** The deploy the reply is about, if any (for the audit log). */
  deployId?: string;
  /** The command failed or was refused: a script run exits non-zero. */
  failed?: boolean;
}

/** The policy's reasons, one bullet each (policy messages may quote user text: a freeze's reason). */
export function denialText(decision: Decision): ChatText {
  return joinChat(decision.deny.map((r) => chat`• ${r.message}`), '\n');
}

/** `awaiting approval`, `rolled back` … */
export function phaseWords(d: Deploy): string {
  return d.phase.replaceAll('_', ' ');
}
