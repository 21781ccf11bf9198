import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultSimGitLabProjects, type SimGitLabProjectSeed } from './default-seed.ts';
import { renderGitLabPage } from './html-pages.ts';
import { PipelineRunner, type GitLabWebhookDelivery, type GitLabWebhookTarget } from './pipeline-runner.ts';
import { notFound, routeProject, type Reply } from './rest-routes.ts';
import { SimGitLabState, type SimGitLabDeployment, type SimPipeline } from './sim-gitlab-state.ts';

export interface SimGitLabOptions {
  /** Defaults to the example project (acme/billing). */
  projects?: SimGitLabProjectSeed[];
  /** Pipeline created to finished; default 1500 ms. */
  buildDelayMs?: number;
  /** Where Pipeline Hook events are delivered, with this `X-Gitlab-Token`. */
  webhook?: GitLabWebhookTarget;
  /** Require `PRIVATE-TOKEN: <this>` (or `Authorization: Bearer <this>`) on the API (401 otherwise). */
  token?: string;
  /** Where a succeeded pipeline's image goes, as `group/name:tag` (e.g. the simulated GitHub's registry). */
  pushImage?: (image: string) => void;
  port?: number;
}

export interface SimGitLabRequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  at: number;
  privateToken?: string;
}

export interface SimGitLab {
  /** The instance root (GITLAB_URL); the API is under `/api/v4`. */
  readonly url: string;
  readonly state: SimGitLabState;
  readonly requests: SimGitLabRequestRecord[];
  readonly deliveries: GitLabWebhookDelivery[];
  /** Images pushed by pipelines that succeeded, as `group/name:tag`. */
  readonly pushed: string[];
  /** The next `count` API requests are answered 429 with `Retry-After`. */
  rateLimit(o: { count?: number; retryAfterSec?: number }): void;
  setWebhook(target: GitLabWebhookTarget | undefined): void;
  pipelinesOf(project: string): SimPipeline[];
  deploymentsOf(project: string): SimGitLabDeployment[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * A simulated GitLab over node:http for the sandbox and tests: the REST API v4 calls Deckhand makes through
 * @gitbeaker/rest (projects by URL-encoded path, tags, commits, compare, merged merge requests, pipelines and
 * their jobs, deployments) with GitLab's pagination headers and `PRIVATE-TOKEN` auth, pipelines that finish after a
 * delay and push their image, and Pipeline Hook webhooks carrying `X-Gitlab-Token`.
 */
export async function startSimGitLab(options: SimGitLabOptions = {}): Promise<SimGitLab> {
  const state = new SimGitLabState(options.projects ?? defaultSimGitLabProjects());
  const requests: SimGitLabRequestRecord[] = [];
  const deliveries: GitLabWebhookDelivery[] = [];
  const pushed: string[] = [];
  let webhook = options.webhook;
  let limited: { left: number; retryAfterSec: number } | undefined;
  let url = '';
  const runner = new PipelineRunner({
    state, web: () => url, buildDelayMs: options.buildDelayMs ?? 1500, webhook: () => webhook, deliveries,
    pushImage: (image) => { pushed.push(image); options.pushImage?.(image); },
  });

  async function answer(req: IncomingMessage, u: URL): Promise<Reply> {
    const raw = u.pathname.split('/').filter(Boolean);
    if (raw[0] !== 'api' || raw[1] !== 'v4') return notFound();
    if (limited && limited.left > 0) {
      limited.left--;
      const reset = Math.ceil(Date.now() / 1000) + limited.retryAfterSec;
      return { status: 429, headers: { 'retry-after': String(limited.retryAfterSec), 'ratelimit-limit': '2000', 'ratelimit-observed': '2001', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) }, body: { message: 'Retry later' } };
    }
    const bearer = header(req, 'authorization')?.replace(/^Bearer /, '');
    if (options.token !== undefined && header(req, 'private-token') !== options.token && bearer !== options.token) {
      return { status: 401, body: { message: '401 Unauthorized' } };
    }
    // Each segment is decoded on its own: a project id `acme%2Fbilling` is one segment.
    const segments = raw.slice(2).map((s) => decodeURIComponent(s));
    if (segments[0] !== 'projects' || segments[1] === undefined) return notFound();
    const project = state.project(segments[1]);
    if (!project) return notFound('404 Project Not Found');
    const method = req.method ?? 'GET';
    const text = method === 'POST' || method === 'PUT' ? await readBody(req) : '';
    let body: Record<string, unknown>;
    try {
      body = text ? JSON.parse(text) as Record<string, unknown> : {};
    } catch {
      return { status: 400, body: { message: 'Invalid JSON' } };
    }
    return routeProject({ state, runner, api: `${url}/api/v4`, web: url }, project, { method, rest: segments.slice(2), query: u.searchParams, body });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    // The web pages at the web_urls the API hands out; outside /api/v4, no token needed (like a public project's).
    const webPage = u.pathname.startsWith('/api/') ? undefined : renderGitLabPage(state, url, u.pathname);
    if (webPage) {
      requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.search, status: webPage.status, at: Date.now() });
      res.writeHead(webPage.status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(webPage.html)) });
      res.end(req.method === 'HEAD' ? undefined : webPage.html);
      return;
    }
    let reply: Reply;
    try {
      reply = await answer(req, u);
    } catch (err) {
      reply = { status: 500, body: { message: String(err) } };
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const token = header(req, 'private-token');
    requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.search, status: reply.status, at: Date.now(), ...(token !== undefined && { privateToken: token }) });
    res.writeHead(reply.status, {
      'content-type': 'application/json', 'x-request-id': `SIM-${requests.length}`, 'x-gitlab-meta': '{"correlation_id":"sim","version":"1"}',
      'cache-control': 'max-age=0, private, must-revalidate', ...reply.headers, 'content-length': String(Buffer.byteLength(text)),
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  }

  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const projectId = (path: string): number | undefined => state.project(path)?.id;

  return {
    url, state, requests, deliveries, pushed,
    rateLimit(o) {
      limited = { left: o.count ?? 1, retryAfterSec: o.retryAfterSec ?? 1 };
    },
    setWebhook(target) {
      webhook = target;
    },
    pipelinesOf(path) {
      const id = projectId(path);
      return [...state.pipelines.values()].filter((p) => p.projectId === id).sort((a, b) => a.id - b.id);
    },
    deploymentsOf(path) {
      const id = projectId(path);
      return [...state.deployments.values()].filter((d) => d.projectId === id).sort((a, b) => a.id - b.id);
    },
    async close() {
      runner.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
