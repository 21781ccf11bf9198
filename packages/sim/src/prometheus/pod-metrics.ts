import { BUCKETS, latencyCdf, meanLatencySeconds } from './latency-model.ts';
import type { VersionShare } from './traffic-model.ts';
import type { ProfileScope, SimMetricsService, VersionProfile } from './version-profile.ts';

export interface PodMetricsOptions {
  /** Who receives a service's traffic now (the traffic model the simulated Prometheus reads too). */
  traffic(namespace: string, kubeService: string): Promise<VersionShare>;
  services: SimMetricsService[];
  /** A version's profile now (version-profile.ts `createProfileClock`). */
  profileOf(scope: ProfileScope): VersionProfile;
  requestsPerSecond: number;
  now?: () => number;
}

/** One pod's counters for one service, integrated since the pod was first seen. */
interface PodCounters {
  service: string;
  version: string;
  at: number;
  ok: number;
  errors: number;
  buckets: number[];
  count: number;
  sum: number;
}

/** Counters of a pod nobody has scraped for this long are forgotten (the pod is long gone). */
const FORGET_AFTER_MS = 15 * 60_000;

/** The text exposition format's content type, as Prometheus' own client libraries send it. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Label values are quoted with `\\`, `"` and newlines escaped. */
function labelsText(labels: Record<string, string>): string {
  const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

/**
 * What each simulated pod's `/metrics` answers, in Prometheus' text exposition format: `http_requests_total{service,
 * version,code}` and the `http_request_duration_seconds` histogram, the instrumentation a real service would carry.
 * The counters grow with the traffic the pod receives — its share of the service's requests (replica ratio or
 * HTTPRoute weight, from the same traffic model as the simulated Prometheus) — at its version's profile: 5xx ratio
 * and latency. They are integrated at each scrape over the time since the last one, so a real Prometheus' `rate()`
 * reads the same rates the simulated Prometheus computes, and the default checks reach the same verdicts.
 * `namespace` and `pod` are target labels, added by the scraper from discovery, as on a real cluster.
 * A pod without traffic (not ready, not behind the Service) keeps its counters still; a `silent` version exposes
 * nothing.
 */
export function createPodMetrics(o: PodMetricsOptions): { render(namespace: string, pod: string): Promise<string> } {
  const now = o.now ?? Date.now;
  const counters = new Map<string, PodCounters>();

  function forgetOld(t: number): void {
    for (const [k, c] of counters) if (t - c.at > FORGET_AFTER_MS) counters.delete(k);
  }

  async function render(namespace: string, pod: string): Promise<string> {
    const services = o.services.filter((s) => s.namespace === namespace);
    const shares = await Promise.all(services.map((s) => o.traffic(s.namespace, s.kubeService)));
    const t = now();
    forgetOld(t);
    const lines: string[] = [];
    const out: PodCounters[] = [];
    services.forEach((s, i) => {
      const key = `${namespace}/${pod}/${s.service}`;
      const share = shares[i]!;
      const mine = share.pods.get(pod);
      let c = counters.get(key);
      if (!c && !mine) return;
      const tag = mine?.tag ?? c?.version ?? '';
      const profile = o.profileOf({ namespace, service: s.service, tag, image: share.images.get(tag) ?? '', share: share.shares.get(tag) ?? 0 });
      if (!c) {
        c = { service: s.service, version: mine!.tag, at: t, ok: 0, errors: 0, buckets: BUCKETS.map(() => 0), count: 0, sum: 0 };
        counters.set(key, c);
      }
      const rate = mine ? o.requestsPerSecond * mine.share : 0;
      const served = rate * Math.max(0, t - c.at) / 1000;
      c.at = t;
      c.ok += served * (1 - profile.errorRate);
      c.errors += served * profile.errorRate;
      c.count += served;
      c.sum += served * meanLatencySeconds(profile.p99Ms);
      BUCKETS.forEach((le, b) => { c.buckets[b]! += served * latencyCdf(le, profile.p99Ms); });
      if (!profile.silent) out.push(c);
    });
    if (out.length === 0) return '';
    lines.push('# HELP http_requests_total Requests served, by status code.', '# TYPE http_requests_total counter');
    for (const c of out) {
      const base = { service: c.service, version: c.version };
      lines.push(`http_requests_total${labelsText({ ...base, code: '200' })} ${c.ok}`, `http_requests_total${labelsText({ ...base, code: '500' })} ${c.errors}`);
    }
    lines.push('# HELP http_request_duration_seconds Request latency.', '# TYPE http_request_duration_seconds histogram');
    for (const c of out) {
      const base = { service: c.service, version: c.version };
      BUCKETS.forEach((le, b) => lines.push(`http_request_duration_seconds_bucket${labelsText({ ...base, le: le === Infinity ? '+Inf' : String(le) })} ${c.buckets[b]}`));
      lines.push(`http_request_duration_seconds_sum${labelsText(base)} ${c.sum}`, `http_request_duration_seconds_count${labelsText(base)} ${c.count}`);
    }
    return `${lines.join('\n')}\n`;
  }

  return { render };
}
