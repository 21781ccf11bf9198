import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter } from '../chat/console/index.ts';
import type { DiscordAdapter, ReleaseNotifier } from '../chat/discord/index.ts';
import type { SlackAdapter } from '../chat/slack/index.ts';
import type { ChatAdapter } from '../chat/types.ts';
import { secretsOf, type Config } from '../config/index.ts';
import { isEndPhase } from '../deploy/index.ts';
import { createGracefulShutdown, createHttpServer } from '../http/index.ts';
import { isSettled, startDeckhand, type Deckhand } from '../main.ts';
import { createWorkflowRunIngress } from '../release-wiring.ts';
import { createEmbeddedBackend, createOpaHttpBackend, readPolicyDir, type PolicyBackend } from '../policy/index.ts';
import { createLogger, createMetrics, type Logger } from '../telemetry/index.ts';
import { startParts, type Parts } from './start-parts.ts';

export { seedFromConfig } from './seed-from-config.ts';
export { secretsOf } from '../config/index.ts';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SandboxOptions {
  config: Config;
  input: Readable;
  output: Writable;
  /** Interactive terminal: live progress lines, and run until Ctrl-C. Otherwise run the lines and exit. */
  interactive: boolean;
  policyDir?: string;
  /** Where the sandbox writes its kubeconfig (for kubectl). */
  stateDir?: string;
}

export async function policyBackendFor(config: Config, policyDir: string): Promise<PolicyBackend> {
  if (config.runtime.policyUrl) return createOpaHttpBackend(config.runtime.policyUrl);
  return createEmbeddedBackend(await readPolicyDir(policyDir));
}

// The chat SDKs are loaded only when their platform is used: each costs tens of MB of memory at rest.
async function notifierFor(parts: Parts, log: Logger): Promise<ReleaseNotifier | undefined> {
  const config = parts.config;
  const routes = config.discord?.releases.length ? config.discord.releases : parts.sandboxReleases;
  if (!routes) return undefined;
  const { createReleaseNotifier } = await import('../chat/discord/index.ts');
  return createReleaseNotifier({ config: { ...config, discord: { ...config.discord, releases: routes } }, log });
}

async function slackFor(config: Config, log: Logger): Promise<SlackAdapter | undefined> {
  if (!config.runtime.slack) return undefined;
  return (await import('../chat/slack/index.ts')).slackAdapterFromConfig(config, { log, listen: false });
}

async function discordFor(config: Config, log: Logger): Promise<DiscordAdapter | undefined> {
  if (!config.runtime.discord) return undefined;
  return (await import('../chat/discord/index.ts')).createDiscordAdapter({ ...config.runtime.discord, log });
}

/**
 * `deckhand start`. With Slack or Discord configured (or in a pod) it serves them on one HTTP server until
 * SIGTERM; otherwise it is the sandbox: a console chat. Redis, the cluster, Prometheus, GitHub and Discord are
 * each the real one when configured and simulated otherwise (see start-parts.ts).
 * Resolves with the exit code: in the console, non-zero when any command was refused or any deploy failed.
 */
export async function runSandbox(o: SandboxOptions): Promise<number> {
  const say = (line: string): void => { o.output.write(`${line}\n`); };
  const parts = await startParts(o.config, { stateDir: o.stateDir ?? join(PACKAGE_ROOT, '.deckhand'), print: say });
  const config = parts.config;
  const log = createLogger({ level: config.runtime.logLevel, secrets: secretsOf(config) });
  let notifier: ReleaseNotifier | undefined;
  try {
    const policy = await policyBackendFor(config, o.policyDir ?? join(PACKAGE_ROOT, 'policies'));
    notifier = await notifierFor(parts, log);
    const slack = await slackFor(config, log);
    // A refused token fails here, with one clear line, before Deckhand opens connections it would have to close.
    await slack?.preflight();
    const discord = await discordFor(config, log);
    const chatAdapters: ChatAdapter[] = [slack, discord].filter((a): a is NonNullable<typeof a> => a !== undefined);
    const base = { config, redisUrl: parts.redisUrl, kube: parts.kube, policy, progressive: parts.progressive, github: parts.github, notifier };
    if (chatAdapters.length || config.runtime.inCluster) {
      return await serve({ ...base, adapters: chatAdapters, log }, { slack, discord, parts, say });
    }
    return await runConsole(o, { ...base, log: createLogger({ level: config.runtime.logLevel === 'info' ? 'warn' : config.runtime.logLevel, secrets: secretsOf(config) }) }, parts, say);
  } finally {
    await notifier?.close();
    await parts.close();
  }
}

type BaseOptions = Omit<Parameters<typeof startDeckhand>[0], 'adapters'>;

/** Chat platforms on one HTTP server (plus /healthz, /readyz, /metrics, /api), until SIGTERM or Ctrl-C. */
async function serve(
  options: BaseOptions & { adapters: ChatAdapter[] },
  x: { slack: SlackAdapter | undefined; discord: DiscordAdapter | undefined; parts: Parts; say: (l: string) => void },
): Promise<number> {
  const metrics = createMetrics();
  const app = await startDeckhand({ ...options, metrics });
  const rt = options.config.runtime;
  const http = createHttpServer({
    log: options.log,
    metrics: metrics.render,
    readiness: { redis: async () => { await app.deploys.list({ limit: 1 }); }, kubernetes: () => app.kube.ping() },
    api: rt.apiToken ? { token: rt.apiToken, deploys: app.deploys, audit: app.audit } : undefined,
  });
  metrics.trackQueueDepth(() => app.queue.counts());
  // Chat ack latency: from the request's arrival to the end of Deckhand's answer (Slack wants it within 3 s).
  const timed = <R extends IncomingMessage>(platform: 'slack' | 'discord', handler: (req: R, res: ServerResponse) => void | Promise<void>) => (req: R, res: ServerResponse): void | Promise<void> => {
    const started = performance.now();
    res.once('finish', () => metrics.observeChatAck(platform, (performance.now() - started) / 1000));
    return handler(req, res);
  };
  if (x.slack?.requestListener) http.mount('/slack/events', timed('slack', x.slack.requestListener));
  if (x.discord) http.mount('/discord/interactions', timed('discord', x.discord.handler));
  if (rt.github.webhookSecret) {
    http.mount('/github/webhook', createWorkflowRunIngress({ secret: rt.github.webhookSecret, config: options.config, deploys: app.deploys, locks: app.locks, queue: app.queue }), { bodyLimitBytes: 25 * 1024 * 1024 });
  }
  await http.listen(rt.port);
  const platforms = [x.slack && `Slack (${x.slack.mode === 'socket' ? 'Socket Mode' : `POST /slack/events`})`, x.discord && 'Discord (POST /discord/interactions)'].filter(Boolean);
  x.say(`Deckhand serving ${platforms.join(' and ') || 'no chat platform'} on port ${rt.port} — ${x.parts.describe().join(' · ')}.`);
  await new Promise<void>((resolve) => {
    createGracefulShutdown({ server: http, stopWork: () => app.stop(), log: options.log, exit: () => resolve() }).install();
  });
  return 0;
}

/** The console chat: interactive on a terminal; otherwise it runs the lines it is given and exits. */
async function runConsole(o: SandboxOptions, options: BaseOptions, parts: Parts, say: (l: string) => void): Promise<number> {
  let app: Deckhand | undefined;
  if (o.interactive) {
    say(`Deckhand sandbox — ${parts.describe().join(' · ')}.`);
    say(`You are @${options.config.chat.console.user}. Try: /deploy api v1.5.0 to staging · /status api · @bob /approve 1 · /help. Ctrl-C quits.`);
  }
  let failures = 0;
  let inputDone = false;
  const requested = new Set<string>();
  try {
    // A start that fails (Redis refused the login …) ends the run with its message, whenever it fails.
    let startFailed: { err: unknown } | undefined;
    const ended = new Promise<void>((res, rej) => {
      const adapter = new ConsoleAdapter({
        input: o.input, output: o.output, defaultUser: options.config.chat.console.user, live: o.interactive,
        onInputEnd: () => { inputDone = true; res(); },
        waitUntilSettled: async () => {
          while (!app || !(await isSettled(app.deploys))) await new Promise((r) => setTimeout(r, 100));
          await app.cards.flush();
        },
      });
      startDeckhand({
        ...options, adapters: [adapter],
        onHandled: (_e, r) => { if (r.failed) failures++; if (r.deployId) requested.add(r.deployId); },
      }).then((a) => { app = a; }, (err: unknown) => { startFailed = { err }; rej(err); });
    });
    if (o.interactive) {
      await new Promise<void>((res, rej) => { process.once('SIGINT', () => res()); process.once('SIGTERM', () => res()); ended.then(res, rej); });
    } else {
      await ended;
    }
    while (!app) {
      if (startFailed) throw startFailed.err;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!o.interactive || inputDone) {
      while (!(await isSettled(app.deploys))) await new Promise((r) => setTimeout(r, 100));
      await app.cards.flush();
      await app.notices();
      for (const id of requested) {
        const d = await app.deploys.get(id);
        // Refusals were counted when they were answered; here count rollouts that did not succeed.
        if (d && isEndPhase(d.phase) && (d.phase === 'failed' || d.phase === 'rolled_back' || d.phase === 'expired')) failures++;
      }
    }
    return failures > 0 ? 1 : 0;
  } finally {
    await app?.stop();
  }
}
