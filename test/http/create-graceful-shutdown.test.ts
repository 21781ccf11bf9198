import { afterEach, describe, expect, it } from 'vitest';
import { createGracefulShutdown, createHttpServer, type HttpServer } from '../../src/http/index.ts';

let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close({ timeoutMs: 50 });
  http = undefined;
});

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function startSlowServer(order: string[] = []): Promise<{ http: HttpServer; url: string }> {
  http = createHttpServer();
  // A chat ingress that takes a while: it must finish even though shutdown starts while it runs.
  http.mount('/slow', async (_req, res) => {
    await delay(300);
    res.end('done', () => order.push('in-flight answered'));
  });
  const { url } = await http.listen(0, '127.0.0.1');
  return { http, url };
}

describe('graceful shutdown with a real server', () => {
  it('turns unready, finishes requests in flight, refuses new connections, then stops work', async () => {
    const order: string[] = [];
    const { http: server, url } = await startSlowServer(order);
    const shutdown = createGracefulShutdown({
      server,
      drainDelayMs: 100,
      stopWork: async () => { order.push('stopWork'); },
    });

    const inFlight = fetch(`${url}/slow`, { method: 'POST' }).then((r) => r.text());
    await delay(20);
    const done = shutdown.shutdown('SIGTERM').then(() => order.push('shut down'));

    // During the drain delay the pod still serves, but says it is not ready.
    const readyz = await fetch(`${url}/readyz`, { headers: { connection: 'close' } });
    expect(readyz.status).toBe(503);
    expect(readyz.headers.get('connection')).toBe('close');

    expect(await inFlight).toBe('done');
    await done;
    expect(order).toEqual(['in-flight answered', 'stopWork', 'shut down']);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('runs once however often it is asked', async () => {
    const { http: server } = await startSlowServer();
    let stops = 0;
    const shutdown = createGracefulShutdown({ server, drainDelayMs: 0, stopWork: async () => { stops++; } });
    await Promise.all([shutdown.shutdown('a'), shutdown.shutdown('b')]);
    expect(stops).toBe(1);
  });

  it('rejects when stopping work overruns the budget', async () => {
    const { http: server } = await startSlowServer();
    const shutdown = createGracefulShutdown({ server, drainDelayMs: 0, timeoutMs: 100, stopWork: () => delay(1000) });
    await expect(shutdown.shutdown('SIGTERM')).rejects.toThrow(/longer than 100 ms/);
  });

  it('on SIGTERM exits 0 after shutting down; a second signal exits 1 at once', async () => {
    const { http: server } = await startSlowServer();
    const exits: number[] = [];
    let finishWork: () => void = () => {};
    const shutdown = createGracefulShutdown({
      server, drainDelayMs: 0,
      stopWork: () => new Promise<void>((r) => { finishWork = r; }),
      exit: (code) => exits.push(code),
    });
    const uninstall = shutdown.install(['SIGUSR2']);
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await delay(50);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(exits).toEqual([1]);
      finishWork();
      await shutdown.shutdown('again');
      await delay(0);
      expect(exits).toEqual([1, 0]);
    } finally {
      uninstall();
    }
  });
});
