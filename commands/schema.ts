import { z } from 'zod';
import { DeployId, Strategy } from '../src/deploy/index.ts';

/** Every verb Deckhand understands, by canonical name (aliases live on each CommandSpec). */
export const Verb = z.enum([
  'deploy', 'rollback', 'status', 'history', 'promote', 'pause', 'resume', 'abort',
  'approve', 'withdraw', 'deny', 'lock', 'unlock', 'freeze', 'unfreeze', 'help',
]);
export type Verb = z.infer<typeof Verb>;

/** A service's canonical name from the catalog (lowercase). */
const ServiceRef = z.string().min(1);
/** An environment's canonical name from the catalog (lowercase). */
const EnvRef = z.string().min(1);
/** A version as typed (case kept); it becomes the image tag, so it must be a valid OCI tag. */
export const Version = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a version must be a valid image tag');
export type Version = z.infer<typeof Version>;
/** Free text a person gave as the reason; kept as typed (quotes removed). */
const Reason = z.string().min(1).max(4000);

export const DeployCommand = z.object({
  verb: z.literal('deploy'),
  service: ServiceRef,
  env: EnvRef,
  version: Version,
  strategy: Strategy,
  /** Check policy and the image, report what would happen, change nothing. */
  dryRun: z.boolean(),
  reason: Reason.optional(),
}).strict();
export type DeployCommand = z.infer<typeof DeployCommand>;

export const RollbackCommand = z.object({
  verb: z.literal('rollback'),
  service: ServiceRef,
  env: EnvRef,
  /** Absent: the previous revision (like `kubectl rollout undo`). */
  toVersion: Version.optional(),
  reason: Reason.optional(),
}).strict();
export type RollbackCommand = z.infer<typeof RollbackCommand>;

/** Absent service: every service; absent env: every environment of the service(s). */
export const StatusCommand = z.object({
  verb: z.literal('status'),
  service: ServiceRef.optional(),
  env: EnvRef.optional(),
}).strict();
export type StatusCommand = z.infer<typeof StatusCommand>;

/** Absent env: every environment of the service. */
export const HistoryCommand = z.object({
  verb: z.literal('history'),
  service: ServiceRef,
  env: EnvRef.optional(),
}).strict();
export type HistoryCommand = z.infer<typeof HistoryCommand>;

/**
 * The controls of a deploy in flight. Absent service: the one deploy in flight (the pipeline asks which when
 * there are several); absent env: the environment where that service has a deploy in flight.
 */
const inFlight = <V extends 'promote' | 'pause' | 'resume'>(verb: V) => z.object({
  verb: z.literal(verb),
  service: ServiceRef.optional(),
  env: EnvRef.optional(),
}).strict();

/** `full`: skip every remaining step (`/promote --full`), like `kubectl argo rollouts promote --full`. */
export const PromoteCommand = inFlight('promote').extend({ full: z.literal(true).optional() });
export type PromoteCommand = z.infer<typeof PromoteCommand>;
export const PauseCommand = inFlight('pause');
export type PauseCommand = z.infer<typeof PauseCommand>;
export const ResumeCommand = inFlight('resume');
export type ResumeCommand = z.infer<typeof ResumeCommand>;

/** Absent env: the environment where the service has a deploy in flight. */
export const AbortCommand = z.object({
  verb: z.literal('abort'),
  service: ServiceRef,
  env: EnvRef.optional(),
  reason: Reason.optional(),
}).strict();
export type AbortCommand = z.infer<typeof AbortCommand>;

export const ApproveCommand = z.object({
  verb: z.literal('approve'),
  deployId: DeployId,
}).strict();
export type ApproveCommand = z.infer<typeof ApproveCommand>;

export const WithdrawCommand = z.object({
  verb: z.literal('withdraw'),
  deployId: DeployId,
}).strict();
export type WithdrawCommand = z.infer<typeof WithdrawCommand>;

export const DenyCommand = z.object({
  verb: z.literal('deny'),
  deployId: DeployId,
  reason: Reason.optional(),
}).strict();
export type DenyCommand = z.infer<typeof DenyCommand>;

/** Absent env: the lock covers every environment of the service. */
export const LockCommand = z.object({
  verb: z.literal('lock'),
  service: ServiceRef,
  env: EnvRef.optional(),
  reason: Reason.optional(),
}).strict();
export type LockCommand = z.infer<typeof LockCommand>;

/** Absent env: the whole-service lock (not the per-environment ones). */
export const UnlockCommand = z.object({
  verb: z.literal('unlock'),
  service: ServiceRef,
  env: EnvRef.optional(),
}).strict();
export type UnlockCommand = z.infer<typeof UnlockCommand>;

/** When a freeze ends: at a moment (ISO 8601, UTC when no zone was typed) or after a duration from now. */
export const FreezeUntil = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ kind: z.literal('for'), ms: z.number().int().positive() }).strict(),
]);
export type FreezeUntil = z.infer<typeof FreezeUntil>;

/** Absent until: frozen until `/unfreeze`. */
export const FreezeCommand = z.object({
  verb: z.literal('freeze'),
  env: EnvRef,
  until: FreezeUntil.optional(),
  reason: Reason.optional(),
}).strict();
export type FreezeCommand = z.infer<typeof FreezeCommand>;

export const UnfreezeCommand = z.object({
  verb: z.literal('unfreeze'),
  env: EnvRef,
}).strict();
export type UnfreezeCommand = z.infer<typeof UnfreezeCommand>;

/** Absent topic: the list of all commands. */
export const HelpCommand = z.object({
  verb: z.literal('help'),
  topic: Verb.optional(),
}).strict();
export type HelpCommand = z.infer<typeof HelpCommand>;

/** Everything a chat message can ask Deckhand to do. */
export const Command = z.discriminatedUnion('verb', [
  DeployCommand, RollbackCommand, StatusCommand, HistoryCommand, PromoteCommand, PauseCommand, ResumeCommand,
  AbortCommand, ApproveCommand, WithdrawCommand, DenyCommand, LockCommand, UnlockCommand, FreezeCommand, UnfreezeCommand, HelpCommand,
]);
export type Command = z.infer<typeof Command>;

/** The command of one verb. */
export type CommandOf<V extends Verb> = Extract<Command, { verb: V }>;
