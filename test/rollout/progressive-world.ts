import type { Deploy } from '../../src/deploy/index.ts';
import { worldConfig, startWorld, type World } from '../helpers/world.ts';
import { startSimPrometheus, type SimPrometheus } from '@deckhand/sim/prometheus';
import { simMetricsFromConfig } from '../../src/sandbox/sim-metrics-from-config.ts';
import type { DeckhandOptions } from '../../src/main.ts';

/**
 * A catalog for progressive delivery: `api` (4 replicas) canaries by replica ratio, `web` (4 replicas) by HTTPRoute
 * weights; holds and intervals are short. Versions: v1.5.0 healthy, v1.5.2 8% 5xx, v1.5.3 silent (no metrics),
 * v1.5.1 never ready, v1.5.4 fails its probe.
 */
export const PROGRESSIVE_CONFIG = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 4, progressDeadlineSeconds: 3 }
    canary: { steps: [5, 25, 50, 100], hold: 400ms, traffic: { kind: replicas } }
    analysis: { interval: 200ms, failureLimit: 1 }
    probes: [{ path: /healthz, expectStatus: 200, timeout: 1s }]
    bluegreen: { keepOldFor: 1s }
  web:
    team: storefront
    repository: acme/web
    image: registry.local/acme/web
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      staging: { namespace: staging, deployment: web, container: web, replicas: 4, progressDeadlineSeconds: 3 }
    canary: { steps: [10, 30, 60, 100], hold: 300ms, traffic: { kind: httproute, route: web } }
    analysis: { interval: 150ms }
groups:
  payments: [alice, dave]
  storefront: [alice]
  approvers: [bob, carol]
sandbox:
  readyDelayMs: 50
  requestsPerSecond: 100
  services:
    api:
      running: v1.4.0
      versions: [v1.4.0, v1.5.0, v1.5.1, v1.5.2, v1.5.3, v1.5.4]
      faulty: [v1.5.1]
      profiles: { v1.5.2: { errorRate: 0.08 }, v1.5.3: { silent: true }, v1.5.4: { probeStatus: 503 } }
    web: { running: v2.0.0, versions: [v2.0.0, v2.1.0, v2.2.0], profiles: { v2.2.0: { p99Ms: 1500 } } }
`;

export interface ProgressiveWorld extends World {
  prometheus: SimPrometheus;
}

/** The console-chat world of test/helpers with a simulated Prometheus (over HTTP) as PROMETHEUS_URL. */
export async function startProgressiveWorld(o: { config?: string; deckhand?: Partial<DeckhandOptions> } = {}): Promise<ProgressiveWorld> {
  const base = worldConfig(o.config ?? PROGRESSIVE_CONFIG);
  let kubeUrl = '';
  const prometheus = await startSimPrometheus({ kubeUrl: () => kubeUrl, ...simMetricsFromConfig(base) });
  const config = worldConfig(o.config ?? PROGRESSIVE_CONFIG, { PROMETHEUS_URL: prometheus.url });
  const world = await startWorld({ config, deckhand: { progressive: { podUrl: (ns, pod) => prometheus.podUrl(ns, pod), pollMs: 50 }, ...o.deckhand } });
  kubeUrl = world.sim.url;
  const stop = world.stop.bind(world);
  return Object.assign(world, { prometheus, stop: async () => { await stop(); await prometheus.close(); } });
}

/** The phases a progressive deploy ends in. */
export const END = ['succeeded', 'failed', 'rolled_back', 'aborted'] as const;

/** Waits until `ok` holds for what `read` returns (a deploy record, usually). */
export async function until(what: string, read: () => Promise<Deploy | undefined>, ok: (d: Deploy | undefined) => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok(await read())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
