import type { Deploy, DeployEvent, DeployLink } from '../deploy/index.ts';
import type { Logger } from '../telemetry/index.ts';
import { DeliveryQueue, type DeliveryQueueOptions } from './delivery-queue.ts';
import { createGrafanaAnnotations, type GrafanaOptions } from './grafana-annotations.ts';
import { markerOf, type Marker } from './marker-of.ts';
import { createPagerDutyChangeEvents } from './pagerduty-change-events.ts';
import type { SendResult } from './send-result.ts';

/** Deploys in flight remembered per process (for `key` and the region's start): far more than run at once. */
const SEEN_MAX = 5_000;

export interface MarkersOptions {
  grafana?: GrafanaOptions;
  pagerduty?: { routingKey: string; eventsUrl: string };
  /** The deploy's links from its service's templates (attached to PagerDuty change events). */
  linksOf?: (d: Deploy) => DeployLink[];
  log: Pick<Logger, 'warn'>;
  now?: () => number;
  queue?: Partial<Omit<DeliveryQueueOptions, 'onFailure' | 'onDrop'>>;
}

export interface Markers {
  /** Told every deploy event of this process; returns at once (deliveries are queued). */
  onEvent(e: DeployEvent): void;
  /** Resolves once every marker queued so far was delivered or given up. */
  idle(): Promise<void>;
  close(): void;
}

/**
 * Deploy markers: each start, canary step, success, abort and rollback becomes a Grafana annotation and a PagerDuty
 * change event, from the process whose worker ran the step. At least once: a step re-run after a crash may mark
 * the same moment twice (in one process, `key` keeps it to once).
 */
export function createMarkers(o: MarkersOptions): Markers {
  const now = o.now ?? Date.now;
  const sinks: [string, (m: Marker) => Promise<SendResult>][] = [];
  if (o.grafana) sinks.push(['grafana', createGrafanaAnnotations(o.grafana)]);
  if (o.pagerduty) sinks.push(['pagerduty', createPagerDutyChangeEvents({ ...o.pagerduty, linksOf: o.linksOf && ((m) => o.linksOf!(m.deploy)) })]);
  const queue = new DeliveryQueue({
    ...o.queue,
    // The reason holds the remote's answer, never our request: no token, no routing key (and the log masks both).
    onFailure: (name, result, attempts) => o.log.warn({ marker: name, status: result.status, attempts, reason: result.reason }, 'deploy marker not delivered'),
    onDrop: (name) => o.log.warn({ marker: name }, 'deploy marker dropped: too many undelivered markers'),
  });
  /** Per deploy in flight: the moments already marked, and when its rollout started. */
  const seen = new Map<string, { keys: Set<string>; startedAt?: number }>();
  return {
    onEvent(e) {
      const m = markerOf(e, now());
      if (!m) return;
      const id = m.deploy.id;
      const s = seen.get(id) ?? { keys: new Set<string>() };
      if (s.keys.has(m.key)) return;
      s.keys.add(m.key);
      if (m.kind === 'start' || (m.kind === 'rollback' && m.key === 'start')) s.startedAt = m.at;
      // The region of an ended deploy runs from its start as this process saw it, else from its request.
      const marker = m.from !== undefined && s.startedAt !== undefined ? { ...m, from: s.startedAt } : m;
      if (m.key === 'end') seen.delete(id);
      else seen.set(id, s);
      // A deploy this process saw start but another ended stays here: forget the oldest past a bound.
      if (seen.size > SEEN_MAX) seen.delete(seen.keys().next().value!);
      for (const [name, send] of sinks) queue.push(`${name} ${m.kind} #${id}`, () => send(marker));
    },
    idle: () => queue.idle(),
    close: () => queue.close(),
  };
}
