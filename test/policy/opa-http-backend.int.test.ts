import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedBackend, createOpaHttpBackend, decideWithRetry, readPolicyDir, serveDataApi, type PolicyBackend, type PolicyInput } from '../../src/policy/index.ts';
import { DeckhandError, isDeckhandError } from '../../src/errors.ts';

const input: PolicyInput = {
  action: 'deploy',
  request: { service: 'api', env: 'production', version: 'v1.5.0', strategy: 'rolling', dry_run: false },
  requester: { id: 'alice', name: 'alice', groups: ['payments'] },
  service: { name: 'api', team: 'payments', environments: ['staging', 'production'] },
  approvals: [{ id: 'bob', name: 'bob', groups: ['approvers'] }],
  freezes: [],
  now: '2026-11-18T10:00:00Z',
};

/** What the gate asks for a deploy (the registry's rule for /deploy). */
const DEPLOY = { package: 'deploy', rule: 'decision' };
const DECISION = { allow: true, deny: [], approvals: { required: 1, have: 1, eligible: ['bob'] } };
const MB = 1024 * 1024;

async function refusal(p: Promise<unknown>): Promise<DeckhandError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof DeckhandError)) throw new Error(`expected a DeckhandError, got ${String(err)}`);
  return err;
}

describe('OPA Data API: `deckhand policy serve` and the OPA client backend over real HTTP', () => {
  let server: Server;
  let url: string;
  const bundleP = readPolicyDir('policies');

  beforeAll(async () => {
    const bundle = await bundleP;
    const embedded = createEmbeddedBackend(bundle);
    server = await serveDataApi({ current: () => embedded }, 0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers the same decision as the embedded engine', async () => {
    const remote = await createOpaHttpBackend(url).decide(input, DEPLOY);
    const local = await createEmbeddedBackend(await bundleP).decide(input, DEPLOY);
    expect(remote).toEqual(local);
    expect(remote.allow).toBe(true);
  });

  it('speaks the Data API wire format: POST with {"input"}, {"result"} back, {} when undefined', async () => {
    const res = await fetch(`${url}/v1/data/deckhand/deploy/approvals_met`, { method: 'POST', body: JSON.stringify({ input }) });
    expect(await res.json()).toEqual({ result: true });
    const undef = await fetch(`${url}/v1/data/deckhand/nothing/here`, { method: 'POST', body: JSON.stringify({ input }) });
    expect(await undef.json()).toEqual({});
    expect((await fetch(`${url}/v1/data/x`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});

/** A policy server that misbehaves in the way each test sets; it counts requests and the bytes it got out. */
describe('the OPA client backend against a misbehaving policy server', () => {
  let server: Server;
  let url: string;
  let requests: number;
  /** Body bytes the server managed to hand to the socket before the client went away. */
  let written: number;
  let clientGone: Promise<void>;
  let handle: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    requests = 0;
    written = 0;
    let gone = (): void => {};
    clientGone = new Promise<void>((r) => { gone = r; });
    server = createServer((req, res) => {
      requests++;
      res.on('close', gone);
      req.resume();
      req.on('end', () => handle(req, res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  /** Streams `total` bytes of a JSON string value in 64 KiB chunks, honouring backpressure, until done or the client leaves. */
  function stream(res: ServerResponse, total: number): void {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    res.write('{"result":"');
    const pump = (): void => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end('"}');
    };
    pump();
  }

  it('refuses a 30 MB answer announced by Content-Length without reading it', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(30 * MB + 13) });
      stream(res, 30 * MB);
    };
    const started = performance.now();
    const err = await refusal(createOpaHttpBackend(url, { timeoutMs: 10_000 }).decide(input, DEPLOY));
    await clientGone;

    expect(err.code).toBe('policy_error');
    expect(err.userMessage).toMatch(/larger than the 1048576-byte limit/);
    expect(err.userMessage).toContain('nothing was done');
    expect(written).toBeLessThan(15 * MB);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a 30 MB chunked answer (no Content-Length) once the running total passes the cap', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      stream(res, 30 * MB);
    };
    const err = await refusal(createOpaHttpBackend(url, { timeoutMs: 10_000 }).decide(input, DEPLOY));
    await clientGone;

    expect(err.code).toBe('policy_error');
    expect(err.userMessage).toMatch(/larger than the 1048576-byte limit \(more was being sent\)/);
    expect(written).toBeLessThan(15 * MB);
  });

  it('the cap is an option: a normal decision over a tiny cap is refused, under the default accepted', async () => {
    handle = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: DECISION })); };
    expect((await refusal(createOpaHttpBackend(url, { maxBodyBytes: 20 }).decide(input, DEPLOY))).code).toBe('policy_error');
    expect(await createOpaHttpBackend(url).decide(input, DEPLOY)).toEqual(DECISION);
  });

  it('a body that dribbles in fails within the timeout: it covers the whole exchange, not only the headers', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify({ result: DECISION });
      let i = 0;
      const t = setInterval(() => {
        if (res.destroyed || i >= text.length) {
          clearInterval(t);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(text[i++] ?? '');
      }, 50);
    };
    const started = performance.now();
    const err = await refusal(createOpaHttpBackend(url, { timeoutMs: 300 }).decide(input, DEPLOY));
    const ms = performance.now() - started;

    expect(err.code).toBe('policy_backend_unavailable');
    expect(err.userMessage).toContain('no answer within 300 ms');
    expect(err.userMessage).toContain('nothing was done');
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(1_500);
  });

  it('a server that never answers fails within the timeout', async () => {
    handle = () => { /* never answers */ };
    const err = await refusal(createOpaHttpBackend(url, { timeoutMs: 200 }).decide(input, DEPLOY));
    expect(err.code).toBe('policy_backend_unavailable');
    expect(err.userMessage).toContain('no answer within 200 ms');
  });

  it.each([500, 502, 503, 429])('HTTP %i is "unavailable" (worth asking again)', async (status) => {
    handle = (_req, res) => { res.writeHead(status, { 'content-type': 'application/json' }).end('{"code":"internal_error","message":"boom"}'); };
    const err = await refusal(createOpaHttpBackend(url).decide(input, DEPLOY));
    expect(err.code).toBe('policy_backend_unavailable');
    expect(err.userMessage).toContain(`HTTP ${status}`);
    expect(err.userMessage).toContain('nothing was done');
  });

  it.each([404, 400, 401])('HTTP %i is a policy error (asking again will not help)', async (status) => {
    handle = (_req, res) => { res.writeHead(status).end('nope'); };
    const err = await refusal(createOpaHttpBackend(url).decide(input, DEPLOY));
    expect(err.code).toBe('policy_error');
    expect(err.userMessage).toContain(`HTTP ${status}`);
  });

  it('a connection dropped mid-answer is "unavailable"', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"result":{"allow":tr');
      setTimeout(() => res.destroy(), 20);
    };
    expect((await refusal(createOpaHttpBackend(url).decide(input, DEPLOY))).code).toBe('policy_backend_unavailable');
  });

  it.each([
    ['not JSON', 'allow: true', /not JSON/],
    ['a JSON array', '[{"result":true}]', /not a Data API response/],
    ['JSON null', 'null', /not a Data API response/],
    ['no result (undefined document)', '{}', /has no data\.deckhand\.deploy\.decision/],
    ['a result of the wrong type', '{"result":true}', /does not follow the decision contract/],
    ['allow as a string', JSON.stringify({ result: { ...DECISION, allow: 'yes' } }), /does not follow the decision contract/],
    ['a decision with fields it may not have', JSON.stringify({ result: { ...DECISION, override: true } }), /does not follow the decision contract/],
    ['negative approval counts', JSON.stringify({ result: { ...DECISION, approvals: { required: -1, have: 0, eligible: [] } } }), /does not follow the decision contract/],
    ['an empty body', '', /not JSON/],
  ])('refuses %s as a policy error', async (_what, body, message) => {
    handle = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(body); };
    const err = await refusal(createOpaHttpBackend(url).decide(input, DEPLOY));
    expect(err.code).toBe('policy_error');
    expect(err.userMessage).toMatch(message);
    expect(err.userMessage).toContain('fail closed');
  });

  it('credentials in the policy URL go as Basic auth (fetch refuses them in the URL)', async () => {
    let seen: string | undefined;
    handle = (req, res) => {
      seen = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: DECISION }));
    };
    const withCreds = url.replace('http://', 'http://opa-user:p%40ss@');
    expect(await createOpaHttpBackend(withCreds).decide(input, DEPLOY)).toEqual(DECISION);
    expect(seen).toBe(`Basic ${Buffer.from('opa-user:p@ss').toString('base64')}`);
  });

  it('an unreachable server is "unavailable" and its message names no address', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await refusal(createOpaHttpBackend(`http://opa-user:opa-s3cret@127.0.0.1:${port}`).decide(input, DEPLOY));
    expect(err.code).toBe('policy_backend_unavailable');
    expect(err.userMessage).toContain('ECONNREFUSED');
    expect(err.userMessage).not.toContain('opa-s3cret');
    expect(err.userMessage).not.toContain(String(port));
  });

  describe('decideWithRetry', () => {
    it('asks again after an outage and returns the decision of the second try', async () => {
      handle = (_req, res) => {
        if (requests === 1) res.writeHead(503).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: DECISION }));
      };
      const started = performance.now();
      expect(await decideWithRetry(createOpaHttpBackend(url), input, DEPLOY, { attempts: 2, delayMs: 150 })).toEqual(DECISION);
      expect(requests).toBe(2);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('gives up after its attempts with the last error, within attempts × timeout + delays', async () => {
      handle = () => { /* never answers */ };
      const started = performance.now();
      const err = await refusal(decideWithRetry(createOpaHttpBackend(url, { timeoutMs: 200 }), input, DEPLOY, { attempts: 3, delayMs: 100 }));
      const ms = performance.now() - started;
      expect(err.code).toBe('policy_backend_unavailable');
      expect(requests).toBe(3);
      expect(ms).toBeGreaterThanOrEqual(3 * 200 + 2 * 100 - 20);
      expect(ms).toBeLessThan(3 * 200 + 2 * 100 + 1_000);
    });

    it('does not ask again after a policy error (a bad answer does not improve)', async () => {
      handle = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":{"allow":true}}'); };
      const err = await refusal(decideWithRetry(createOpaHttpBackend(url), input, DEPLOY, { attempts: 5, delayMs: 10 }));
      expect(err.code).toBe('policy_error');
      expect(requests).toBe(1);
    });

    it('rethrows whatever else a backend throws, untouched and unretried', async () => {
      let calls = 0;
      const boom = new Error('not a DeckhandError');
      const backend: PolicyBackend = { id: 'embedded', decide: async () => { calls++; throw boom; } };
      expect(await decideWithRetry(backend, input, DEPLOY, { attempts: 3, delayMs: 1 }).catch((e: unknown) => e)).toBe(boom);
      expect(calls).toBe(1);
      expect(isDeckhandError(boom)).toBe(false);
    });
  });
});
