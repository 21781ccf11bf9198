import { createReadStream } from 'node:fs';
import { secretsOf, type Config } from '../config/index.ts';
import { createGracefulShutdown } from '../http/index.ts';
import { startDeckhand } from '../main.ts';
import { configuredParts, needsSandboxParts } from '../sandbox/configured-parts.ts';
import { SANDBOX_DIR } from '../sandbox/sandbox-files.ts';
import { createLogger, installFinalHandler, maskProcessOutput, type Logger } from '../telemetry/index.ts';
import { loadConfigOrReport } from './load-config-or-report.ts';

/**
 * `deckhand start`. With Slack or Discord configured (or in a pod) it serves them on one HTTP server until SIGTERM;
 * otherwise it is the sandbox's console chat — interactive on a terminal, or running the lines of --script (or piped
 * in) and exiting. Either way the app is built by the composition root (main.ts) from the config, with the sandbox
 * adding whatever is not configured (a redis-server, the simulated cluster, Prometheus, GitHub, Discord).
 *
 * The process ends when this returns, even if a connection abandoned at a deadline would keep Node running.
 */
export async function runStart(args: { config?: string; script?: string }): Promise<number> {
  const config = await loadConfigOrReport(args.config);
  if (!config) return 1;
  // Before anything that could print: libraries that write errors to the console on their own (an ioredis or
  // BullMQ error dump carries the Redis password) go through the same masking as Deckhand's log, and a fault
  // nothing caught is logged masked and stops the process with exit code 1 instead of a raw dump.
  const secrets = secretsOf(config);
  maskProcessOutput(secrets);
  const log = createLogger({ level: config.runtime.logLevel, secrets });
  installFinalHandler({ log });
  const servesChat = config.runtime.slack !== undefined || config.runtime.discord !== undefined || config.runtime.inCluster;
  let code: number;
  if (servesChat) {
    code = await serve(config, log);
  } else {
    const input = args.script ? createReadStream(args.script, 'utf8') : process.stdin;
    const interactive = !args.script && process.stdin.isTTY === true && process.stdout.isTTY === true;
    const { runSandbox } = await import('../sandbox/index.ts');
    code = await runSandbox({ config, input, output: process.stdout, interactive });
  }
  process.exit(code);
}

/** Chat platforms on one HTTP server (plus /healthz, /readyz, /metrics, /api) until SIGTERM or Ctrl-C. */
async function serve(config: Config, log: Logger): Promise<number> {
  const say = (line: string): void => { process.stdout.write(`${line}\n`); };
  // The simulators are hundreds of modules (a simulated cluster, Argo CD, Argo Rollouts, CRD schemas …): imported only
  // when something is not configured, so a production process never loads them.
  const parts = needsSandboxParts(config)
    ? await (await import('../sandbox/index.ts')).startSandboxParts(config, { stateDir: SANDBOX_DIR, print: say, webhookPort: config.runtime.port })
    : configuredParts(config);
  try {
    const app = await startDeckhand({ config: parts.config, ...parts.deckhand, log, http: { port: config.runtime.port } });
    const http = app.http;
    if (!http) throw new Error('the HTTP server did not start');
    const platforms = [
      app.slack && `Slack (${app.slack.mode === 'socket' ? 'Socket Mode' : 'POST /slack/events'})`,
      app.discord && 'Discord (POST /discord/interactions)',
    ].filter(Boolean);
    say(`Deckhand serving ${platforms.join(' and ') || 'no chat platform'} on port ${http.port} — ${parts.describe().join(' · ')}.`);
    return await new Promise<number>((resolve) => {
      createGracefulShutdown({ server: http.server, stopWork: (graceMs) => app.stop({ graceMs }), log, exit: resolve }).install();
    });
  } finally {
    await parts.close();
  }
}
