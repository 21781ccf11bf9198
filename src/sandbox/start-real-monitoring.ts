import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.ts';
import { startFileSdWriter, type SimPrometheus } from '@deckhand/sim/prometheus';
import { alertRulesFromConfig } from './alert-rules.ts';
import { spawnAlertmanager, type SpawnedAlertmanager } from './alertmanager-server.ts';
import { isInstalled } from './is-installed.ts';
import { spawnPrometheus, type SpawnedPrometheus } from './prometheus-server.ts';
import { freePort } from './redis-server.ts';

export interface RealMonitoring {
  prometheusUrl: string;
  /** With an Alertmanager: where Deckhand must serve HTTP for its webhook, and the bearer token it must expect. */
  webhook?: { port: number; token: string };
  describe: string[];
  close(): Promise<void>;
}

/** Scrapes and rule evaluations every second: a fresh canary's pods have two samples for `rate()` soon after discovery. */
const INTERVAL_MS = 1000;

/**
 * The sandbox's real monitoring stack, when Debian's packages are installed: `prometheus` scraping the simulated pods'
 * `/metrics` through a `file_sd_configs` file the simulator keeps up to date, and — when `prometheus-alertmanager`
 * is installed too — an Alertmanager fed by the sandbox's alert rules (alert-rules.ts) that notifies Deckhand's
 * `/alertmanager/webhook` with a bearer token (the configured ALERTMANAGER_TOKEN, else one made up for this run).
 *
 * File discovery, not `kubernetes_sd_configs`: the simulated pods have no reachable addresses (each pod's HTTP
 * endpoint is a path on the simulator's one listener), and Prometheus' Kubernetes client would need the simulated API
 * server to speak protobuf lists and watches for pods and endpoints. Either way Prometheus (2.42) batches discovery
 * updates every 5 s, so a new pod is scraped 1–10 s after it is ready.
 */
export async function startRealMonitoring(config: Config, pods: SimPrometheus, o: { webhookPort?: number } = {}): Promise<RealMonitoring> {
  const withAlertmanager = isInstalled('prometheus-alertmanager');
  let alertmanager: SpawnedAlertmanager | undefined;
  let prometheus: SpawnedPrometheus | undefined;
  let stopWriter = (): void => {};
  const close = async (): Promise<void> => {
    stopWriter();
    await prometheus?.stop();
    await alertmanager?.stop();
  };
  try {
    const describe: string[] = [];
    let webhook: RealMonitoring['webhook'];
    if (withAlertmanager) {
      const token = config.runtime.signals?.alertmanagerToken ?? randomBytes(24).toString('base64url');
      const port = o.webhookPort ?? await freePort();
      alertmanager = await spawnAlertmanager({ webhookUrl: `http://127.0.0.1:${port}/alertmanager/webhook`, bearerToken: token });
      webhook = { port, token };
    }
    prometheus = await spawnPrometheus({
      intervalMs: INTERVAL_MS, rules: { 'deckhand-alerts.yml': alertRulesFromConfig(config) },
      ...(alertmanager && { alertmanagerUrl: alertmanager.url }),
    });
    const writer = await startFileSdWriter({ path: prometheus.targetsFile, targets: () => pods.scrapeTargets(), intervalMs: 250 });
    stopWriter = () => writer.stop();
    describe.push(`prometheus: real, at ${prometheus.url}, scraping the simulated pods' /metrics every ${INTERVAL_MS / 1000} s (file discovery)`);
    describe.push(alertmanager && webhook
      ? `alertmanager: real, at ${alertmanager.url} — HighErrorRate (5xx > 5%) alerts go to http://127.0.0.1:${webhook.port}/alertmanager/webhook`
      : 'alertmanager: not installed (apt-get install prometheus-alertmanager) — no alerts');
    return { prometheusUrl: prometheus.url, ...(webhook && { webhook }), describe, close };
  } catch (err) {
    await close();
    throw err;
  }
}
