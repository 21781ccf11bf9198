import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { SimError } from '../errors.ts';
import { methodNotAllowed, pageNotFound, toKubeStatus } from './api-error.ts';
import { decodeBody } from './decode-body.ts';
import { apiGroup, apiGroupList, apiResourceList, coreApiVersions, SIM_VERSION } from './discovery.ts';
import type { ObjectStore } from './object-store.ts';
import { openApiV3GroupVersion, openApiV3Root } from './openapi.ts';
import type { Pod } from './kube-types.ts';
import { servePodLogFollow } from './pod-log-stream.ts';
import { parseResourceTarget } from './request-target.ts';
import { handleResourceRequest, includeObjectParam, selectorFor, wantsTable } from './resource-handlers.ts';
import { renderTable } from './table.ts';
import { serveWatch } from './watch-stream.ts';
import type { PodHttpHandler } from './streaming/pod-http.ts';
import { defaultPodHttp } from './streaming/pod-http.ts';
import { startPodHttpServer } from './streaming/pod-http-server.ts';
import { handleStreamingUpgrade } from './streaming/stream-upgrade.ts';

/** The request log keeps the most recent requests only, so a long-running sandbox does not grow without bound. */
const MAX_RECORDED_REQUESTS = 100_000;

/** One received request, as tests see it in `SimCluster.requests`. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  contentType?: string;
  at: number;
  /** The HTTP status answered, set once the handler has answered (a watch: when its stream opens). */
  status?: number;
}

export interface ApiServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces what the simulated pods' HTTP ports answer (port-forward, `wget` in exec). */
  setPodHttp(handler: PodHttpHandler | undefined): void;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  port?: number;
  bookmarkIntervalMs?: number;
  /** What the simulated pods' HTTP ports answer; default: `defaultPodHttp` (health paths and `/`). */
  podHttp?: PodHttpHandler;
}

/**
 * The HTTP face of the sim: discovery, CRUD, patch, watch and tables over plain HTTP on 127.0.0.1 — enough of
 * the Kubernetes REST API for kubectl 1.32 and @kubernetes/client-node. No auth: any token is accepted.
 */
export async function startApiServer(store: ObjectStore, options: ApiServerOptions = {}): Promise<ApiServer> {
  const requests: RecordedRequest[] = [];
  const openWatches = new Set<() => void>();
  const upgradedSockets = new Set<Duplex>();
  let address = '127.0.0.1:0';
  const pods = store.registry.lookup('v1', 'pods');
  if (!pods) throw new SimError('The sim has no v1 pods type registered.');
  const fallbackPodHttp = defaultPodHttp((namespace, name) => store.get(pods, namespace, name) as Pod | undefined);
  let podHttp = options.podHttp ?? fallbackPodHttp;
  const podServer = await startPodHttpServer(() => podHttp);

  const record = (req: IncomingMessage, url: URL): RecordedRequest => {
    const contentType = req.headers['content-type'];
    if (requests.length >= MAX_RECORDED_REQUESTS) requests.splice(0, MAX_RECORDED_REQUESTS / 10);
    const entry: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), ...(contentType ? { contentType } : {}), at: Date.now() };
    requests.push(entry);
    return entry;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const entry = record(req, url);
    void handle(req, res, url)
      .catch((err: unknown) => sendJson(res, toKubeStatus(err).code, toKubeStatus(err)))
      .finally(() => {
        // Every answer (watches included) has sent its headers by the time the handler returns.
        if (res.headersSent) entry.status = res.statusCode;
      });
  });
  // An API server keeps a client's idle connection (Go's http.Server, with no read or idle timeout set, never closes
  // one); Node's default of 5 s would close them between a client's bursts of calls.
  server.keepAliveTimeout = 90_000;
  // exec and port-forward: WebSocket or SPDY upgrades, which leave the HTTP server's hands.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const entry = record(req, new URL(req.url ?? '/', 'http://sim.invalid'));
    upgradedSockets.add(socket);
    socket.on('close', () => upgradedSockets.delete(socket));
    // A client that resets mid-answer must not take the sim down with an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    entry.status = handleStreamingUpgrade({ store, pods, podHttp: () => podHttp, podServer }, req, socket, head);
  });

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const discovery = discoveryDocument(url.pathname);
    if (discovery !== undefined) {
      if (method !== 'GET') throw methodNotAllowed('the server does not allow this method on the requested resource');
      return sendJson(res, 200, discovery);
    }
    const target = parseResourceTarget(store.registry, url.pathname);
    if (!target) throw pageNotFound();
    const body = decodeBody(await readBody(req), req.headers['content-type']);
    const accept = req.headers.accept ?? 'application/json';
    const query = url.searchParams;
    const watch = query.get('watch');
    if (method === 'GET' && (watch === 'true' || watch === '1')) {
      if (target.type.computeItems) throw methodNotAllowed('the server does not allow this method on the requested resource');
      let end: () => void = () => {};
      end = serveWatch(store, {
        type: target.type,
        namespace: target.namespace,
        matches: watchMatcher(target.name, query),
        resourceVersion: query.get('resourceVersion') ?? undefined,
        allowBookmarks: query.get('allowWatchBookmarks') === 'true',
        sendInitialEvents: query.get('sendInitialEvents') === 'true',
        timeoutSeconds: query.has('timeoutSeconds') ? Number(query.get('timeoutSeconds')) : undefined,
        bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
        encode: wantsTable(accept)
          ? (obj, first) => renderTable(target.type, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '', includeObject: includeObjectParam(query), now: store.now(), noHeaders: !first })
          : (obj) => obj,
      }, res);
      openWatches.add(end);
      res.on('close', () => openWatches.delete(end));
      return;
    }
    if (method === 'GET' && target.subresource === 'log' && target.type.kind === 'Pod' && query.get('follow') === 'true') {
      const pod = store.require(target.type, target.namespace, target.name ?? '') as Pod;
      const end = servePodLogFollow(store, target.type, pod, query, res);
      openWatches.add(end);
      res.on('close', () => openWatches.delete(end));
      return;
    }
    const result = handleResourceRequest(store, { method, target, query, accept, contentType: req.headers['content-type'], body });
    sendJson(res, result.status, result.body);
  }

  function watchMatcher(name: string | undefined, query: URLSearchParams) {
    const selected = selectorFor(query);
    return name === undefined ? selected : (obj: Parameters<typeof selected>[0]) => obj.metadata.name === name && selected(obj);
  }

  function discoveryDocument(pathname: string): unknown {
    const path = pathname.replace(/\/+$/, '') || '/';
    if (path === '/version') return SIM_VERSION;
    if (path === '/healthz' || path === '/readyz' || path === '/livez') return 'ok';
    if (path === '/api') return coreApiVersions(address);
    if (path === '/apis') return apiGroupList(store.registry);
    if (path === '/openapi/v3') return openApiV3Root(store.registry);
    if (path.startsWith('/openapi/v3/')) return openApiV3GroupVersion(store.registry, path.slice('/openapi/v3/'.length));
    const core = /^\/api\/([^/]+)$/.exec(path);
    if (core) return apiResourceList(store.registry, core[1] ?? '') ?? undefined;
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group) return apiGroup(store.registry, group[1] ?? '');
    const groupVersionMatch = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (groupVersionMatch) return apiResourceList(store.registry, `${groupVersionMatch[1]}/${groupVersionMatch[2]}`);
    return undefined;
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await podServer.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  address = `127.0.0.1:${port}`;

  return {
    url: `http://${address}`,
    requests,
    setPodHttp: (handler) => {
      podHttp = handler ?? fallbackPodHttp;
    },
    close: async () => {
      for (const end of openWatches) end();
      for (const socket of upgradedSockets) socket.destroy();
      await podServer.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (typeof body === 'string') {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(body);
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
}
