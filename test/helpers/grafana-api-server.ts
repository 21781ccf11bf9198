import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An annotation as Grafana stores it (the fields Deckhand writes, plus Grafana's own id). */
export interface StoredAnnotation {
  id: number;
  time: number;
  timeEnd: number;
  tags: string[];
  text: string;
  dashboardUID?: string;
  panelId?: number;
}

export interface GrafanaApiServer {
  /** The Grafana root URL, for GRAFANA_URL. */
  readonly url: string;
  readonly annotations: StoredAnnotation[];
  /** Every request that reached the server, with its method, path and what it was answered. */
  readonly requests: { method: string; path: string; status: number; authorization?: string }[];
  /** The next `times` annotation requests are answered with `status` (a Grafana having a bad day). */
  failNext(times: number, status: number): void;
  /** Resolves once `count` annotations match `predicate`. */
  waitFor(predicate: (a: StoredAnnotation) => boolean, count?: number, timeoutMs?: number): Promise<StoredAnnotation[]>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/** Why Grafana would refuse a create-annotation body, or undefined when it stores it. */
function problemOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'bad request data';
  const b = body as Record<string, unknown>;
  if (typeof b.text !== 'string' || b.text === '') return 'Failed to save annotation: text is required';
  if (b.time !== undefined && typeof b.time !== 'number') return 'bad request data: time must be epoch milliseconds';
  if (b.timeEnd !== undefined && typeof b.timeEnd !== 'number') return 'bad request data: timeEnd must be epoch milliseconds';
  if (b.tags !== undefined && !(Array.isArray(b.tags) && b.tags.every((t) => typeof t === 'string'))) return 'bad request data: tags must be strings';
  if (b.dashboardUID !== undefined && typeof b.dashboardUID !== 'string') return 'bad request data';
  return undefined;
}

/**
 * A local stand-in for Grafana's annotations HTTP API, as its docs describe it: `POST /api/annotations` with a Bearer
 * service-account token (401 `{"message":"Unauthorized"}` otherwise), a body of `time`, `timeEnd`, `tags`, `text`
 * (and optional `dashboardUID`, `panelId`), answered `{"message":"Annotation added","id":…}`; `GET /api/annotations`
 * with `tags`, `from`, `to` finds them (a region overlapping the range counts). Loopback only.
 */
export async function startGrafanaApiServer(o: { token: string }): Promise<GrafanaApiServer> {
  const annotations: StoredAnnotation[] = [];
  const requests: GrafanaApiServer['requests'] = [];
  let failures: { times: number; status: number } = { times: 0, status: 500 };
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://grafana.local');
    const answer = (status: number, body: unknown): void => {
      requests.push({ method: req.method ?? '', path: url.pathname, status, authorization: req.headers.authorization });
      send(res, status, body);
    };
    if (url.pathname !== '/api/annotations') return answer(404, { message: 'Not found' });
    if (req.headers.authorization !== `Bearer ${o.token}`) return answer(401, { message: 'Unauthorized' });
    if (failures.times > 0) {
      failures.times -= 1;
      return answer(failures.status, { message: 'Internal Server Error' });
    }
    if (req.method === 'GET') {
      const tags = url.searchParams.getAll('tags');
      const from = Number(url.searchParams.get('from') ?? 0);
      const to = Number(url.searchParams.get('to') ?? Number.MAX_SAFE_INTEGER);
      return answer(200, annotations.filter((a) => tags.every((t) => a.tags.includes(t)) && a.timeEnd >= from && a.time <= to));
    }
    if (req.method !== 'POST') return answer(405, { message: 'Method not allowed' });
    void readJson(req).then((body) => {
      const problem = problemOf(body);
      if (problem) return answer(400, { message: problem });
      const b = body as { time?: number; timeEnd?: number; tags?: string[]; text: string; dashboardUID?: string; panelId?: number };
      const time = b.time ?? Date.now();
      const stored: StoredAnnotation = { id: annotations.length + 1, time, timeEnd: b.timeEnd ?? time, tags: b.tags ?? [], text: b.text };
      if (b.dashboardUID !== undefined) stored.dashboardUID = b.dashboardUID;
      if (b.panelId !== undefined) stored.panelId = b.panelId;
      annotations.push(stored);
      answer(200, { message: 'Annotation added', id: stored.id });
      for (const w of waiters) w();
    }, () => answer(400, { message: 'bad request data' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    annotations, requests,
    failNext(times, status) { failures = { times, status }; },
    waitFor(predicate, count = 1, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = annotations.filter(predicate);
          if (found.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${count} annotation(s); have: ${JSON.stringify(annotations.map((a) => a.tags))}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
