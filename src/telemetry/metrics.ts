import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Phase, StrategyKind } from '../deploy/index.ts';

/** How a deploy ended: one of the deploy end phases. */
export type DeployOutcome = Extract<Phase, 'succeeded' | 'failed' | 'rolled_back' | 'aborted' | 'denied' | 'expired'>;
/** What policy answered; `error` is a backend that could not answer. */
export type PolicyResult = 'allow' | 'deny' | 'needs_approval' | 'error';
/** The outside systems Deckhand calls; one label value each keeps the series count fixed. */
export type ApiTarget = 'kubernetes' | 'redis' | 'github' | 'slack' | 'discord' | 'prometheus' | 'policy' | 'registry' | 'gitlab';
export type ChatPlatform = 'slack' | 'discord' | 'console';

/** Queue depth by BullMQ state, read when /metrics is scraped (queue.counts() has this shape). */
export type QueueCounts = () => Promise<Record<string, number>>;

/**
 * Deckhand's Prometheus metrics. Each process builds one (tests build their own, so nothing is global); the
 * stations receive it, or only the recording functions they need, from main.ts.
 */
export interface Metrics {
  readonly registry: Registry;
  /** A deploy reached an end phase; `durationSeconds` runs from the request to the end. */
  recordDeploy(d: { outcome: DeployOutcome; strategy: StrategyKind | 'rollback'; durationSeconds: number }): void;
  /** One resumable step ran (gate, start, apply, await, rollback, …), whatever its result. */
  observeStep(step: string, seconds: number, result?: 'ok' | 'error'): void;
  /** Time a job spent queued before a worker picked it up. */
  observeQueueWait(seconds: number): void;
  recordPolicyDecision(result: PolicyResult, pkg?: string): void;
  /** From a chat event's arrival to its acknowledgement (Slack wants it within 3 s). */
  observeChatAck(platform: ChatPlatform, seconds: number): void;
  /** A call to an outside system failed; `code` is a short class such as `500`, `429`, `timeout`. */
  recordApiError(target: ApiTarget, code: string): void;
  /** Queue depth is read on scrape, not pushed, so it is never stale. Replaces an earlier source. */
  trackQueueDepth(counts: QueueCounts): void;
  /** The Prometheus text exposition and its content type, for `/metrics`. */
  render(): Promise<{ contentType: string; body: string }>;
}

// Deploys take minutes; steps seconds to minutes; acks must stay under Slack's 3 s.
const DEPLOY_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const STEP_BUCKETS = [0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const ACK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** `prefix` applies to Deckhand's own metrics (default `deckhand_`); `defaultMetrics: false` leaves out process metrics. */
export function createMetrics(options: { defaultMetrics?: boolean; prefix?: string } = {}): Metrics {
  const registry = new Registry();
  const p = options.prefix ?? 'deckhand_';
  // Node's process metrics keep their standard names (process_*, nodejs_*), so stock dashboards and alerts work.
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const deploys = new Counter({ name: `${p}deploys_total`, help: 'Deploys that reached an end phase, by outcome and strategy.', labelNames: ['outcome', 'strategy'] as const, registers });
  const deployDuration = new Histogram({ name: `${p}deploy_duration_seconds`, help: 'From request to end phase.', labelNames: ['outcome', 'strategy'] as const, buckets: DEPLOY_BUCKETS, registers });
  const stepDuration = new Histogram({ name: `${p}step_duration_seconds`, help: 'Duration of one deploy step.', labelNames: ['step', 'result'] as const, buckets: STEP_BUCKETS, registers });
  const queueWait = new Histogram({ name: `${p}queue_wait_seconds`, help: 'Time a job waited in the queue before a worker took it.', buckets: WAIT_BUCKETS, registers });
  const policyDecisions = new Counter({ name: `${p}policy_decisions_total`, help: 'Policy decisions by result.', labelNames: ['result', 'package'] as const, registers });
  const chatAck = new Histogram({ name: `${p}chat_ack_seconds`, help: 'From a chat event arriving to its acknowledgement.', labelNames: ['platform'] as const, buckets: ACK_BUCKETS, registers });

  let queueCounts: QueueCounts | undefined;
  new Gauge({
    name: `${p}queue_depth`,
    help: 'Jobs in the deploy queue, by state (read on scrape).',
    labelNames: ['state'] as const,
    registers,
    // A failing read must not fail the whole scrape: the gauge keeps its last values and the error is counted
    // (visible from the next scrape on: prom-client collects all metrics of one scrape concurrently).
    async collect() {
      if (!queueCounts) return;
      try {
        const counts = await queueCounts();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      } catch {
        apiErrors.inc({ target: 'redis', code: 'queue_counts' });
      }
    },
  });

  const apiErrors = new Counter({ name: `${p}api_errors_total`, help: 'Failed calls to outside systems, by target and code.', labelNames: ['target', 'code'] as const, registers });

  return {
    registry,
    recordDeploy({ outcome, strategy, durationSeconds }) {
      deploys.inc({ outcome, strategy });
      deployDuration.observe({ outcome, strategy }, durationSeconds);
    },
    observeStep: (step, seconds, result = 'ok') => stepDuration.observe({ step, result }, seconds),
    observeQueueWait: (seconds) => queueWait.observe(seconds),
    recordPolicyDecision: (result, pkg = 'deploy') => policyDecisions.inc({ result, package: pkg }),
    observeChatAck: (platform, seconds) => chatAck.observe({ platform }, seconds),
    recordApiError: (target, code) => apiErrors.inc({ target, code }),
    trackQueueDepth(counts) {
      queueCounts = counts;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
