import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** kubectl against the sim whose kubeconfig is in `dir`; extra env (e.g. to force SPDY) per call. */
export function kubectlIn(dir: string) {
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), ...extra });
  const args = (rest: string[]) => ['--cache-dir', join(dir, 'cache'), ...rest];

  /** Resolves with stdout/stderr and the exit code instead of throwing. */
  async function kubectl(rest: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<KubectlResult> {
    try {
      const child = run(KUBECTL, args(rest), { env: env(options.env), timeout: 45_000 });
      if (options.input !== undefined) child.child.stdin?.end(options.input);
      const { stdout, stderr } = await child;
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: number };
      return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
    }
  }

  async function ok(...rest: string[]): Promise<string> {
    const result = await kubectl(rest);
    if (result.code !== 0) throw new Error(`kubectl ${rest.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  /** A long-running kubectl (watch, port-forward); the caller kills it. */
  function start(rest: string[], extraEnv: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
    const child = spawn(KUBECTL, args(rest), { env: env(extraEnv) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    return { child, output: () => output };
  }

  return { kubectl, ok, start };
}

/** Table output as rows of cells (split on runs of 2+ spaces, as kubectl pads columns). */
export function table(output: string): string[][] {
  return output.trim().split('\n').filter((l) => l.trim() !== '').map((line) => line.trim().split(/\s{2,}/));
}

export async function waitForOutput(read: () => string | Promise<string>, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!pattern.test(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await read();
  }
}
