import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/** `deckhand sim` writes a kubeconfig for its cluster; it must not outlive the cluster and point at a dead port. */
describe('deckhand sim and its kubeconfig', () => {
  it.each([['SIGTERM'], ['SIGKILL']] as const)('the kubeconfig is gone after %s', async (signal) => {
    const kubeconfig = join(await mkdtemp(join(tmpdir(), 'deckhand-sim-')), 'kubeconfig');
    const child = spawn('node_modules/.bin/node', ['bin/deckhand.js', 'sim', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((r) => createInterface({ input: child.stdout! }).once('line', r));
    await expect.poll(() => existsSync(kubeconfig), { timeout: 5_000 }).toBe(true);
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
    await expect.poll(() => existsSync(kubeconfig), { timeout: 5_000 }).toBe(false);
  });
});
