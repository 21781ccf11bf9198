import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ServingProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
}

/**
 * Spawns a Deckhand that serves HTTP on `port` and resolves once `path` answers 2xx: `/readyz` for a process that
 * should reach its cluster and store, `/healthz` for one that serves without them. Throws with what it printed if it
 * exits first or is not there within `timeoutMs`.
 */
export async function spawnServing(
  command: string, args: string[], options: SpawnOptions & { port: number; path?: '/readyz' | '/healthz'; timeoutMs?: number },
): Promise<ServingProcess> {
  const { port, path = '/readyz', timeoutMs = 30_000, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr?.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  const served: ServingProcess = { child, base: `http://127.0.0.1:${port}`, output: () => out };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    if (await fetch(`${served.base}${path}`).then((r) => r.ok, () => false)) return served;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  throw new Error(`${command} ${args.join(' ')} never answered ${path}:\n${out}`);
}
