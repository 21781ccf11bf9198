import { createReadStream } from 'node:fs';
import { secretsOf } from '../config/index.ts';
import { runSandbox } from '../sandbox/start-sandbox.ts';
import { createLogger, installFinalHandler, maskProcessOutput } from '../telemetry/index.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

/** `deckhand start`: interactive on a terminal; with --script (or piped stdin) it runs the lines and exits. */
export async function runStart(args: { config?: string; script?: string }): Promise<number> {
  const config = await loadConfigOrReport(args.config);
  if (!config) return 1;
  // Before anything that could print: libraries that write errors to the console on their own (an ioredis or
  // BullMQ error dump carries the Redis password) go through the same masking as Deckhand's log, and a fault
  // nothing caught is logged masked and stops the process with exit code 1 instead of a raw dump.
  const secrets = secretsOf(config);
  maskProcessOutput(secrets);
  installFinalHandler({ log: createLogger({ level: config.runtime.logLevel, secrets }) });
  const input = args.script ? createReadStream(args.script, 'utf8') : process.stdin;
  const interactive = !args.script && process.stdin.isTTY === true && process.stdout.isTTY === true;
  return runSandbox({ config, input, output: process.stdout, interactive });
}
