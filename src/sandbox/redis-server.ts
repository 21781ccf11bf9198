import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeckhandError } from '../errors.ts';

export interface SpawnedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'Deckhand needs redis-server for its queue. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, ' +
  'macOS: `brew install redis`) or set REDIS_URL to a Redis you already run.';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new DeckhandError('redis_not_installed', `redis-server exited with code ${child.exitCode}. ${INSTALL_HINT}`));
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); resolve(); });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() - started > deadlineMs) reject(new DeckhandError('redis_not_installed', `redis-server did not start listening on port ${port}.`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/**
 * Starts a private redis-server on a free loopback port, with AOF on so a restart of the same server
 * (same dir) keeps every job: the sandbox and the tests rely on that to survive restarts.
 */
export async function spawnRedis(options: { port?: number; dir?: string } = {}): Promise<SpawnedRedis> {
  const port = options.port ?? await freePort();
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'deckhand-redis-'));
  const ownsDir = options.dir === undefined;
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction', '--loglevel', 'warning',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new DeckhandError('redis_not_installed', `redis-server was not found on PATH. ${INSTALL_HINT}`) : err);
    });
  });
  await Promise.race([waitForPort(port, child, 10_000), spawnError]);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
