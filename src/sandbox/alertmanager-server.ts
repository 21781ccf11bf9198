import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.ts';
import { spawnOwned, waitUntilReady } from './owned-process.ts';

export interface SpawnedAlertmanager {
  /** `http://127.0.0.1:PORT` — where Prometheus sends its alerts. */
  url: string;
  stop(): Promise<void>;
}

export interface AlertmanagerOptions {
  /** The webhook receiver's URL: Deckhand's `/alertmanager/webhook`. */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer …` on every notification (Deckhand's ALERTMANAGER_TOKEN). */
  bearerToken: string;
  /** The binary (default `prometheus-alertmanager`, Debian's name for it). */
  command?: string;
}

/**
 * The Alertmanager config: one route to one webhook receiver, notified at once (`group_wait: 0s`) and again when the
 * alert resolves, authenticated with `http_config.authorization` (Alertmanager ≥ 0.22). Grouped by alert, service
 * and environment, so each service's alert is its own notification. JSON, which Alertmanager reads as YAML.
 */
export function alertmanagerConfig(o: { webhookUrl: string; bearerToken: string }): string {
  return `${JSON.stringify({
    route: { receiver: 'deckhand', group_by: ['alertname', 'service', 'env'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [{
      name: 'deckhand',
      webhook_configs: [{ url: o.webhookUrl, send_resolved: true, http_config: { authorization: { type: 'Bearer', credentials: o.bearerToken } } }],
    }],
  }, null, 2)}\n`;
}

/**
 * Starts a real Alertmanager (Debian's `prometheus-alertmanager` 0.2x) on a free loopback port, clustering off,
 * with its config (which holds the token: mode 0600) and state in a temp dir removed when it exits. Stopped by
 * `stop()`, and when this process dies (owned-process.ts).
 */
export async function spawnAlertmanager(o: AlertmanagerOptions): Promise<SpawnedAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'deckhand-alertmanager-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, alertmanagerConfig(o), { mode: 0o600 });
  const proc = spawnOwned(o.command ?? 'prometheus-alertmanager', [
    `--config.file=${configFile}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    // No gossip: a single private instance must not bind the cluster port (9094) nor look for peers.
    '--cluster.listen-address=', `--web.external-url=${url}`, '--log.level=warn',
  ], { dir });
  try {
    await waitUntilReady('alertmanager', `${url}/-/ready`, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url, stop: () => proc.stop() };
}
