import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.ts';
import { spawnOwned, waitUntilReady } from './owned-process.ts';

export interface SpawnedPrometheus {
  /** `http://127.0.0.1:PORT` — the HTTP API Deckhand queries (PROMETHEUS_URL). */
  url: string;
  /** The `file_sd_configs` file it watches: the simulator writes the pods to scrape here. */
  targetsFile: string;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** Scrape and rule evaluation interval (default 1 s: a fresh canary has two samples for `rate()` within seconds). */
  intervalMs?: number;
  /** Alerting rule files (Prometheus YAML), by file name. */
  rules?: Record<string, string>;
  /** Where firing alerts go: an Alertmanager's base URL. */
  alertmanagerUrl?: string;
  /** The binary (default `prometheus`, Debian's package). */
  command?: string;
}

/** Prometheus reads YAML, of which JSON is a subset: the config is written as JSON, with no YAML library. */
export function prometheusConfig(o: { intervalMs: number; targetsFile: string; ruleFiles: string[]; alertmanagerUrl?: string }): string {
  const every = `${Math.max(1, Math.round(o.intervalMs / 1000))}s`;
  return `${JSON.stringify({
    global: { scrape_interval: every, scrape_timeout: every, evaluation_interval: every },
    rule_files: o.ruleFiles,
    ...(o.alertmanagerUrl && { alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(o.alertmanagerUrl).host] }] }] } }),
    scrape_configs: [{
      job_name: 'pods',
      // Prometheus watches the file (inotify) and re-reads it; the refresh is the fallback where inotify is missing.
      file_sd_configs: [{ files: [o.targetsFile], refresh_interval: '5s' }],
    }],
  }, null, 2)}\n`;
}

/**
 * Starts a real Prometheus (Debian's `prometheus` 2.x) on a free loopback port, with its data in a temp dir removed
 * on stop, scraping the targets of a `file_sd_configs` file. It is stopped by `stop()`, and also when this process
 * dies without calling it (see owned-process.ts). Throws `monitoring_not_started` when it is missing or does not
 * come up; `isInstalled('prometheus')` tells beforehand.
 */
export async function spawnPrometheus(o: PrometheusOptions = {}): Promise<SpawnedPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'deckhand-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const targetsFile = join(dir, 'targets', 'pods.json');
  await mkdir(join(dir, 'targets'));
  await writeFile(targetsFile, '[]\n');
  const ruleFiles: string[] = [];
  for (const [name, text] of Object.entries(o.rules ?? {})) {
    const path = join(dir, name);
    await writeFile(path, text);
    ruleFiles.push(path);
  }
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, prometheusConfig({ intervalMs: o.intervalMs ?? 1000, targetsFile, ruleFiles, alertmanagerUrl: o.alertmanagerUrl }));
  const proc = spawnOwned(o.command ?? 'prometheus', [
    `--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    // Alerts link back here (generatorURL), so the link on a card opens this Prometheus.
    `--web.external-url=${url}`, '--log.level=warn',
  ], { dir });
  const stop = async (): Promise<void> => {
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady('prometheus', `${url}/-/ready`, proc);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, targetsFile, stop };
}
