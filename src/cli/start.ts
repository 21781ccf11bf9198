import { createReadStream } from 'node:fs';
import { runSandbox } from '../sandbox/start-sandbox.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

/** `deckhand start`: interactive on a terminal; with --script (or piped stdin) it runs the lines and exits. */
export async function runStart(args: { config?: string; script?: string }): Promise<number> {
  const config = await loadConfigOrReport(args.config);
  if (!config) return 1;
  const input = args.script ? createReadStream(args.script, 'utf8') : process.stdin;
  const interactive = !args.script && process.stdin.isTTY === true && process.stdout.isTTY === true;
  return runSandbox({ config, input, output: process.stdout, interactive });
}
