import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGracefulShutdown, createHttpServer, type HttpServer } from '../../src/http/index.ts';
import type { Deckhand } from '../../src/main.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { startWorld, type World } from '../helpers/world.ts';

const TOKEN = 'int-test-token-5b1e0c';
const auth = { authorization: `Bearer ${TOKEN}` };

/** The wiring main.ts needs, written the way the report proposes it, against a real Deckhand. */
function serverFor(app: Deckhand): HttpServer {
  const metrics = createMetrics();
  metrics.trackQueueDepth(() => app.queue.counts());
  return createHttpServer({
    log: createLogger({ level: 'silent' }),
    readiness: {
      redis: async () => { await app.deploys.list({ limit: 1 }); },
      kubernetes: () => app.kube.ping(),
    },
    metrics: metrics.render,
    api: { token: TOKEN, deploys: app.deploys, audit: app.audit },
  });
}

describe('the HTTP server on a running Deckhand (real Redis, simulated cluster)', () => {
  let world: World;
  let http: HttpServer;
  let url: string;
  beforeEach(async () => {
    world = await startWorld();
    http = serverFor(world.app);
    ({ url } = await http.listen(0, '127.0.0.1'));
  });
  afterEach(async () => {
    await http.close({ timeoutMs: 100 });
    await world.stop();
  });

  it('given a finished deploy, the API, readiness and metrics answer from the real stores', async () => {
    await world.say('/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'succeeded');

    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok', kubernetes: 'ok' } });

    const list = (await (await fetch(`${url}/api/deploys?service=api&env=staging`, { headers: auth })).json()) as { deploys: { id: string; phase: string }[] };
    expect(list.deploys.map((d) => [d.id, d.phase])).toEqual([['1', 'succeeded']]);

    const one = (await (await fetch(`${url}/api/deploys/1`, { headers: auth })).json()) as { deploy: { service: string } };
    expect(one.deploy.service).toBe('api');

    const audit = (await (await fetch(`${url}/api/audit?deploy=1&limit=100`, { headers: auth })).json()) as { events: { deployId?: string }[] };
    expect(audit.events.length).toBeGreaterThan(1);
    expect(audit.events.every((e) => e.deployId === '1')).toBe(true);

    expect((await fetch(`${url}/api/deploys`)).status).toBe(401);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/deckhand_queue_depth\{state="active"\} \d+/);
  });

  it('is not ready when the Kubernetes API is gone', async () => {
    await world.sim.close();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: Record<string, string> }).checks.kubernetes).toBe('unreachable');
  });

  it('given a rollout in progress, when the process shuts down gracefully, then the next process finishes it', async () => {
    const phases: string[] = [];
    world.app.onDeployEvent((e) => { if (e.kind === 'phase') phases.push(e.phase); });
    await world.say('/deploy api v1.5.0 to staging');
    await world.waitForPhase('1', 'rolling_out');
    const shutdown = createGracefulShutdown({ server: http, drainDelayMs: 50, stopWork: () => world.app.stop(), log: createLogger({ level: 'silent' }) });

    await shutdown.shutdown('SIGTERM');

    expect(http.draining).toBe(true);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // The first process stopped mid-rollout: it never saw the deploy end.
    expect(phases).toContain('rolling_out');
    expect(phases).not.toContain('succeeded');
    await world.restart();
    const d = await world.waitForPhase('1', ['succeeded', 'failed', 'rolled_back'], 30_000);
    expect(d.phase).toBe('succeeded');
    const patches = world.sim.requests.filter((r) => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/staging/deployments/api');
    expect(patches).toHaveLength(1);
  });
});
