import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadline } from '../../src/analysis/deadline.ts';
import { createHttpGet } from '../../src/analysis/http-get.ts';

let server: Server;
let base: string;
const peers = new Set<number>();
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    peers.add(req.socket.remotePort ?? 0);
    if (req.url?.startsWith('/slow')) return; // never answers
    if (req.url === '/moved') { res.writeHead(302, { location: '/health/' }).end('see /health/'); return; }
    if (req.url === '/loop') { res.writeHead(301, { location: '/loop' }).end(); return; }
    if (req.url?.startsWith('/hold')) {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setTimeout(() => { inFlight--; res.end('{}'); }, 100);
      return;
    }
    if (req.url?.startsWith('/big')) {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i < 17; i++) res.write(chunk);
      res.end();
      return;
    }
    res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, accept: req.headers.accept }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createHttpGet', () => {
  it('answers the status and the body, the query string as given', async () => {
    const get = createHttpGet();
    const url = new URL('/api/v1/query', base);
    url.searchParams.set('query', 'sum(rate(x{a="b c"}[1m]))');
    const ok = await get(url, new AbortController().signal);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ path: `/api/v1/query${url.search}`, accept: 'application/json, */*' });
    expect((await get(new URL('/missing', base), new AbortController().signal)).status).toBe(404);
  });

  it('follows redirects, as fetch did, and gives up on a loop', async () => {
    const get = createHttpGet();
    const moved = await get(new URL('/moved', base), new AbortController().signal);
    expect(moved.status).toBe(200);
    expect(JSON.parse(moved.text)).toMatchObject({ path: '/health/' });
    await expect(get(new URL('/loop', base), new AbortController().signal)).rejects.toThrow(`more than 5 redirects from ${base}/loop`);
  });

  it('keeps the connection alive between requests', async () => {
    const get = createHttpGet();
    peers.clear();
    for (let i = 0; i < 5; i++) await get(new URL('/again', base), new AbortController().signal);
    expect(peers.size).toBe(1);
  });

  it('has at most 20 requests in flight to one server (Prometheus\' own query concurrency); the rest wait their turn', async () => {
    const get = createHttpGet();
    mostInFlight = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => get(new URL('/hold', base), new AbortController().signal)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Never more than 20 at once; and they do run side by side (a slow machine may not have all 20 up together).
    expect(mostInFlight).toBeLessThanOrEqual(20);
    expect(mostInFlight).toBeGreaterThan(1);
  });

  it('rejects with the deadline\'s TimeoutError when no answer comes in time', async () => {
    const limit = deadline(new AbortController().signal, 100);
    const started = Date.now();
    await expect(createHttpGet()(new URL('/slow', base), limit.signal)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2000);
    limit.done();
  });

  it('rejects with the connection\'s own error where nothing listens, and refuses what is not HTTP', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createHttpGet()(new URL(`http://127.0.0.1:${port}/`), new AbortController().signal)).rejects.toThrow(`connect ECONNREFUSED 127.0.0.1:${port}`);
    await expect(createHttpGet()(new URL('ftp://example.com/x'), new AbortController().signal)).rejects.toThrow('ftp: is not an HTTP address');
  });

  it('gives up on an answer larger than 16 MB', async () => {
    await expect(createHttpGet()(new URL('/big', base), new AbortController().signal)).rejects.toThrow('larger than 16 MB');
  });
});
