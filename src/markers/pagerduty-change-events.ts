import type { DeployLink } from '../deploy/index.ts';
import { strategyOf, versionOf, type Marker } from './marker-of.ts';
import { failedRequest, resultOf, type SendResult } from './send-result.ts';

export interface PagerDutyOptions {
  /** The Events API v2 integration key of the service's change-events integration (a secret: never logged). */
  routingKey: string;
  /** https://events.pagerduty.com, or a test's server. */
  eventsUrl: string;
  /** The deploy's links (dashboards, logs …), attached to the change event. */
  linksOf?: (m: Marker) => DeployLink[];
  timeoutMs?: number;
}

/** PagerDuty's limit on `payload.summary`. */
const SUMMARY_MAX = 1024;

/**
 * A change event (`POST /v2/change/enqueue`, Events API v2): PagerDuty shows it on the service's change timeline,
 * next to the incidents it may explain. `source` is Deckhand; the details say which deploy and what happened.
 */
export function changeEventOf(m: Marker, routingKey: string, links: DeployLink[] = []): object {
  const d = m.deploy;
  return {
    routing_key: routingKey,
    payload: {
      summary: m.text.length > SUMMARY_MAX ? `${m.text.slice(0, SUMMARY_MAX - 1)}…` : m.text,
      timestamp: new Date(m.at).toISOString(),
      source: 'deckhand',
      custom_details: {
        event: m.kind, service: d.service, env: d.env, version: versionOf(d), deploy_id: d.id, strategy: strategyOf(d),
        phase: d.phase, requested_by: d.requestedBy.name,
        ...(m.from !== undefined && { started_at: new Date(m.from).toISOString() }),
      },
    },
    ...(links.length > 0 && { links: links.map((l) => ({ href: l.url, text: l.label })) }),
  };
}

/** Sends deploy markers as PagerDuty change events. */
export function createPagerDutyChangeEvents(o: PagerDutyOptions): (m: Marker) => Promise<SendResult> {
  const endpoint = new URL('v2/change/enqueue', o.eventsUrl.endsWith('/') ? o.eventsUrl : `${o.eventsUrl}/`);
  return async (m) => {
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(changeEventOf(m, o.routingKey, o.linksOf?.(m))),
        signal: AbortSignal.timeout(o.timeoutMs ?? 5_000),
      });
      return await resultOf(res, 'PagerDuty');
    } catch (err) {
      return failedRequest(err, 'PagerDuty');
    }
  };
}
