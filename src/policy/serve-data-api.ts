import { createServer, type Server } from 'node:http';
import { fromJSON, toJSON, type CompiledPolicy, type Value } from '@deckhand/rego';

const MAX_BODY = 1 << 20;

/**
 * Where the server gets the policies it answers with: a fixed set (`{ current: () => ({ policy, data }) }`) or a
 * reloading backend. Read once per request, when evaluation starts: a reload between two requests is served from the
 * next one, and one answer never mixes two versions.
 */
export interface ServedPolicies {
  current(): { readonly policy: CompiledPolicy; readonly data: Value };
}

/**
 * OPA's Data API over the embedded engine: `POST /v1/data/<path>` with `{"input": …}` answers `{"result": …}`
 * (no `result` when the document is undefined), `GET /v1/data/<path>` without input, `GET /health`.
 * Lets small installs share one policy server and lets the OPA client be tested over real HTTP.
 *
 * `/health` (with or without `?bundles` / `?plugins`) answers 200 `{}` as OPA does once its bundles have been
 * activated: the server does not listen before the first version compiled, and OPA's check is only for that initial
 * activation — a later version that is refused while the last good one keeps answering does not make it unhealthy.
 */
export function serveDataApi(policies: ServedPolicies, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/health') return send(200, {});
    if (!url.pathname.startsWith('/v1/data')) return send(404, { code: 'not_found', message: `no route ${url.pathname}` });
    if (req.method !== 'POST' && req.method !== 'GET') return send(405, { code: 'method_not_allowed', message: 'use GET or POST' });
    const path = url.pathname.slice('/v1/data'.length).replace(/^\/+|\/+$/g, '');
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { send(413, { code: 'invalid_parameter', message: 'request body too large' }); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let input: Value | undefined;
      if (chunks.length) {
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input?: unknown };
          if (parsed.input !== undefined) input = fromJSON(parsed.input);
        } catch {
          return send(400, { code: 'invalid_parameter', message: 'body must be JSON like {"input": …}' });
        }
      }
      try {
        const { policy, data } = policies.current();
        const result = path ? policy.evalPath(path, { input, data }) : undefined;
        send(200, result === undefined ? {} : { result: toJSON(result) });
      } catch (err) {
        send(500, { code: 'internal_error', message: (err as Error).message });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
