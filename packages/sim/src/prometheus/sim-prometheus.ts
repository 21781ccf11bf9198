import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluatePromQL, type RateSeries, type SeriesSource } from './evaluate-promql.ts';
import { parsePromQL, PromQLError, type Matcher } from './parse-promql.ts';
import { BUCKETS, latencyCdf } from './latency-model.ts';
import { createPodMetrics, EXPOSITION_CONTENT_TYPE } from './pod-metrics.ts';
import { createTrafficModel } from './traffic-model.ts';
import { createProfileClock, type SimMetricsService, type VersionProfile } from './version-profile.ts';

export { HEALTHY, type SimMetricsService, type VersionProfile } from './version-profile.ts';

/** One entry of a `file_sd_configs` file. */
export interface ScrapeTargetGroup { targets: string[]; labels: Record<string, string> }

export interface SimPrometheusOptions {
  /** The simulated Kubernetes API (`SimCluster.url`), read for pods, Services and HTTPRoutes; a function when it starts later. */
  kubeUrl: string | (() => string);
  services: SimMetricsService[];
  /** Profile of a full image reference; unknown images are healthy. */
  profileOf(image: string): VersionProfile;
  requestsPerSecond?: number;
  /**
   * How long one read of the cluster (per namespace) answers queries — the sim's scrape interval. Default 100 ms;
   * keep it well under the analysis interval, or a fresh canary can look like "no data".
   */
  snapshotTtlMs?: number;
  port?: number;
}

export interface SimPrometheus {
  readonly url: string;
  /** Base URL of a pod's simulated HTTP endpoint (probes): `${url}/sim/pods/<ns>/<pod>`. */
  podUrl(namespace: string, pod: string): string;
  /**
   * The pods to scrape now, as Prometheus `file_sd_configs` target groups: each ready pod that receives traffic of a
   * service, at this server's address with its `/metrics` path (`__metrics_path__`) and `namespace`/`pod` labels.
   */
  scrapeTargets(): Promise<ScrapeTargetGroup[]>;
  /** Changes a profile while running (tests). */
  setProfile(image: string, profile: Partial<VersionProfile>): void;
  close(): Promise<void>;
}

function equalityOf(matchers: Matcher[], label: string): string | undefined {
  return matchers.find((m) => m.label === label && m.op === '=')?.value;
}

/**
 * A simulated Prometheus speaking the real instant-query API (`/api/v1/query`, GET or form POST) over series that
 * follow the cluster: each ready version of a service gets its share of `requestsPerSecond` (replica ratio or
 * HTTPRoute weights), and answers with its profile's 5xx ratio and latency. Rates are the current ones (the sim has
 * no history), counters grow with uptime. It also answers probe paths for simulated pods (`/sim/pods/...`).
 */
export async function startSimPrometheus(o: SimPrometheusOptions): Promise<SimPrometheus> {
  const started = Date.now();
  const rps = o.requestsPerSecond ?? 50;
  const kubeUrl = (): string => typeof o.kubeUrl === 'string' ? o.kubeUrl : o.kubeUrl();
  const traffic = createTrafficModel(kubeUrl, o.snapshotTtlMs ?? 100);
  const overrides = new Map<string, Partial<VersionProfile>>();
  const profileOf = (image: string): VersionProfile => ({ ...o.profileOf(image), ...overrides.get(image) });
  const profileNow = createProfileClock(profileOf);
  const podMetrics = createPodMetrics({ traffic, services: o.services, profileOf: profileNow, requestsPerSecond: rps });

  // An analysis query names its service and namespace: found by key, not by scanning every configured service.
  const byKey = new Map<string, SimMetricsService[]>();
  for (const s of o.services) byKey.set(`${s.namespace}/${s.service}`, [...byKey.get(`${s.namespace}/${s.service}`) ?? [], s]);
  const source: SeriesSource = async (metric, matchers) => {
    const ns = equalityOf(matchers, 'namespace');
    const svc = equalityOf(matchers, 'service');
    const wanted = ns && svc ? byKey.get(`${ns}/${svc}`) ?? [] : o.services.filter((s) => (!ns || ns === s.namespace) && (!svc || svc === s.service));
    const uptime = (Date.now() - started) / 1000;
    const out: RateSeries[] = [];
    for (const s of wanted) {
      const { shares, images } = await traffic(s.namespace, s.kubeService);
      for (const [version, share] of shares) {
        const profile = profileNow({ namespace: s.namespace, service: s.service, tag: version, image: images.get(version) ?? '', share });
        if (profile.silent || share <= 0) continue;
        const base = { namespace: s.namespace, service: s.service, version };
        const r = rps * share;
        const push = (name: string, labels: Record<string, string>, rate: number): void => {
          if (metric === undefined || metric === name) out.push({ labels: { __name__: name, ...base, ...labels }, ratePerSecond: rate, total: rate * uptime });
        };
        push('http_requests_total', { code: '200' }, r * (1 - profile.errorRate));
        push('http_requests_total', { code: '500' }, r * profile.errorRate);
        for (const le of BUCKETS) push('http_request_duration_seconds_bucket', { le: le === Infinity ? '+Inf' : String(le) }, r * latencyCdf(le, profile.p99Ms));
        push('http_request_duration_seconds_count', {}, r);
      }
    }
    return out;
  };

  async function query(text: string): Promise<{ code: number; body: unknown }> {
    try {
      const value = await evaluatePromQL(parsePromQL(text), source);
      const ts = Date.now() / 1000;
      const fmt = (v: number): string => Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
      const data = value.kind === 'scalar'
        ? { resultType: 'scalar', result: [ts, fmt(value.value)] }
        : { resultType: 'vector', result: value.samples.map((s) => ({ metric: s.labels, value: [ts, fmt(s.value)] })) };
      return { code: 200, body: { status: 'success', data } };
    } catch (err) {
      if (err instanceof PromQLError) return { code: 400, body: { status: 'error', errorType: 'bad_data', error: `invalid parameter "query": ${err.message}` } };
      return { code: 503, body: { status: 'error', errorType: 'unavailable', error: (err as Error).message } };
    }
  }

  async function probe(namespace: string, pod: string): Promise<number> {
    const res = await fetch(`${kubeUrl()}/api/v1/namespaces/${namespace}/pods/${pod}`);
    if (!res.ok) { await res.arrayBuffer(); return 502; }
    const p = await res.json() as { metadata?: { deletionTimestamp?: string }; spec?: { containers?: { image?: string }[] }; status?: { conditions?: { type: string; status: string }[] } };
    const ready = !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    return ready ? profileOf(p.spec?.containers?.[0]?.image ?? '').probeStatus : 503;
  }

  const send = (res: ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      void (async () => {
        if (url.pathname === '/api/v1/query') {
          const q = url.searchParams.get('query') ?? new URLSearchParams(body).get('query');
          if (!q) return send(res, 400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": missing' });
          const r = await query(q);
          return send(res, r.code, r.body);
        }
        if (url.pathname === '/-/ready' || url.pathname === '/-/healthy') return send(res, 200, { status: 'ok' });
        const m = /^\/sim\/pods\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
        if (m && m[3] === '/metrics' && req.method === 'GET') {
          const text = await podMetrics.render(m[1]!, m[2]!);
          res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE }).end(text);
          return;
        }
        if (m) {
          const status = await probe(m[1]!, m[2]!);
          return send(res, status, { pod: m[2], path: m[3] ?? '/', status });
        }
        send(res, 404, { status: 'error', errorType: 'not_found', error: `${url.pathname} is not served by the simulated Prometheus` });
      })().catch((err: unknown) => send(res, 500, { status: 'error', errorType: 'internal', error: (err as Error).message }));
    });
  });
  // Prometheus closes an idle connection after --web.read-timeout (5m by default), not Node's 5 s: a client that
  // queries every few seconds keeps its connections, as it would against the real server.
  server.keepAliveTimeout = 300_000;
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    podUrl: (namespace, pod) => `${url}/sim/pods/${namespace}/${pod}`,
    async scrapeTargets() {
      const groups = new Map<string, ScrapeTargetGroup>();
      for (const s of o.services) {
        const { pods } = await traffic(s.namespace, s.kubeService);
        for (const pod of [...pods.keys()].sort()) {
          groups.set(`${s.namespace}/${pod}`, { targets: [url.slice('http://'.length)], labels: { __metrics_path__: `/sim/pods/${s.namespace}/${pod}/metrics`, namespace: s.namespace, pod } });
        }
      }
      return [...groups.values()];
    },
    setProfile: (image, profile) => { overrides.set(image, { ...overrides.get(image), ...profile }); },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
