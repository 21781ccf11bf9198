import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ScrapeTargetGroup } from './sim-prometheus.ts';

export interface FileSdWriter {
  /** Writes the current targets now (tests call it to skip a tick). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Keeps a Prometheus `file_sd_configs` file up to date with the simulated pods to scrape: every `intervalMs` it asks
 * `targets()` and rewrites the file when they changed. The file is replaced by rename, so Prometheus (which watches
 * the folder) never reads half of it. The first write is done before this resolves.
 */
export async function startFileSdWriter(o: { path: string; targets: () => Promise<ScrapeTargetGroup[]>; intervalMs?: number }): Promise<FileSdWriter> {
  let last = '';
  let stopped = false;
  // Not `*.json`: Prometheus reads only the files its glob names, never this one half-written.
  const temp = join(dirname(o.path), `.${basename(o.path)}.tmp`);
  const refresh = async (): Promise<void> => {
    const text = `${JSON.stringify(await o.targets(), null, 1)}\n`;
    if (text === last || stopped) return;
    await writeFile(temp, text);
    await rename(temp, o.path);
    last = text;
  };
  await refresh();
  let running = Promise.resolve();
  const timer = setInterval(() => {
    // One write at a time; a failed read of the cluster (it is stopping) waits for the next tick.
    running = running.then(refresh).catch(() => {});
  }, o.intervalMs ?? 250);
  timer.unref();
  const refreshNow = (): Promise<void> => {
    const done = running.then(refresh);
    running = done.catch(() => {});
    return done;
  };
  return { refresh: refreshNow, stop: () => { stopped = true; clearInterval(timer); } };
}
