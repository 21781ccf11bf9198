import { PassThrough } from 'node:stream';
import { startSimPrometheus, type SimPrometheus } from '@deckhand/sim/prometheus';
import { secretsOf } from '../../src/config/index.ts';
import type { DeckhandOptions } from '../../src/main.ts';
import { simMetricsFromConfig } from '../../src/sandbox/sim-metrics-from-config.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';
import { PROGRESSIVE_CONFIG } from '../rollout/progressive-world.ts';

/** The progressive catalog, with link templates on `api` (Grafana dashboard, Kibana logs, Jaeger traces, Sentry). */
export const LINKED_CONFIG = PROGRESSIVE_CONFIG.replace(
  '    bluegreen: { keepOldFor: 1s }\n',
  `    bluegreen: { keepOldFor: 1s }
    links:
      grafana: 'https://grafana.example/d/abc/api?var-service={service}&var-env={env}&from={from}&to={to}'
      logs: 'https://kibana.example/app/discover#/?_g=(time:(from:{from},to:{to}))&_a=(query:(query:{version}))'
      traces: 'https://jaeger.example/search?service={service}&tags=%7B%22deploy%22%3A%22{deployId}%22%7D'
      sentry: 'https://sentry.example/organizations/acme/releases/{version}/'
`,
);

export interface MarkersWorld extends World {
  prometheus: SimPrometheus;
  /** Everything Deckhand logged (warn and up), as JSON lines. */
  logs(): string;
}

/**
 * The console-chat world (real Redis, the simulated cluster and Prometheus over HTTP), built through the composition
 * root with `env` as its environment: GRAFANA_*, PAGERDUTY_*, OTEL_* point at the test's local servers.
 */
export async function startMarkersWorld(env: Record<string, string>, o: { config?: string; deckhand?: Partial<DeckhandOptions> } = {}): Promise<MarkersWorld> {
  const text = o.config ?? LINKED_CONFIG;
  let kubeUrl = '';
  const prometheus = await startSimPrometheus({ kubeUrl: () => kubeUrl, ...simMetricsFromConfig(worldConfig(text)) });
  const config = worldConfig(text, { ...env, PROMETHEUS_URL: prometheus.url });
  let logged = '';
  const destination = new PassThrough();
  destination.on('data', (c: Buffer) => { logged += c.toString('utf8'); });
  const log = createLogger({ level: 'warn', secrets: secretsOf(config), destination });
  const world = await startWorld({ config, deckhand: { progressive: { podUrl: (ns, pod) => prometheus.podUrl(ns, pod), pollMs: 50 }, log, ...o.deckhand } });
  kubeUrl = world.sim.url;
  const stop = world.stop.bind(world);
  return Object.assign(world, { prometheus, logs: () => logged, stop: async () => { await stop(); await prometheus.close(); } });
}
