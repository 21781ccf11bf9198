import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/http/index.ts';
import { DeckhandError } from '../../src/errors.ts';
import { createMetrics } from '../../src/telemetry/index.ts';

const TOKEN = 'test-api-token-0123456789';
const audit = [
  { kind: 'command', deployId: '1', at: '2026-01-01T10:00:00Z' },
  { kind: 'command', deployId: '2', at: '2026-01-02T10:00:00Z' },
  { kind: 'phase', deployId: '1', at: '2026-01-03T10:00:00Z' },
];
const deploys = [{ id: '1', service: 'api', env: 'staging' }, { id: '2', service: 'web', env: 'production' }];

let running: HttpServer | undefined;
afterEach(async () => {
  await running?.close({ timeoutMs: 100 });
  running = undefined;
});

async function start(options: HttpServerOptions = {}): Promise<{ http: HttpServer; url: string }> {
  const http = createHttpServer({
    readiness: { redis: async () => {}, kubernetes: async () => {} },
    api: {
      token: TOKEN,
      deploys: {
        list: async (f) => deploys.filter((d) => !f.service || d.service === f.service).slice(0, f.limit),
        get: async (id) => deploys.find((d) => d.id === id),
      },
      audit: {
        latest: async (count, deployId) => audit.filter((e) => !deployId || e.deployId === deployId).reverse().slice(0, count),
        read: async ({ sinceMs = 0, count = 1000 }) => audit.filter((e) => Date.parse(e.at) >= sinceMs).slice(0, count),
      },
    },
    ...options,
  });
  running = http;
  const { url } = await http.listen(0, '127.0.0.1');
  return { http, url };
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe('probes', () => {
  it('/healthz is 200 while the process runs', async () => {
    const { url } = await start({ readiness: { redis: async () => { throw new Error('down'); } } });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when every check passes', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { redis: 'ok', kubernetes: 'ok' } });
  });

  it('/readyz is 503 naming the failed check, without its error text', async () => {
    const { url } = await start({ readiness: { redis: async () => { throw new Error('ECONNREFUSED 10.0.0.7:6379'); }, kubernetes: async () => {} } });
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'not_ready', checks: { redis: 'unreachable', kubernetes: 'ok' } });
    expect(text).not.toContain('10.0.0.7');
  });

  it('/readyz counts a check that hangs as failed', async () => {
    const { url } = await start({ checkTimeoutMs: 50, readiness: { kubernetes: () => new Promise(() => {}) } });
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
  });

  it('/readyz is 503 once draining, while /healthz stays 200', async () => {
    const { http, url } = await start();
    http.drain();
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('probes refuse other methods with 405 and Allow', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/healthz`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('/metrics', () => {
  it('serves the Prometheus text with every Deckhand metric name', async () => {
    const metrics = createMetrics();
    metrics.recordDeploy({ outcome: 'succeeded', strategy: 'rolling', durationSeconds: 42 });
    const { url } = await start({ metrics: metrics.render });
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    for (const name of ['deckhand_deploys_total', 'deckhand_deploy_duration_seconds', 'deckhand_step_duration_seconds', 'deckhand_queue_depth',
      'deckhand_queue_wait_seconds', 'deckhand_policy_decisions_total', 'deckhand_chat_ack_seconds', 'deckhand_api_errors_total',
      'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(body).toContain(`# TYPE ${name}`);
    }
    expect(body).toContain('deckhand_deploys_total{outcome="succeeded",strategy="rolling"} 1');
  });

  it('is 404 when no metrics source is given', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });
});

describe('read-only API', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['a token with a suffix', { authorization: `Bearer ${TOKEN}x` }],
    ['basic auth', { authorization: `Basic ${TOKEN}` }],
  ])('is 401 with %s', async (_, headers: Record<string, string>) => {
    const { url } = await start();
    const res = await fetch(`${url}/api/deploys`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(await errorCode(res)).toBe('unauthorized');
  });

  it('is 401 for an unknown API path without a token, so paths are not probed', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/api/secret-things`)).status).toBe(401);
  });

  it('lists deploys with filters and a limit', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/api/deploys?service=web&limit=5`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deploys: [deploys[1]] });
  });

  it('reads one deploy, and 404s for a missing or impossible id', async () => {
    const { url } = await start();
    expect(await (await fetch(`${url}/api/deploys/2`, { headers: auth })).json()).toEqual({ deploy: deploys[1] });
    const missing = await fetch(`${url}/api/deploys/99`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: unknown }).error).toEqual({ code: 'not_found', message: 'There is no deploy #99.' });
    expect((await fetch(`${url}/api/deploys/..%2Fetc`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${url}/api/deploys/%E0%A4%A`, { headers: auth })).status).toBe(404);
  });

  it.each([
    ['newest first', '/api/audit?limit=2', ['2026-01-03T10:00:00Z', '2026-01-02T10:00:00Z']],
    ['newest first for one deploy', '/api/audit?deploy=1', ['2026-01-03T10:00:00Z', '2026-01-01T10:00:00Z']],
    ['oldest first since a time', '/api/audit?since=2026-01-02T00:00:00Z', ['2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z']],
    ['since a time for one deploy', `/api/audit?deploy=1&since=${Date.parse('2026-01-02T00:00:00Z')}`, ['2026-01-03T10:00:00Z']],
  ])('reads the audit log %s', async (_, path, times) => {
    const { url } = await start();
    const res = await fetch(`${url}${path}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { events: { at: string }[] }).events.map((e) => e.at)).toEqual(times);
  });

  it.each([
    ['/api/deploys?limit=0'], ['/api/deploys?limit=501'], ['/api/deploys?limit=abc'], ['/api/deploys?service=Bad_Name'],
    ['/api/audit?since=yesterday'], ['/api/audit?deploy=abc'],
  ])('is 400 for %s', async (path) => {
    const { url } = await start();
    const res = await fetch(`${url}${path}`, { headers: auth });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('bad_request');
  });

  it('is read-only: POST is 405', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/api/deploys`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(405);
  });

  it('is off (404) when no API is configured', async () => {
    const { url } = await start({ api: undefined });
    expect((await fetch(`${url}/api/deploys`, { headers: auth })).status).toBe(404);
  });

  it('answers a store that is down with a 503 and its coded, person-readable message', async () => {
    const down = async (): Promise<never> => { throw new DeckhandError('store_unavailable', 'Redis is not answering; try again shortly.', { cause: new Error('ECONNREFUSED 10.0.0.7') }); };
    const { url } = await start({ log: { warn: () => {}, error: () => {} }, api: { token: TOKEN, deploys: { list: down, get: down }, audit: { latest: down, read: down } } });
    const res = await fetch(`${url}/api/deploys/3`, { headers: auth });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'store_unavailable', message: 'Redis is not answering; try again shortly.' } });
  });

  it('answers a failing source with a JSON 500 that hides the cause', async () => {
    const logged: object[] = [];
    const { url } = await start({
      log: { warn: () => {}, error: (obj) => logged.push(obj) },
      api: { token: TOKEN, deploys: { list: async () => { throw new Error('redis password=hunter2'); }, get: async () => undefined }, audit: { latest: async () => [], read: async () => [] } },
    });
    const res = await fetch(`${url}/api/deploys`, { headers: auth });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'Something went wrong inside Deckhand.' } });
    expect(text).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
  });
});

describe('routing and limits', () => {
  it('is a JSON 404 for an unknown route', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await errorCode(res)).toBe('not_found');
  });

  it('hands a mounted ingress the raw body', async () => {
    const { http, url } = await start();
    http.mount('/slack/events', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${req.headers['x-slack-signature']}:${req.rawBody.toString()}`);
    });
    const res = await fetch(`${url}/slack/events`, { method: 'POST', headers: { 'x-slack-signature': 'v0=abc' }, body: 'token=1&text=hi' });
    expect(await res.text()).toBe('v0=abc:token=1&text=hi');
  });

  it('refuses other methods on a mount', async () => {
    const { http, url } = await start();
    http.mount('/github/webhook', () => {});
    expect((await fetch(`${url}/github/webhook`)).status).toBe(405);
  });

  it('refuses a mount that would shadow a built-in route', async () => {
    const { http } = await start();
    expect(() => http.mount('/readyz', () => {})).toThrow(/built-in/);
    expect(() => http.mount('/api/x', () => {})).toThrow(/built-in/);
  });

  it('is 413 for a body over the declared limit, before the handler runs', async () => {
    let called = false;
    const { http, url } = await start({ bodyLimitBytes: 100 });
    http.mount('/discord/interactions', (_req, res) => { called = true; res.end(); });
    const res = await fetch(`${url}/discord/interactions`, { method: 'POST', body: 'x'.repeat(101) });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('payload_too_large');
    expect(called).toBe(false);
  });

  it('is 413 for a chunked body that grows past the limit', async () => {
    const { http, url } = await start();
    http.mount('/github/webhook', (_req, res) => { res.end(); }, { bodyLimitBytes: 1000 });
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/github/webhook`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('y'.repeat(400));
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('payload_too_large');
  });

  it('survives a client that hangs up mid-body, and keeps serving', async () => {
    let called = false;
    const { http, url } = await start();
    http.mount('/slack/events', (_req, res) => { called = true; res.end(); });
    await new Promise<void>((resolve) => {
      const req = request(`${url}/slack/events`, { method: 'POST', headers: { 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('partial', () => setTimeout(() => { req.destroy(); resolve(); }, 20));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(called).toBe(false);
  });

  it('is 413 on a built-in route with a large declared body', async () => {
    const { url } = await start({ bodyLimitBytes: 10 });
    expect((await fetch(`${url}/api/deploys`, { method: 'POST', headers: auth, body: 'z'.repeat(11) })).status).toBe(413);
  });
});
