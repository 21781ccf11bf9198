/**
 * The composition root: where Deckhand is built. `deckhand start` (in a pod, on a laptop, as the sandbox) and the
 * tests all build the app here; every SDK client and store of the app is constructed here or in its parts in
 * wiring/ (only the one-shot commands `audit export` and `discord register` open a connection of their own). In order:
 *
 *   1. clients from the config, each once: Kubernetes, GitHub, GitLab and the image registries, the policy backend, the
 *      Slack and Discord adapters and release notices — then Redis, the stores and the queue (wiring/open-stores.ts);
 *   2. the stations, wired: rollout drivers (wiring/progressive-drivers.ts), the release stage
 *      (wiring/release-stage.ts), cards, metrics and release notices on every deploy event, and the pipeline
 *      (pipeline.ts), which carries a chat event through parse → policy → approval → queue → rollout;
 *   3. started: open deploys get their jobs back, the worker runs, the chat adapters listen, and with `http` the one
 *      HTTP server takes chat and webhook ingress, probes, /metrics and /api.
 *
 * A caller may hand in a part instead of having it built from the config — the sandbox's simulated cluster, GitHub
 * and spawned Redis, its console chat; a test's policy data or its own chat adapter. Everything else is the same
 * app in production, in the sandbox and in the tests.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cardLinkWaitMs, createImageChecker, createRegistryClient, releaseNoticeExtras } from './build/index.ts';
import type { DiscordAdapter, DiscordAdapterOptions, ReleaseNotifier } from './chat/discord/index.ts';
import type { SlackAdapter, SlackAdapterOptions } from './chat/slack/index.ts';
import type { Card, ChatAdapter, ChatEvent } from './chat/types.ts';
import { secretsOf, type Config } from './config/index.ts';
import type { Deploy, DeployEvent, WorkloadTarget } from './deploy/index.ts';
import { createPeopleDirectory, servicesFromConfig } from './desk/index.ts';
import { DeckhandError } from './errors.ts';
import { PACKAGE_ROOT } from './package-root.ts';
import { createConfigRepository, createGitHubClient } from './github/index.ts';
import { createHttpServer, type HttpServer } from './http/index.ts';
import { createArgoCdClient, createArgoRolloutsClient, createKubeClient, type KubeClient, type KubeSource } from './kube/index.ts';
import { createMarkers, deployLinks } from './markers/index.ts';
import { CardPublisher } from './notify/index.ts';
import { parseContextFromConfig } from './parse/index.ts';
import { createPipeline, REGATE_STEP, type HandleResult, type Pipeline, type PipelineDeps } from './pipeline.ts';
import { countDecisions, createOpaHttpBackend, createReloadingBackend, describePolicyStatus, type PolicyBackend, type ReloadingBackend } from './policy/index.ts';
import { resumeOpenDeploys, startDeployWorker, type DeployQueue, type DeployWorker } from './queue/index.ts';
import { createRollbackDriver, createRollingDriver, startRolloutWaker, type RolloutDriver, type RolloutWaker } from './rollout/index.ts';
import type { AuditLog } from './audit/index.ts';
import type { DeployStore, LockStore } from './store/index.ts';
import { apiTargetOf, createLogger, createMetrics, deployOutcomeOf, type Logger, type Metrics } from './telemetry/index.ts';
import { openStores } from './wiring/open-stores.ts';
import { deployTracerOf, discordAdapterOf, releaseNotifierOf, slackAdapterOf } from './wiring/optional-clients.ts';
import { createProgressiveDeps, createProgressiveDrivers, type ProgressiveOptions } from './wiring/progressive-drivers.ts';
import { lazyGitLabClient } from './wiring/gitlab-client.ts';
import { createReleaseStage } from './wiring/release-stage.ts';
import { createImageInspector } from './wiring/image-inspector.ts';
import { waitAtMost } from './wiring/wait-at-most.ts';
import { createWorkflowRunIngress } from './wiring/workflow-run-ingress.ts';
import { createEngineDrivers } from './wiring/engine-drivers.ts';
import { createAlertInjector, createAlertmanagerIngress, createSentryIngress, type InjectedAlert, type SignalOutcome } from './wiring/signal-ingress.ts';

/** The shipped policies, used by the embedded engine unless `policyDir` (a folder or an OPA bundle .tar.gz) or POLICY_URL says otherwise. */
const SHIPPED_POLICIES = join(PACKAGE_ROOT, 'policies');

export interface DeckhandOptions {
  config: Config;
  // ---- Parts a caller may hand in instead of the config's ----
  /** Redis (default: REDIS_URL). */
  redisUrl?: string;
  /** The cluster (default: KUBECONFIG, else the default chain — in a pod, its service account). */
  kube?: KubeSource;
  /** The policy backend (default: OPA at POLICY_URL, else the embedded engine on `policyDir`, reloaded when it changes). */
  policy?: PolicyBackend;
  /** A folder of .rego files and data.json, or an OPA bundle (`*.tar.gz`); default: the shipped policies/. */
  policyDir?: string;
  /** Chat adapters besides the Slack and Discord ones the config sets up: the sandbox's console, a test's own. */
  adapters?: ChatAdapter[];
  /** What tests tune on the configured adapters: their own port, faster card edits, a log to read. */
  chat?: { slack?: Partial<SlackAdapterOptions>; discord?: Partial<DiscordAdapterOptions> };
  /** Release notices for every deploy that ends, sent from the process that ended it (default: `discord.releases`). */
  notifier?: Pick<ReleaseNotifier, 'notify'>;
  /**
   * Build, release notes and GitHub deployments before each rollout: on when GITHUB_TOKEN or GITHUB_API_URL is set,
   * or when this is given (the sandbox's simulated GitHub, which is also every image registry).
   */
  github?: { apiUrl?: string; registryEndpoint?: (host: string) => string };
  /**
   * Tags, pipelines, merge requests and deployments of services on GitLab (`repository: gitlab:group/name`): on when
   * GITLAB_URL or GITLAB_TOKEN is set, or when this is given (the sandbox's simulated GitLab).
   */
  gitlab?: { url: string };
  progressive?: ProgressiveOptions;
  /** Deckhand's own traces (with OTEL_EXPORTER_OTLP_ENDPOINT): how long finished spans wait to be sent together. */
  tracing?: { batchDelayMs?: number };
  // ---- How this process runs ----
  /** Serve chat and webhook ingress, /healthz, /readyz, /metrics and /api on this port (0 picks a free one). */
  http?: { port: number; host?: string };
  /** Redis key prefix; separate Deckhands (and tests) sharing a Redis use different ones. */
  prefix?: string;
  /** Run a worker in this process (default), or only take chat traffic. */
  worker?: false | { concurrency?: number; lockDurationMs?: number };
  log?: Logger;
  now?: () => Date;
  /** Fallback watchdog past a Deployment's own progress deadline (tests shorten it). */
  deadlineGraceMs?: number;
  /** Where deploy outcomes, policy decisions, steps and API errors are counted (default: a new set, with `http`). */
  metrics?: Metrics;
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
  /** The adapters the config set up (tests reach their endpoints and flush their cards). */
  readonly slack: SlackAdapter | undefined;
  readonly discord: DiscordAdapter | undefined;
  /** The HTTP server, when started with `http`. */
  readonly http: { server: HttpServer; url: string; port: number } | undefined;
  /** Every deploy event in this process, for the sandbox and tests. */
  onDeployEvent(listener: (e: DeployEvent) => void): void;
  /**
   * A firing alert about a service (and environment), judged and acted on as one Alertmanager delivered: the
   * sandbox console's `.alert` when no Alertmanager runs.
   */
  injectAlert(alert: InjectedAlert): Promise<SignalOutcome>;
  /** Resolves when every release notice sent so far has been delivered (or has failed). */
  notices(): Promise<void>;
  /** Resolves when every deploy marker queued so far was delivered or given up, and finished spans were exported. */
  markers(): Promise<void>;
  /** Starts or restarts this process's worker (a crash test kills it with `stopWorker(true)`). */
  startWorker(): void;
  stopWorker(force?: boolean): Promise<void>;
  /**
   * Stops taking work and closes every connection, within about `graceMs` (default 10 s): running steps stop at
   * their next checkpoint (the step log lets the next process resume them); past the grace, or with Redis gone,
   * connections are dropped instead of closed. Calling it again returns the same promise.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export async function startDeckhand(o: DeckhandOptions): Promise<Deckhand> {
  const { config } = o;
  const rt = config.runtime;
  const prefix = o.prefix ?? 'deckhand';
  const now = o.now ?? (() => new Date());
  const log = o.log ?? createLogger({ level: rt.logLevel, secrets: secretsOf(config) });
  const metrics = o.metrics ?? (o.http ? createMetrics() : undefined);

  // ---- 1. Clients, each constructed once ---------------------------------------------------------------------
  const redisUrl = o.redisUrl ?? rt.redisUrl;
  if (!redisUrl) throw new DeckhandError('config_invalid', 'Deckhand keeps its queue and records in Redis: set REDIS_URL (redis://host:6379).');
  const givenSource = o.kube ?? (rt.kubeconfig ? { kubeconfigPath: rt.kubeconfig } : {});
  // Every client of the cluster (Deployments, and Argo CD, Argo Rollouts, Istio resources) counts its retries.
  const kubeSource: KubeSource = { ...givenSource, onRetry: (code) => { givenSource.onRetry?.(code); metrics?.recordApiError('kubernetes', code); } };
  const kube = createKubeClient(kubeSource);
  // The embedded engine reloads its folder or OPA bundle when it changes (a ConfigMap update in the cluster), keeping
  // the last good version when a new one does not compile; an OPA server reloads its own.
  let reloading: ReloadingBackend | undefined;
  const basePolicy = o.policy ?? (rt.policyUrl ? createOpaHttpBackend(rt.policyUrl) : (reloading = await createReloadingBackend(o.policyDir ?? rt.policyPath ?? SHIPPED_POLICIES, { log })));
  const policy = metrics ? countDecisions(basePolicy, metrics) : basePolicy;
  const withGitHub = o.github !== undefined || rt.github.token !== undefined || rt.github.apiUrl !== undefined;
  const github = withGitHub ? createGitHubClient({ token: rt.github.token, baseUrl: o.github?.apiUrl ?? rt.github.apiUrl, log }) : undefined;
  const registry = createRegistryClient({ credentials: rt.registry, endpointFor: o.github?.registryEndpoint });
  const withGitLab = o.gitlab !== undefined || rt.gitlab?.url !== undefined || rt.gitlab?.token !== undefined;
  const gitlab = withGitLab ? lazyGitLabClient(o.gitlab?.url ?? rt.gitlab?.url, rt.gitlab?.token) : undefined;
  const images = (github ?? gitlab) && createImageChecker({ client: registry });
  // Services with a `signature` policy: their image's digest and signature go into the policy input.
  const inspectImage = createImageInspector(config, registry);
  const slack = await slackAdapterOf(config, log, o.chat?.slack);
  // A refused token fails here, with one clear line, before any connection is opened that would need closing.
  await slack?.preflight();
  const discord = await discordAdapterOf(config, log, o.chat?.discord);
  const ownNotifier = o.notifier ? undefined : await releaseNotifierOf(config, log);
  const notifier = o.notifier ?? ownNotifier;
  const adapters: ChatAdapter[] = [slack, discord, ...(o.adapters ?? [])].filter((a): a is ChatAdapter => a !== undefined);
  // Chat handlers and the API get fail-fast stores (an outage is answered at once, nothing runs later); the
  // worker's jobs get patient ones (a Redis restart pauses a step, it does not fail it).
  const stores = await openStores({ redisUrl, prefix, auditMaxEntries: config.audit.maxEntries, log }).catch(async (err: unknown) => {
    await ownNotifier?.close().catch(() => {});
    throw err;
  });
  const { deploys, locks, audit, queue, freezes } = stores.request;

  // ---- 2. Stations, wired ------------------------------------------------------------------------------------
  const services = servicesFromConfig(config);
  const targetOf = (d: Deploy): WorkloadTarget => {
    const t = services.get(d.service)?.environments[d.env];
    if (!t) throw new DeckhandError('deploy_invalid_state', `${d.service} has no ${d.env} environment in this Deckhand's config.`);
    return t;
  };
  const rollingDeps = { kube, targetOf, deadlineGraceMs: o.deadlineGraceMs };
  // The workload of an Argo Rollouts environment is its Rollout: its driver, the desk and release notes read it there.
  const rollouts = createArgoRolloutsClient(kubeSource);
  const watch = createProgressiveDeps({ config, kube, kubeSource, targetOf, ...o.progressive });
  const drivers = new Map<string, RolloutDriver>([
    ['rolling', createRollingDriver(rollingDeps)],
    ['rollback', createRollbackDriver(rollingDeps)],
    ...createProgressiveDrivers(watch, { deadlineGraceMs: o.deadlineGraceMs }),
    // GitOps commits to the config repository (GITHUB_TOKEN / GITHUB_API_URL) and follows Argo CD; Argo Rollouts.
    ...createEngineDrivers({
      config, targetOf, rollouts, pathLocks: stores.pathLocks, pollMs: o.progressive?.pollMs, watch,
      repository: createConfigRepository({ token: rt.github.token, baseUrl: o.github?.apiUrl ?? rt.github.apiUrl }), argocd: createArgoCdClient(kubeSource),
      isDeployOver: async (id) => ((await stores.jobs.deploys.get(id))?.step ?? 'done') === 'done',
    }),
  ]);
  const release = (github ?? gitlab) && images
    ? createReleaseStage({
      config, github, gitlab, images, kube, rollouts, targetOf, log, then: REGATE_STEP,
      cardUrl: (d) => stores.cardRefs.link(d.requestedBy.platform, d.id, cardLinkWaitMs(d)),
    })
    : undefined;
  const byPlatform = new Map(adapters.map((a) => [a.platform as string, a]));
  // The service's link templates, filled with the deploy's time range, on its card and its PagerDuty change events.
  const linksOf = (d: Deploy) => deployLinks(config.services[d.service]?.links, d, now().getTime());
  const cards = new CardPublisher(async (platform: string, card: Card) => {
    await byPlatform.get(platform)?.upsertCard(card);
  }, { linksOf });
  // Deploy markers (Grafana annotations, PagerDuty change events) and Deckhand's own traces, when configured.
  const markers = rt.grafana || rt.pagerduty ? createMarkers({ grafana: rt.grafana, pagerduty: rt.pagerduty, linksOf, log }) : undefined;
  const tracer = rt.otel ? await deployTracerOf(rt.otel, log, o.tracing) : undefined;
  cards.onError = (err) => log.error({ err }, 'card update failed');
  const listeners: ((e: DeployEvent) => void)[] = [];
  const pendingNotices = new Set<Promise<unknown>>();
  /** The deploy has ended in this process: count it, and tell the teams who care. */
  const onEnded = (d: Deploy): void => {
    const outcome = deployOutcomeOf(d);
    if (!outcome) return;
    metrics?.recordDeploy(outcome);
    tracer?.deployEnded(d);
    if (!notifier) return;
    const sent = notifier.notify(d, releaseNoticeExtras(d)).catch((err: unknown) => log.error({ err, deployId: d.id }, 'release notice failed'));
    pendingNotices.add(sent);
    void sent.finally(() => pendingNotices.delete(sent));
  };
  const pipelineDeps: PipelineDeps = {
    services,
    people: createPeopleDirectory(config.people, config.groups),
    deploys, locks, queue, audit, kube, rollouts, policy, freezes, now, drivers, release, log,
    approvalTtlMs: config.approvals.expireAfterMs,
    parseContext: (event) => parseContextFromConfig(config, { addressed: event.addressed, botUserId: event.botUserId }),
    observeStep: metrics || tracer
      ? (step, ms, result, d) => { metrics?.observeStep(step, ms / 1000, result); tracer?.stepRan(step, ms, result, d); }
      : undefined,
    onStepFault: (err) => {
      const target = apiTargetOf(err.code);
      if (target) metrics?.recordApiError(target, err.code);
    },
    checkVersion: release?.checkVersion,
    inspectImage,
    onEvent: (e) => {
      cards.publish(e);
      markers?.onEvent(e);
      if (e.kind === 'phase') onEnded(e.deploy);
      for (const l of listeners) l(e);
    },
  };
  // Requests run over the fail-fast stores, jobs over the patient ones; otherwise the same pipeline.
  const requests = createPipeline(pipelineDeps);
  const jobs = createPipeline({ ...pipelineDeps, ...stores.jobs });
  const pipeline: Pipeline = { handle: requests.handle, runJob: jobs.runJob, onJobExhausted: jobs.onJobExhausted, abortOnSignal: requests.abortOnSignal };
  // Monitoring signals act through the pipeline's gate: the webhooks' and the sandbox console's alike.
  const signalDeps = { config, locks, deploys, abort: requests.abortOnSignal, log };
  const alerts = createAlertInjector(signalDeps);

  // ---- 3. Started --------------------------------------------------------------------------------------------
  let worker: DeployWorker | undefined;
  // Where the worker runs, the Deployment watch wakes the steps waiting on pods (no step polls the cluster).
  let waker: RolloutWaker | undefined;
  const instance = randomUUID();
  // One watch per namespace Deckhand deploys to; the store's waiter index says which deploy a change concerns.
  const watchedNamespaces = [...new Set([...services.values()].flatMap((s) => Object.values(s.environments).map((t) => t.namespace)))];
  const startWorker = (): void => {
    if (o.worker === false || worker) return;
    waker ??= startRolloutWaker({
      kube, namespaces: watchedNamespaces, waitersOf: (deployments) => stores.jobs.deploys.waitersOf(deployments),
      wake: (id) => stores.jobs.queue.wake(id),
      lease: { hold: () => stores.leases.hold('deployment-watch', instance, 15_000), release: () => stores.leases.release('deployment-watch', instance), renewMs: 5_000 },
      onError: (err) => log.warn({ err }, 'deployment watch failed; waits fall back to their own delay'),
    });
    worker = startDeployWorker({
      redisUrl, prefix, marks: stores.wakeMarks,
      concurrency: o.worker?.concurrency ?? rt.workerConcurrency, lockDurationMs: o.worker?.lockDurationMs,
      process: (kind, id, signal) => pipeline.runJob(kind, id, signal),
      onPicked: (_kind, waitedMs) => metrics?.observeQueueWait(waitedMs / 1000),
      onExhausted: (kind, id, err) => pipeline.onJobExhausted(kind, id, err),
      onError: (err) => log.warn({ err: { message: err.message } }, 'queue worker connection error; reconnecting'),
    });
  };
  let http: Deckhand['http'];
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      const deadline = Date.now() + graceMs;
      const left = (): number => Math.max(0, deadline - Date.now());
      // With Redis gone there is nothing to hand over cleanly: waiting for it would only hold the process up.
      const force = !stores.connected();
      await http?.server.close({ timeoutMs: left() });
      const w = worker;
      worker = undefined;
      const wk = waker;
      waker = undefined;
      await waitAtMost(left(), Promise.all([w?.close(force), wk?.stop()]), () => log.warn({}, 'running steps did not stop in time; the next start resumes them'));
      for (const a of adapters) await waitAtMost(left(), a.stop(), () => {});
      await waitAtMost(left(), Promise.all([cards.flush(), ...pendingNotices]), () => log.warn({}, 'card updates or release notices still unsent at stop'));
      await waitAtMost(left(), Promise.all([markers?.idle(), tracer?.shutdown()]), () => log.warn({}, 'deploy markers or trace spans still unsent at stop'));
      markers?.close();
      reloading?.close();
      await ownNotifier?.close().catch(() => {});
      await stores.close({ force: force || left() === 0 });
    })();
    return stopping;
  };

  try {
    await resumeOpenDeploys(stores.jobs.deploys, stores.jobs.queue, config.approvals.expireAfterMs, now());
    startWorker();
    for (const a of adapters) {
      await a.start({
        cardRefs: stores.cardRefs,
        onEvent: async (event, respond) => {
          const result = await pipeline.handle(event, respond);
          o.onHandled?.(event, result);
        },
      });
    }
    if (metrics) metrics.trackQueueDepth(() => queue.counts());
    if (o.http) {
      const server = createHttpServer({
        log, metrics: metrics?.render,
        readiness: {
          redis: async () => { await deploys.list({ limit: 1 }); }, kubernetes: () => kube.ping(),
          // Still ready while stale: every pod reads the same refused update, so taking pods out would stop all decisions.
          ...(reloading && { policy: async () => { const s = reloading?.status(); return s?.stale ? describePolicyStatus(s) : undefined; } }),
        },
        api: rt.apiToken ? { token: rt.apiToken, deploys, audit } : undefined,
      });
      // Chat ack latency: from the request's arrival to the end of Deckhand's answer (Slack wants it within 3 s).
      const timed = <R extends IncomingMessage>(platform: 'slack' | 'discord', handler: (req: R, res: ServerResponse) => void | Promise<void>) => (req: R, res: ServerResponse): void | Promise<void> => {
        const started = performance.now();
        res.once('finish', () => metrics?.observeChatAck(platform, (performance.now() - started) / 1000));
        return handler(req, res);
      };
      if (slack?.requestListener) server.mount('/slack/events', timed('slack', slack.requestListener));
      if (discord) server.mount('/discord/interactions', timed('discord', discord.handler));
      if (rt.github.webhookSecret) {
        server.mount('/github/webhook', createWorkflowRunIngress({ secret: rt.github.webhookSecret, config, deploys, locks, queue }), { bodyLimitBytes: 25 * 1024 * 1024 });
      }
      if (rt.gitlab?.webhookToken) {
        const { createGitLabPipelineIngress } = await import('./wiring/gitlab-pipeline-ingress.ts');
        server.mount('/gitlab/webhook', createGitLabPipelineIngress({ token: rt.gitlab.webhookToken, config, deploys, locks, queue }), { bodyLimitBytes: 25 * 1024 * 1024 });
      }
      const signals = rt.signals;
      if (signals) {
        if (signals.alertmanagerToken) server.mount('/alertmanager/webhook', createAlertmanagerIngress({ ...signalDeps, token: signals.alertmanagerToken }));
        if (signals.sentryClientSecret) server.mount('/sentry/webhook', createSentryIngress({ ...signalDeps, clientSecret: signals.sentryClientSecret }));
      }
      http = { server, ...(await server.listen(o.http.port, o.http.host)) };
    }
  } catch (err) {
    // An adapter that cannot start (bad token, port taken …) must not leave the worker and connections running.
    await stop(2000);
    throw err;
  }

  return {
    pipeline, deploys, locks, audit, queue, kube, cards, slack, discord, http,
    onDeployEvent: (l) => listeners.push(l),
    async notices() { await Promise.all([...pendingNotices]); },
    injectAlert: alerts.injectAlert,
    async markers() { await Promise.all([markers?.idle(), tracer?.flush()]); },
    startWorker,
    async stopWorker(force = false) {
      const w = worker;
      worker = undefined;
      const wk = waker;
      waker = undefined;
      await Promise.all([w?.close(force), wk?.stop()]);
    },
    stop: (options) => stop(options?.graceMs),
  };
}
