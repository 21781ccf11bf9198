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
      if (child.exitCode === NOT_FOUND) return reject(new DeckhandError('redis_not_installed', `redis-server was not found on PATH. ${INSTALL_HINT}`));
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
 * The wrapper redis-server runs under. It holds a pipe from Deckhand on its stdin and stops redis-server when that
 * pipe closes — which the kernel does when Deckhand exits in any way, SIGKILL and crashes included — so a private
 * redis-server never outlives the process that spawned it. It exits with redis-server's own status.
 */
const WRAPPER = [
  'exec 3<&0 0</dev/null',
  'redis-server "$@" 3<&- &',
  'pid=$!',
  "trap 'kill -TERM \"$pid\" 2>/dev/null' TERM INT HUP",
  // Background jobs get /dev/null as stdin, so the watcher reads the pipe through fd 3.
  '( cat <&3 >/dev/null 2>&1; kill -TERM "$pid" 2>/dev/null ) &',
  'exec 3<&-',
  // A trapped signal interrupts `wait`: wait again until redis-server itself has finished (its AOF written).
  'while :; do wait "$pid"; status=$?; kill -0 "$pid" 2>/dev/null || exit "$status"; done',
].join('\n');

/** sh's status for "command not found". */
const NOT_FOUND = 127;

/**
 * Starts a private redis-server on a free loopback port, with AOF on so a restart of the same server
 * (same dir) keeps every job: the sandbox and the tests rely on that to survive restarts. It is stopped by
 * `stop()`, and also when this process dies without calling it.
 */
export async function spawnRedis(options: { port?: number; dir?: string; /** Required from clients (tests of a refused login). */ password?: string } = {}): Promise<SpawnedRedis> {
  const port = options.port ?? await freePort();
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'deckhand-redis-'));
  const ownsDir = options.dir === undefined;
  // detached: its own process group, so a Ctrl-C on the terminal reaches Deckhand only, which stops redis-server
  // after it has closed its own connections (a redis-server gone first would hold up that stop).
  const child = spawn('sh', ['-c', WRAPPER, 'deckhand-redis',
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction', '--loglevel', 'warning',
    ...(options.password !== undefined ? ['--requirepass', options.password] : []),
  ], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  // Nothing is ever written: the pipe only has to stay open while this process lives.
  child.stdin?.on('error', () => {});
  child.stderr?.resume();
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', reject);
  });
  try {
    await Promise.race([waitForPort(port, child, 10_000), spawnError]);
  } catch (err) {
    child.stdin?.end();
    if (ownsDir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: options.password !== undefined ? `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // Closing the pipe is the same path as this process dying: the wrapper stops redis-server and exits.
        child.stdin?.end();
        const nudge = setTimeout(() => child.kill('SIGTERM'), 5000);
        await exited;
        clearTimeout(nudge);
      }
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
