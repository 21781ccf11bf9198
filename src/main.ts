/**
 * The composition root: builds every station from config and wires them through the pipeline. Nothing else
 * constructs SDK clients or stores.
 */
import type { ChatAdapter, ChatEvent, Card } from './chat/types.ts';
import { secretsOf, type Config } from './config/index.ts';
import { isEndPhase, ReleaseNotes, type Deploy, type DeployEvent, type WorkloadTarget } from './deploy/index.ts';
import { formatReleaseNotes } from './build/index.ts';
import { createPeopleDirectory, type DeskService } from './desk/index.ts';
import type { AuditLog } from './audit/index.ts';
import { createKubeClient, type KubeClient, type KubeSource } from './kube/index.ts';
import { CardPublisher } from './notify/index.ts';
import { parseContextFromConfig } from './parse/index.ts';
import { createPipeline, type HandleResult, type Pipeline, type PipelineDeps } from './pipeline.ts';
import type { PolicyBackend } from './policy/index.ts';
import { startDeployWorker, type DeployQueue, type DeployWorker } from './queue/index.ts';
import { createRollbackDriver, createRollingDriver, type RolloutDriver } from './rollout/index.ts';
import { createProgressiveDrivers } from './progressive-wiring.ts';
import { createReleaseStage } from './release-wiring.ts';
import type { DeployStore, LockStore } from './store/index.ts';
import { openStores } from './store-wiring.ts';
import { createLogger, type ApiTarget, type DeployOutcome, type Logger, type Metrics } from './telemetry/index.ts';

export interface DeckhandOptions {
  config: Config;
  redisUrl: string;
  kube: KubeSource;
  policy: PolicyBackend;
  adapters: ChatAdapter[];
  /** Redis key prefix; separate Deckhands (and tests) sharing a Redis use different ones. */
  prefix?: string;
  /** Run a worker in this process (default), or only take chat traffic. */
  worker?: false | { concurrency?: number; lockDurationMs?: number };
  log?: Logger;
  now?: () => Date;
  /** Fallback watchdog past a Deployment's own progress deadline (tests shorten it). */
  deadlineGraceMs?: number;
  /** Progressive delivery: where a pod's HTTP endpoint is for probes (default `http://<podIP>:<port>`), poll interval. */
  /** Metrics to record deploy outcomes and policy decisions in (served on /metrics by the HTTP server). */
  metrics?: Metrics;
  /** Release notices (Discord) for every deploy that ends, sent from the process that ended it. */
  notifier?: { notify(deploy: Deploy, extras?: { releaseNotes?: string; links?: { label: string; url: string }[] }): Promise<unknown> };
  /** Build, release notes and GitHub deployments before each rollout; absent: versions are rolled out as they are. */
  github?: { apiUrl?: string; registryEndpoint?: (host: string) => string };
  progressive?: { podUrl?: (namespace: string, pod: string, ip: string | undefined, port: number) => string; pollMs?: number };
  /** Told about every chat event once it is handled (the sandbox counts failures for its exit code). */
  onHandled?: (event: ChatEvent, result: HandleResult) => void;
}

export interface Deckhand {
  readonly pipeline: Pipeline;
  readonly deploys: DeployStore;
  readonly locks: LockStore;
  readonly audit: AuditLog;
  readonly queue: DeployQueue;
  readonly kube: KubeClient;
  readonly cards: CardPublisher;
  /** Every deploy event in this process, for the sandbox and tests. */
  onDeployEvent(listener: (e: DeployEvent) => void): void;
  /** Resolves when every release notice sent so far has been delivered (or has failed). */
  notices(): Promise<void>;
  /** Starts or restarts this process's worker (a crash test kills it with `stopWorker(true)`). */
  startWorker(): void;
  stopWorker(force?: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** The catalog as the desk sees it: service → environment → where it runs. */
export function servicesFromConfig(config: Config): Map<string, DeskService> {
  const out = new Map<string, DeskService>();
  for (const [name, s] of Object.entries(config.services)) {
    const environments: Record<string, WorkloadTarget> = {};
    for (const [env, e] of Object.entries(s.environments)) {
      environments[env] = { namespace: e.namespace, deployment: e.deployment, container: e.container, image: s.image };
    }
    out.set(name, { name, team: s.team, environments });
  }
  return out;
}

export async function startDeckhand(o: DeckhandOptions): Promise<Deckhand> {
  const prefix = o.prefix ?? 'deckhand';
  const log = o.log ?? createLogger({ level: o.config.runtime.logLevel, secrets: secretsOf(o.config) });
  // Chat handlers and the API get fail-fast stores (an outage is answered at once, nothing runs later); the
  // worker's jobs get patient ones (a Redis restart pauses a step, it does not fail it). See store-wiring.ts.
  const stores = await openStores({ redisUrl: o.redisUrl, prefix, auditMaxEntries: o.config.audit.maxEntries, log });
  const { deploys, locks, audit, queue, freezes } = stores.request;
  const kube = createKubeClient({
    ...o.kube,
    onRetry: (code) => { o.kube.onRetry?.(code); o.metrics?.recordApiError('kubernetes', code); },
  });
  const services = servicesFromConfig(o.config);
  const targetOf = (d: Deploy): WorkloadTarget => {
    const t = services.get(d.service)?.environments[d.env];
    if (!t) throw new Error(`no target for ${d.service}/${d.env}`);
    return t;
  };
  const rollingDeps = { kube, targetOf, deadlineGraceMs: o.deadlineGraceMs };
  const drivers = new Map<string, RolloutDriver>([
    ['rolling', createRollingDriver(rollingDeps)],
    ['rollback', createRollbackDriver(rollingDeps)],
    ...createProgressiveDrivers({ config: o.config, kube, targetOf, ...o.progressive }),
  ]);
  const adapters = new Map(o.adapters.map((a) => [a.platform as string, a]));
  const cards = new CardPublisher(async (platform: string, card: Card) => {
    await adapters.get(platform)?.upsertCard(card);
  });
  cards.onError = (err) => log.error({ err }, 'card update failed');
  const listeners: ((e: DeployEvent) => void)[] = [];
  const pendingNotices = new Set<Promise<unknown>>();
  /** The deploy has ended in this process: count it, and tell the teams who care. */
  const onEnded = (d: Deploy): void => {
    if (!isEndPhase(d.phase)) return;
    const strategy = d.action.kind === 'rollback' ? 'rollback' : d.action.strategy.kind;
    const seconds = (new Date(d.finishedAt ?? d.updatedAt).getTime() - new Date(d.createdAt).getTime()) / 1000;
    o.metrics?.recordDeploy({ outcome: d.phase as DeployOutcome, strategy, durationSeconds: Math.max(0, seconds) });
    if (!o.notifier) return;
    const notes = ReleaseNotes.safeParse(d.state.releaseNotes);
    const sent = o.notifier.notify(d, notes.success
      ? { releaseNotes: formatReleaseNotes(notes.data), links: notes.data.compareUrl ? [{ label: 'Compare', url: notes.data.compareUrl }] : [] }
      : {}).catch((err: unknown) => log.error({ err, deployId: d.id }, 'release notice failed'));
    pendingNotices.add(sent);
    void sent.finally(() => pendingNotices.delete(sent));
  };
  const policy: PolicyBackend = o.metrics ? countingDecisions(o.policy, o.metrics) : o.policy;

  const cardRefs = stores.cardRefs;
  const release = o.github
    ? createReleaseStage({ config: o.config, kube, targetOf, log, cardUrl: (d) => cardRefs.link(d.requestedBy.platform, d.id, linkWaitMs(d)), ...o.github })
    : undefined;
  const pipelineDeps: PipelineDeps = {
    services,
    people: createPeopleDirectory(o.config.people, o.config.groups),
    deploys, locks, queue, audit, kube,
    policy,
    approvalTtlMs: o.config.approvals.expireAfterMs,
    freezes,
    now: o.now ?? (() => new Date()),
    parseContext: (event) => parseContextFromConfig(o.config, { addressed: event.addressed, botUserId: event.botUserId }),
    drivers,
    release,
    observeStep: o.metrics ? (step, ms, result) => o.metrics?.observeStep(step, ms / 1000, result) : undefined,
    onStepFault: (err) => {
      const target = apiTargetOf(err.code);
      if (target) o.metrics?.recordApiError(target, err.code);
    },
    checkVersion: release?.checkVersion,
    onEvent: (e) => {
      cards.publish(e);
      if (e.kind === 'phase') onEnded(e.deploy);
      for (const l of listeners) l(e);
    },
    log,
  };
  const requests = createPipeline(pipelineDeps);
  const jobs = createPipeline({ ...pipelineDeps, ...stores.jobs });
  const pipeline: Pipeline = { ...requests, runJob: jobs.runJob, onJobExhausted: jobs.onJobExhausted };

  await resumeOpenDeploys(stores.jobs.deploys, stores.jobs.queue, o.config.approvals.expireAfterMs, (o.now ?? (() => new Date()))());

  let worker: DeployWorker | undefined;
  const startWorker = (): void => {
    if (o.worker === false || worker) return;
    worker = startDeployWorker({
      redisUrl: o.redisUrl, prefix,
      concurrency: o.worker?.concurrency ?? o.config.runtime.workerConcurrency, lockDurationMs: o.worker?.lockDurationMs,
      process: (kind, id, signal) => pipeline.runJob(kind, id, signal),
      onPicked: (_kind, waitedMs) => o.metrics?.observeQueueWait(waitedMs / 1000),
      onExhausted: (kind, id, err) => pipeline.onJobExhausted(kind, id, err),
      onError: (err) => log.warn({ err: { message: err.message } }, 'queue worker connection error; reconnecting'),
    });
  };
  startWorker();

  try {
    for (const a of o.adapters) {
      await a.start({
        cardRefs,
        onEvent: async (event, respond) => {
          const result = await pipeline.handle(event, respond);
          o.onHandled?.(event, result);
        },
      });
    }
  } catch (err) {
    // An adapter that cannot start (bad token …) must not leave the worker, queue and Redis connection running.
    await worker?.close(true);
    for (const a of o.adapters) await a.stop().catch(() => {});
    await stores.close();
    throw err;
  }

  return {
    pipeline, deploys, locks, audit, queue, kube, cards,
    onDeployEvent: (l) => listeners.push(l),
    async notices() { await Promise.all([...pendingNotices]); },
    startWorker,
    async stopWorker(force = false) {
      const w = worker;
      worker = undefined;
      await w?.close(force);
    },
    async stop() {
      const w = worker;
      worker = undefined;
      await w?.close();
      for (const a of o.adapters) await a.stop();
      await cards.flush();
      await Promise.all([...pendingNotices]);
      await stores.close();
    },
  };
}

/** Which outside system a coded error came from, for the API-errors metric. */
function apiTargetOf(code: string): ApiTarget | undefined {
  if (code.startsWith('kube_') || code.startsWith('rollout_')) return 'kubernetes';
  if (code.startsWith('github_') || code.startsWith('build_')) return 'github';
  if (code === 'registry_error') return 'registry';
  if (code === 'store_unavailable') return 'redis';
  if (code.startsWith('policy_')) return 'policy';
  return undefined;
}

/**
 * How long the final GitHub deployment status waits for the card's link. Slack and Discord cards have one (known
 * right after the post); a deploy that ends before its card is out — fast, or the chat rate-limiting — would
 * otherwise report its outcome without the link. Console cards have none to wait for.
 */
function linkWaitMs(d: Deploy): number {
  return d.requestedBy.platform !== 'console' && isEndPhase(d.phase) ? 5_000 : 0;
}

/** Counts every policy answer by result, for /metrics; a backend that cannot answer counts as `error`. */
function countingDecisions(backend: PolicyBackend, metrics: Metrics): PolicyBackend {
  return {
    id: backend.id,
    async decide(input, rule) {
      const pkg = rule.package;
      try {
        const d = await backend.decide(input, rule);
        metrics.recordPolicyDecision(d.allow ? 'allow' : d.deny.length ? 'deny' : 'needs_approval', pkg);
        return d;
      } catch (err) {
        metrics.recordPolicyDecision('error', pkg);
        throw err;
      }
    },
  };
}

/**
 * Makes sure every open deploy has its job. A process that died between writing a deploy and enqueueing it would
 * otherwise leave the request stranded; enqueueing is idempotent per deploy, so jobs that exist are untouched.
 */
export async function resumeOpenDeploys(deploys: DeployStore, queue: DeployQueue, approvalTtlMs: number, now: Date): Promise<number> {
  let resumed = 0;
  for (const d of await deploys.listOpen()) {
    if (d.phase === 'awaiting_approval') {
      const left = new Date(d.createdAt).getTime() + approvalTtlMs - now.getTime();
      await queue.enqueue('expire', d.id, Math.max(0, left));
    } else {
      await queue.enqueue('run', d.id);
    }
    resumed++;
  }
  return resumed;
}

/** True once no deploy can move without a person: everything ended or waits for approval. */
export async function isSettled(deploys: DeployStore): Promise<boolean> {
  const open = await deploys.listOpen();
  return open.every((d) => isEndPhase(d.phase) || d.phase === 'awaiting_approval');
}
