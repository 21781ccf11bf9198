import { spawn, type ChildProcess } from 'node:child_process';
import { DeckhandError } from '../errors.ts';

/**
 * The wrapper an owned program runs under (the same scheme as redis-server.ts): it holds a pipe from Deckhand on its
 * stdin and stops the program when that pipe closes — which the kernel does when Deckhand exits in any way, SIGKILL
 * and crashes included — so a spawned Prometheus or Alertmanager never outlives the process that started it.
 */
const WRAPPER = [
  'dir=$1; shift',
  'exec 3<&0 0</dev/null',
  '"$@" 3<&- &',
  'pid=$!',
  "trap 'kill -TERM \"$pid\" 2>/dev/null' TERM INT HUP",
  '( cat <&3 >/dev/null 2>&1; kill -TERM "$pid" 2>/dev/null ) &',
  'exec 3<&-',
  'while :; do wait "$pid"; status=$?; kill -0 "$pid" 2>/dev/null || break; done',
  // Its working folder goes with it, also when Deckhand was killed and could not remove it.
  'if [ -n "$dir" ]; then rm -rf -- "$dir"; fi',
  'exit "$status"',
].join('\n');

export interface OwnedProcess {
  readonly child: ChildProcess;
  /** The last lines the program wrote to stderr (its log), for an error that says why it did not start. */
  logTail(): string;
  /** Stops the program and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `command` with `args`, stopped by `stop()` or when this process ends; `dir` is removed once it has exited. */
export function spawnOwned(command: string, args: readonly string[], o: { dir?: string } = {}): OwnedProcess {
  // detached: its own process group, so a Ctrl-C on the terminal reaches Deckhand only, which decides.
  const child = spawn('sh', ['-c', WRAPPER, `deckhand-${command}`, o.dir ?? '', command, ...args], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  child.stdin?.on('error', () => {});
  child.on('error', () => {});
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => { tail = (tail + chunk.toString('utf8')).slice(-4000); });
  return {
    child,
    logTail: () => tail.trim().split('\n').slice(-5).join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.stdin?.end();
        const nudge = setTimeout(() => child.kill('SIGTERM'), 5000);
        await exited;
        clearTimeout(nudge);
      }
    },
  };
}

/** Polls `url` until it answers 200, the program exits, or `deadlineMs` passes; the error names which. */
export async function waitUntilReady(name: string, url: string, proc: OwnedProcess, deadlineMs = 20_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (proc.child.exitCode !== null) throw new DeckhandError('monitoring_not_started', `${name} exited with code ${proc.child.exitCode}: ${proc.logTail()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(async (r) => { await r.arrayBuffer(); return r.ok; }, () => false);
    if (ok) return;
    if (Date.now() - started > deadlineMs) throw new DeckhandError('monitoring_not_started', `${name} did not answer ${url} within ${deadlineMs} ms: ${proc.logTail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
