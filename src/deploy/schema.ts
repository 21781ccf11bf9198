import { z } from 'zod';
import { TRACEPARENT } from './trace-context.ts';

/** Deploy ids are small integers (from a Redis counter) so people can type them: `/approve 12`. */
export const DeployId = z.string().regex(/^[1-9][0-9]*$/, 'a deploy id is a positive whole number, like 12');
export type DeployId = z.infer<typeof DeployId>;

export const Strategy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rolling') }).strict(),
  z.object({ kind: z.literal('canary'), percent: z.number().int().min(1).max(100) }).strict(),
  z.object({ kind: z.literal('bluegreen') }).strict(),
]);
export type Strategy = z.infer<typeof Strategy>;
export type StrategyKind = Strategy['kind'];

/** Who asked, as the chat platform identifies them: `id` is the platform's immutable user id; `name` is for display only. */
export const Actor = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  platform: z.enum(['console', 'slack', 'discord', 'api']),
  /** Slack: the workspace (or Enterprise org) the user id belongs to, when the payload says. */
  team: z.string().optional(),
  /**
   * Platform groups the adapter saw, by id (`slack-usergroup:S…`, `discord-role:…`). They are not policy groups by
   * themselves: a group in deckhand.yaml counts them only where it lists them.
   */
  groups: z.array(z.string()).default([]),
}).strict();
export type Actor = z.infer<typeof Actor>;

/**
 * Where a deploy stands. The ends are `succeeded`, `failed`, `rolled_back`, `aborted`, `denied`, `expired`.
 * `failed` means the rollout failed *and* could not be restored; a failed rollout that was restored is `rolled_back`.
 */
export const Phase = z.enum([
  'awaiting_approval',
  'queued',
  'building',
  'rolling_out',
  /** Promoted and live, but still watched for its soak window: alerts and analysis can still roll it back. */
  'watching',
  'rolling_back',
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
  'denied',
  'expired',
]);
export type Phase = z.infer<typeof Phase>;

export const END_PHASES: ReadonlySet<Phase> = new Set(['succeeded', 'failed', 'rolled_back', 'aborted', 'denied', 'expired']);
export function isEndPhase(phase: Phase): boolean {
  return END_PHASES.has(phase);
}

/** What the deploy does to the cluster: roll a version forward, or restore an earlier one. */
export const DeployAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deploy'), version: z.string(), strategy: Strategy }).strict(),
  /** `toVersion` absent means "the previous revision", like `kubectl rollout undo`. */
  z.object({ kind: z.literal('rollback'), toVersion: z.string().optional() }).strict(),
]);
export type DeployAction = z.infer<typeof DeployAction>;

export const Approval = z.object({
  actor: Actor,
  at: z.string(),
  vote: z.enum(['approve', 'deny']),
  reason: z.string().optional(),
}).strict();
export type Approval = z.infer<typeof Approval>;

/**
 * What people asked of a deploy in flight. Written only by the desk, through the gate; read by the steps, which
 * acknowledge `promote` and `resume` (and clear `paused`) when they act on them. A typed part of the record, not a
 * key in the steps' own `state`, so nothing but these four requests can be made from chat.
 */
/**
 * A monitoring signal that asked for an abort (src/signals/): which alert or error, its summary and where it comes
 * from, as the source sent them (user text for the card), and when Deckhand received it (ms since epoch).
 */
export const SignalRef = z.object({
  source: z.enum(['alertmanager', 'sentry']),
  name: z.string(),
  summary: z.string().optional(),
  url: z.string().optional(),
  receivedAt: z.number(),
}).strict();
export type SignalRef = z.infer<typeof SignalRef>;

export const Steering = z.object({
  /** Stop it and put back what ran before; `signal` when an alert (not a person) asked. */
  abort: z.object({ by: z.string(), reason: z.string().optional(), signal: SignalRef.optional() }).strict().optional(),
  /** Hold a progressive schedule at its current step. */
  paused: z.boolean().optional(),
  /** Move on: to the next step, or all the way. */
  promote: z.enum(['next', 'full']).optional(),
  /** Go on after a pause (a person's, or one for inconclusive analysis). */
  resume: z.boolean().optional(),
}).strict();
export type Steering = z.infer<typeof Steering>;

/** An image digest and its verified signer (src/artifacts/). */
export const Artifact = z.object({
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  signer: z.object({ identity: z.string(), issuer: z.string().nullable() }).strict().optional(),
}).strict();
export type Artifact = z.infer<typeof Artifact>;

export const Deploy = z.object({
  id: DeployId,
  service: z.string(),
  env: z.string(),
  action: DeployAction,
  requestedBy: Actor,
  channel: z.string(),
  reason: z.string().optional(),
  phase: Phase,
  /** The next step the worker runs; steps are resumable, see queue/steps. */
  step: z.string(),
  /** What the step machine has learned so far (previous image, revision …); steps read it to stay idempotent. */
  state: z.record(z.string(), z.unknown()),
  steering: Steering.default({}),
  /**
   * What a waiting step waits on: a Deployment (a change to it, seen by the Deployment watch, runs the step again at
   * once instead of when its delayed job falls due), or only `time`. Absent while a step runs.
   */
  waitingFor: z.union([z.object({ namespace: z.string(), name: z.string(), when: z.literal('settled').optional() }).strict(), z.literal('time')]).optional(),
  approvals: z.array(Approval),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  /** A person-readable last word on the deploy: why it failed, what was restored. */
  summary: z.string().optional(),
  /**
   * The image pinned for this deploy (services with a `signature` policy): its digest, resolved from the tag when the
   * request was recorded (or at the gate after a build), and who signed it when the signature verified. The drivers
   * roll out `repo:tag@digest`, so a tag moved after approval cannot change what rolls out.
   */
  artifact: Artifact.optional(),
  /**
   * The engine its environment is delivered by when it was asked for (config `delivery.kind`; absent = Deckhand
   * patches the Deployment itself). Kept on the record so a config change never switches a deploy's driver mid-way.
   */
  delivery: z.enum(['gitops', 'argo-rollouts']).optional(),
  /**
   * The deploy's trace (W3C traceparent: trace id + root span id), set when the record is created, so that steps run
   * by any worker, across restarts, are spans of one trace. Absent on records older than it.
   */
  traceparent: z.string().regex(TRACEPARENT).optional(),
}).strict();
export type Deploy = z.infer<typeof Deploy>;

/** Progress of a workload rollout, as Kubernetes reports it on the Deployment's status. */
export const RolloutProgress = z.object({
  desired: z.number().int(),
  updated: z.number().int(),
  ready: z.number().int(),
  available: z.number().int(),
}).strict();
export type RolloutProgress = z.infer<typeof RolloutProgress>;

/** Where the build of a version stands, for the card: `requested` until GitHub has created the run. */
export const BuildProgress = z.object({
  status: z.enum(['requested', 'queued', 'in_progress', 'completed']),
  /** Set when completed: success, failure, cancelled, timed_out … as GitHub Actions reports it. */
  conclusion: z.string().optional(),
  jobsDone: z.number().int().optional(),
  jobsTotal: z.number().int().optional(),
  /** The run's page on GitHub. */
  url: z.string().optional(),
}).strict();
export type BuildProgress = z.infer<typeof BuildProgress>;

export const ReleaseNoteItem = z.object({
  /** The PR title for a merged pull request, else the commit's subject line. */
  title: z.string(),
  pr: z.number().int().optional(),
  /** How the forge writes `pr`: `#12` for a GitHub pull request (the default), `!12` for a GitLab merge request. */
  prMarker: z.enum(['#', '!']).optional(),
  sha: z.string(),
  url: z.string(),
  breaking: z.boolean().optional(),
}).strict();
export type ReleaseNoteItem = z.infer<typeof ReleaseNoteItem>;

/** What changed between the version running before and the new one, grouped by conventional-commit type. */
export const ReleaseNotes = z.object({
  from: z.string(),
  to: z.string(),
  features: z.array(ReleaseNoteItem),
  fixes: z.array(ReleaseNoteItem),
  other: z.array(ReleaseNoteItem),
  /** Commits between the two versions (all of them, including a PR's branch commits). */
  totalCommits: z.number().int(),
  compareUrl: z.string(),
  /**
   * `to` is older than `from` (it has no commit `from` lacks, and `from` has some it lacks): the deploy goes back,
   * and the items and `totalCommits` are what it takes out, `compareUrl` their compare view.
   */
  goesBack: z.boolean().optional(),
}).strict();
export type ReleaseNotes = z.infer<typeof ReleaseNotes>;

/** One check's result in an analysis round, as the card shows it: value vs threshold, and the judgement. */
export interface AnalysisCheckResult {
  check: string;
  status: 'pass' | 'fail' | 'inconclusive';
  /** Absent when there was no data. */
  value?: number;
  threshold: number;
  unit: 'ratio' | 'ms' | 'count';
  detail?: string;
}

/** Everything that happens to a deploy, in order; notify/ renders these, audit/ records them. */
export type DeployEvent =
  | { kind: 'phase'; deploy: Deploy; phase: Phase; message: string }
  | { kind: 'progress'; deploy: Deploy; progress: RolloutProgress; message: string }
  | { kind: 'note'; deploy: Deploy; message: string }
  /** Build progress; `message` is a ready one-line text for the card. */
  | { kind: 'build'; deploy: Deploy; build: BuildProgress; message: string }
  /** Release notes once known; `message` is them formatted and trimmed for chat. */
  | { kind: 'release_notes'; deploy: Deploy; notes: ReleaseNotes; message: string }
  /** An analysis round of a canary step or a blue-green preview: each check, and the overall verdict. */
  | { kind: 'analysis'; deploy: Deploy; label: string; verdict: 'pass' | 'fail' | 'inconclusive' | 'failing'; checks: AnalysisCheckResult[] };

/** Where a service's environment runs, from the config catalog. */
export interface WorkloadTarget {
  namespace: string;
  deployment: string;
  container: string;
  /** Image repository; the version is its tag. */
  image: string;
}

/** `repo:tag`, or `repo:tag@sha256:…` when a digest is pinned (the tag is kept for people; the runtime pulls by digest). */
export function imageFor(target: WorkloadTarget, version: string, digest?: string): string {
  return digest ? `${target.image}:${version}@${digest}` : `${target.image}:${version}`;
}

/** The version of an image reference (its tag), or the whole reference when it has none. */
export function versionOfImage(image: string): string {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : image;
}
