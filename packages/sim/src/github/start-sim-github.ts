import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultSimRepos, type SimRepoSeed } from './default-seed.ts';
import type { JsonBase } from './github-json.ts';
import { commitToBranch, simGitReader, type SimGitReader } from './git-reader.ts';
import { HTML_PREFIX, renderHtmlPage } from './html-pages.ts';
import { routeRegistry, type RegistryAuth } from './registry-routes.ts';
import { routeRepo, type Reply, type RouteContext } from './rest-routes.ts';
import type { SimImageSigner } from './sim-registry.ts';
import { SimGitHubState, type SimDeployment, type SimDeploymentStatus, type SimRun } from './sim-state.ts';
import { WorkflowRunner, type WebhookDelivery, type WebhookTarget } from './workflow-runs.ts';

export interface SimGitHubOptions {
  /** Defaults to the example services (acme/api, acme/web, acme/worker). */
  repos?: SimRepoSeed[];
  /** Dispatch to completed; default 1500 ms. */
  buildDelayMs?: number;
  /** Where `workflow_run` events are delivered, signed with `secret`. */
  webhook?: WebhookTarget;
  registryAuth?: RegistryAuth;
  /** Signs each image as it is pushed (seeded or built): the signatures cosign would attach, or none. */
  signer?: SimImageSigner;
  /** The registry's OCI referrers API; false answers it 404, as older registries do (default true). */
  referrersApi?: boolean;
  /** Require `Authorization: token|Bearer <this>` on the REST API (401 otherwise). */
  token?: string;
  legacyDispatch?: boolean;
  port?: number;
}

export interface SimRequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  at: number;
  ifNoneMatch?: string;
}

export interface SimGitHub {
  /** The REST API root (GITHUB_API_URL) and the registry (`/v2/…`), same server. */
  readonly url: string;
  readonly state: SimGitHubState;
  /** Every request answered, in order. */
  readonly requests: SimRequestRecord[];
  readonly deliveries: WebhookDelivery[];
  /** The next `count` REST requests are answered 429 with `Retry-After` (secondary limit) or 403 with the primary limit's headers. */
  rateLimit(o: { count?: number; retryAfterSec?: number; kind?: 'secondary' | 'primary' }): void;
  setWebhook(target: WebhookTarget | undefined): void;
  deploymentsOf(repo: string): (SimDeployment & { statuses: SimDeploymentStatus[] })[];
  /** Repositories' files at a revision, in-process: the git source the simulated Argo CD syncs from. */
  readonly git: SimGitReader;
  /**
   * Commits text files (null deletes) on a branch (default `main`) as `author` (default `alice`), answering the
   * commit sha — a person's commit made beside Deckhand's. `PUT …/contents` over HTTP does the same for one file.
   */
  commit(repo: string, o: { branch?: string; files: Record<string, string | null>; message: string; author?: string }): string;
  runsOf(repo: string): SimRun[];
  close(): Promise<void>;
}

/** Weak ETags over the body, as GitHub sends; equal bodies share a tag, so unchanged resources answer 304. */
function etagOf(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('hex')}"`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A simulated GitHub over node:http for the sandbox and tests: the REST calls Deckhand makes (tags, refs,
 * compare, deployments and statuses, workflow dispatch, runs and jobs) in GitHub's wire format with ETags and
 * 304s, rate-limit answers on demand, builds that finish after a delay, signed `workflow_run` webhooks, an
 * OCI registry (`HEAD /v2/<name>/manifests/<tag>`) whose images appear when their build succeeds, and HTML pages
 * at the `html_url`s it hands out (compare views, workflow runs).
 */
export async function startSimGitHub(options: SimGitHubOptions = {}): Promise<SimGitHub> {
  const state = new SimGitHubState(options.repos ?? defaultSimRepos(), options.signer);
  const requests: SimRequestRecord[] = [];
  const deliveries: WebhookDelivery[] = [];
  let webhook = options.webhook;
  let limited: { left: number; retryAfterSec: number; kind: 'secondary' | 'primary' } | undefined;
  let remaining = 5000;
  let base: JsonBase = { api: '', html: '' };
  const runner = new WorkflowRunner({ state, base: () => base, buildDelayMs: options.buildDelayMs ?? 1500, webhook: () => webhook, deliveries });
  const registryAuth = options.registryAuth ?? { kind: 'none' };

  async function answer(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', base.api);
    const method = req.method ?? 'GET';
    const registry = routeRegistry(state, registryAuth, base.api, method, url.pathname, req.headers.authorization, { referrersApi: options.referrersApi, query: url.searchParams });
    if (registry) return registry;
    if (limited && limited.left > 0) {
      limited.left--;
      const reset = Math.ceil(Date.now() / 1000) + limited.retryAfterSec;
      return limited.kind === 'secondary'
        ? { status: 429, headers: { 'retry-after': String(limited.retryAfterSec) }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' } }
        : { status: 403, headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(reset), 'x-ratelimit-resource': 'core' }, body: { message: 'API rate limit exceeded for installation.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' } };
    }
    if (options.token !== undefined && req.headers.authorization !== `token ${options.token}` && req.headers.authorization !== `Bearer ${options.token}`) {
      return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    }
    const segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    if (segments[0] !== 'repos' || segments.length < 3) return { status: 404, body: { message: 'Not Found' } };
    const repo = state.repo(segments[1] ?? '', segments[2] ?? '');
    if (!repo) return { status: 404, body: { message: 'Not Found' } };
    const text = method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE' ? await readBody(req) : '';
    let body: Record<string, unknown>;
    try {
      body = text ? JSON.parse(text) as Record<string, unknown> : {};
    } catch {
      return { status: 400, body: { message: 'Problems parsing JSON' } };
    }
    const ctx: RouteContext = { state, runner, base, legacyDispatch: options.legacyDispatch ?? false };
    return routeRepo(ctx, repo, { method, rest: segments.slice(3), query: url.searchParams, body });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', base.api).pathname;
    if (pathname === HTML_PREFIX || pathname.startsWith(`${HTML_PREFIX}/`)) {
      const pageAnswer = renderHtmlPage(state, base.html, pathname);
      requests.push({ method: req.method ?? 'GET', path: pathname, query: '', status: pageAnswer.status, at: Date.now() });
      res.writeHead(pageAnswer.status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(pageAnswer.html)) });
      res.end(req.method === 'HEAD' ? undefined : pageAnswer.html);
      return;
    }
    let reply: Reply;
    try {
      reply = await answer(req);
    } catch (err) {
      reply = { status: 500, body: { message: String(err) } };
    }
    const url = new URL(req.url ?? '/', base.api);
    const ifNoneMatch = typeof req.headers['if-none-match'] === 'string' ? req.headers['if-none-match'] : undefined;
    const headers: Record<string, string> = { ...reply.headers };
    const isRest = !url.pathname.startsWith('/v2/') && url.pathname !== '/token';
    let status = reply.status;
    let text = reply.body === undefined || status === 204 ? '' : JSON.stringify(reply.body);
    if (isRest) {
      headers['content-type'] ??= 'application/json; charset=utf-8';
      headers['x-github-media-type'] = 'github.v3; format=json';
      headers['x-github-request-id'] = `SIM:${requests.length + 1}`;
    } else if (text) {
      headers['content-type'] ??= 'application/json';
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && status === 200 && isRest) {
      const etag = etagOf(text);
      headers.etag = etag;
      headers['cache-control'] = 'private, max-age=60, s-maxage=60';
      headers.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP';
      if (ifNoneMatch === etag) {
        status = 304;
        text = '';
      }
    }
    // 304s are free on GitHub: only other answers use up the hourly allowance.
    if (isRest && status !== 304 && status !== 429 && status !== 403) remaining = Math.max(0, remaining - 1);
    if (isRest && status !== 429 && status !== 403) {
      Object.assign(headers, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-used': String(5000 - remaining), 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600), 'x-ratelimit-resource': 'core' });
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, status, at: Date.now(), ...(ifNoneMatch !== undefined && { ifNoneMatch }) });
    if (reply.raw) {
      res.writeHead(status, { ...headers, 'content-length': String(reply.raw.length) });
      res.end(req.method === 'HEAD' ? undefined : reply.raw);
      return;
    }
    if (text && status !== 304) headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' || status === 304 ? undefined : text);
  }

  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = { api: url, html: `${url}${HTML_PREFIX}` };

  return {
    url, state, requests, deliveries,
    git: simGitReader(state),
    commit: (repo, o) => commitToBranch(state, repo, o),
    rateLimit(o) {
      limited = { left: o.count ?? 1, retryAfterSec: o.retryAfterSec ?? 1, kind: o.kind ?? 'secondary' };
    },
    setWebhook(target) {
      webhook = target;
    },
    deploymentsOf(repo) {
      return [...state.deployments.values()].filter((d) => d.repo === repo).sort((a, b) => a.id - b.id);
    },
    runsOf(repo) {
      return [...state.runs.values()].filter((r) => r.repo === repo).sort((a, b) => a.id - b.id);
    },
    async close() {
      runner.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
