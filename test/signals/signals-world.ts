import { createHmac, randomUUID } from 'node:crypto';
import { startSimPrometheus, type SimPrometheus } from '@deckhand/sim/prometheus';
import { simMetricsFromConfig } from '../../src/sandbox/sim-metrics-from-config.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';

export const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';
export const SENTRY_SECRET = 'sentry-client-secret-for-tests';

/**
 * The progressive catalog of test/rollout with soak windows: `api` canaries by replica ratio, `web` by HTTPRoute
 * weights, `shop` rolls; all watched for `soak` after promotion. v1.5.0 / v2.1.0 / v3.1.0 are healthy (and can be
 * made to fail with `prometheus.setProfile`).
 */
export function signalsConfig(soak?: string): string {
  const soakLine = soak ? `soak: ${soak}` : '';
  return `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 4, progressDeadlineSeconds: 3 }
    canary: { steps: [25, 50, 100], hold: 300ms, traffic: { kind: replicas } }
    analysis: { interval: 150ms, failureLimit: 1 }
    bluegreen: { keepOldFor: 1s }
    ${soakLine}
    signals: { sentryProject: [api-backend, '42'] }
  web:
    team: payments
    repository: acme/web
    image: registry.local/acme/web
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: web, container: web, replicas: 4, progressDeadlineSeconds: 3 }
    canary: { steps: [25, 100], hold: 300ms, traffic: { kind: httproute, route: web } }
    analysis: { interval: 150ms }
    ${soakLine}
  shop:
    team: payments
    repository: acme/shop
    image: registry.local/acme/shop
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: shop, container: shop, replicas: 3, progressDeadlineSeconds: 3 }
    analysis: { interval: 150ms }
    ${soakLine}
    signals: { alertLabels: [app], alertValue: shop-svc, envLabels: [stage] }
groups:
  payments: [alice]
  approvers: [bob]
sandbox:
  readyDelayMs: 50
  requestsPerSecond: 100
  services:
    api: { running: v1.4.0, versions: [v1.4.0, v1.5.0, v1.5.2], profiles: { v1.5.2: { errorRate: 0.08 } } }
    web: { running: v2.0.0, versions: [v2.0.0, v2.1.0] }
    shop: { running: v3.0.0, versions: [v3.0.0, v3.1.0] }
`;
}

export interface SignalsWorld extends World {
  prometheus: SimPrometheus;
  url: string;
  /** POSTs an Alertmanager v4 notification (with the right token unless `token` says otherwise). */
  alert(alerts: AlertInput[], o?: { token?: string | null; status?: 'firing' | 'resolved' }): Promise<{ status: number; body: { aborted?: string[]; ignored?: { alert: string; why: string }[] } }>;
  /**
   * POSTs a Sentry delivery as Sentry sends it: signed with the client secret, stamped now, a new Request-ID each
   * time — unless `signature`, `timestamp` (Unix seconds; null leaves it out) or `requestId` say otherwise. A string
   * payload is sent as those exact bytes (a captured body, replayed).
   */
  sentry(resource: string, payload: object | string, o?: { signature?: string | null; timestamp?: number | null; requestId?: string }): Promise<{ status: number; body: SentryAnswer }>;
}

export interface SentryAnswer {
  aborted?: string[];
  ignored?: { alert: string; why: string }[];
  duplicate?: boolean;
  error?: { code: string; message: string };
}

export interface AlertInput {
  labels: Record<string, string>;
  status?: 'firing' | 'resolved';
  summary?: string;
  generatorURL?: string;
  startsAt?: string;
}

/** Alertmanager's webhook body (payload version 4), as its webhook_config receiver sends it. */
export function alertmanagerBody(alerts: AlertInput[], status: 'firing' | 'resolved' = 'firing'): string {
  const items = alerts.map((a, i) => ({
    status: a.status ?? status,
    labels: a.labels,
    annotations: a.summary ? { summary: a.summary } : {},
    startsAt: a.startsAt ?? new Date().toISOString(),
    endsAt: a.status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: a.generatorURL ?? `http://prometheus.local:9090/graph?g0.expr=${encodeURIComponent('error_ratio > 0.05')}&g0.tab=1`,
    fingerprint: `f${i}0a1b2c3d4e5f60`,
  }));
  return JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'deckhand',
    groupLabels: { alertname: alerts[0]?.labels.alertname ?? 'HighErrorRate' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.local:9093',
    alerts: items,
  });
}

export function sign(body: string, secret = SENTRY_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export async function startSignalsWorld(o: { soak?: string; config?: string } = {}): Promise<SignalsWorld> {
  const text = o.config ?? signalsConfig(o.soak);
  const base = worldConfig(text);
  let kubeUrl = '';
  const prometheus = await startSimPrometheus({ kubeUrl: () => kubeUrl, ...simMetricsFromConfig(base) });
  const config = worldConfig(text, { PROMETHEUS_URL: prometheus.url, ALERTMANAGER_TOKEN, SENTRY_CLIENT_SECRET: SENTRY_SECRET });
  const world = await startWorld({
    config,
    deckhand: { http: { port: 0, host: '127.0.0.1' }, progressive: { podUrl: (ns, pod) => prometheus.podUrl(ns, pod), pollMs: 50 } },
  });
  kubeUrl = world.sim.url;
  const url = world.app.http?.url ?? '';
  const stop = world.stop.bind(world);
  return Object.assign(world, {
    prometheus, url,
    stop: async () => { await stop(); await prometheus.close(); },
    async alert(alerts: AlertInput[], opts: { token?: string | null; status?: 'firing' | 'resolved' } = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.27.0' };
      const token = opts.token === undefined ? ALERTMANAGER_TOKEN : opts.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${url}/alertmanager/webhook`, { method: 'POST', headers, body: alertmanagerBody(alerts, opts.status) });
      return { status: res.status, body: await res.json() as { aborted?: string[] } };
    },
    async sentry(resource: string, payload: object | string, opts: { signature?: string | null; timestamp?: number | null; requestId?: string } = {}) {
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      // Sentry's Request-ID is uuid4().hex, minted for every attempt.
      const headers: Record<string, string> = { 'content-type': 'application/json', 'sentry-hook-resource': resource, 'request-id': opts.requestId ?? randomUUID().replaceAll('-', '') };
      const timestamp = opts.timestamp === undefined ? Math.floor(Date.now() / 1000) : opts.timestamp;
      if (timestamp !== null) headers['sentry-hook-timestamp'] = String(timestamp);
      const signature = opts.signature === undefined ? sign(body) : opts.signature;
      if (signature !== null) headers['sentry-hook-signature'] = signature;
      const res = await fetch(`${url}/sentry/webhook`, { method: 'POST', headers, body });
      return { status: res.status, body: await res.json() as SentryAnswer };
    },
  });
}

/** Waits until `ok` holds for what `read` returns. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
