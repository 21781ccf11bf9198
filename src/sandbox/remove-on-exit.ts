import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';

/** A file this process wrote, known by something only its copy contains (another process may write it later). */
export interface OwnedFile {
  path: string;
  marker: string;
}

/** Deletes each `path` that still contains its `marker`; arguments come in pairs. */
const REMOVE_OWNED = 'cat >/dev/null 2>&1; while [ "$#" -gt 1 ]; do grep -qF -- "$2" "$1" 2>/dev/null && rm -f -- "$1"; shift 2; done';

/**
 * Removes `files` when this process ends, however it ends — Ctrl-C, SIGTERM, a crash or SIGKILL: a small shell holds
 * a pipe from this process and deletes them once the kernel closes it (the way redis-server.ts stops its child).
 * A file that describes a running sandbox (its kubeconfig) must not outlive it and point at a dead port. A file
 * some other process has rewritten since is left alone. `removeNow()` does the same at once, for an orderly exit.
 */
export function removeOnExit(files: readonly OwnedFile[]): { removeNow(): Promise<void> } {
  // Its own process group: a Ctrl-C on the terminal reaches Deckhand, which decides, not this watcher.
  const watcher = spawn('sh', ['-c', REMOVE_OWNED, 'deckhand-cleanup', ...files.flatMap((f) => [f.path, f.marker])], {
    stdio: ['pipe', 'ignore', 'ignore'], detached: true,
  });
  watcher.on('error', () => {});
  watcher.stdin?.on('error', () => {});
  // The watcher never keeps Deckhand running: it only waits for it to end. (A child's stdin pipe is a net.Socket.)
  watcher.unref();
  (watcher.stdin as Socket | null)?.unref();
  return {
    async removeNow() {
      for (const f of files) {
        const text = await readFile(f.path, 'utf8').catch(() => undefined);
        if (text?.includes(f.marker)) await rm(f.path, { force: true });
      }
      watcher.stdin?.end();
    },
  };
}
