import { afterEach, describe, expect, it } from 'vitest';
import { DeckhandError } from '../../src/errors.ts';
import { createHttpServer, type DeploySource, type HttpServer } from '../../src/http/index.ts';

const TOKEN = 'store-down-api-token-0123';
let running: HttpServer | undefined;
afterEach(async () => {
  await running?.close({ timeoutMs: 100 });
  running = undefined;
});

async function apiWith(deploys: DeploySource, apiTimeoutMs?: number): Promise<string> {
  running = createHttpServer({
    api: { token: TOKEN, deploys, audit: { latest: async () => [], read: async () => [] } },
    ...(apiTimeoutMs !== undefined && { apiTimeoutMs }),
  });
  return (await running.listen(0, '127.0.0.1')).url;
}

async function get(url: string): Promise<{ status: number; body: { error?: { code: string; message: string } }; ms: number; retryAfter: string | null }> {
  const started = performance.now();
  const res = await fetch(`${url}/api/deploys`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: await res.json() as { error?: { code: string; message: string } }, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') };
}

describe('/api while the store is down', () => {
  it('answers 503 with the store error when the store refuses at once', async () => {
    const url = await apiWith({
      list: async () => { throw new DeckhandError('store_unavailable', "Deckhand can't reach its store right now; nothing was done."); },
      get: async () => undefined,
    });
    const res = await get(url);
    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe('store_unavailable');
  });

  it('answers 503 within its time budget when the store never answers, instead of hanging', async () => {
    const url = await apiWith({ list: () => new Promise(() => {}), get: async () => undefined }, 300);
    const res = await get(url);
    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe('not_ready');
    expect(res.retryAfter).toBe('5');
    expect(res.ms).toBeLessThan(2000);
  });
});
