import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter } from '../chat/console/index.ts';
import { slackAdapterFromConfig } from '../chat/slack/index.ts';
import type { Config } from '../config/index.ts';
import { isEndPhase } from '../deploy/index.ts';
import { isSettled, startDeckhand, type Deckhand } from '../main.ts';
import { createEmbeddedBackend, createOpaHttpBackend, readPolicyDir, type PolicyBackend } from '../policy/index.ts';
import { startSimCluster, type SeedDeployment, type SimCluster } from '../sim/kube/index.ts';
import { simMetricsFromConfig, startSimPrometheus, type SimPrometheus } from '../sim/prometheus/index.ts';
import { createLogger } from '../telemetry/index.ts';
import { spawnRedis, type SpawnedRedis } from './redis-server.ts';

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

/** The simulated cluster's starting state: each sandbox service in each environment, fully rolled out. */
export function seedFromConfig(config: Config): { seed: SeedDeployment[]; faulty: Set<string> } {
  const seed: SeedDeployment[] = [];
  const faulty = new Set<string>();
  for (const [name, sim] of Object.entries(config.sandbox?.services ?? {})) {
    const svc = config.services[name];
    if (!svc) continue;
    for (const v of sim.faulty) faulty.add(`${svc.image}:${v}`);
    for (const env of Object.values(svc.environments)) {
      seed.push({
        namespace: env.namespace, name: env.deployment, container: env.container, image: `${svc.image}:${sim.running}`,
        replicas: env.replicas, progressDeadlineSeconds: config.sandbox?.progressDeadlineSeconds ?? env.progressDeadlineSeconds,
        labels: { app: env.deployment },
      });
    }
  }
  return { seed, faulty };
}

export async function policyBackendFor(config: Config, policyDir: string): Promise<PolicyBackend> {
  if (config.runtime.policyUrl) return createOpaHttpBackend(config.runtime.policyUrl);
  return createEmbeddedBackend(await readPolicyDir(policyDir));
}

/**
 * `deckhand start` with nothing configured: a console chat, the simulated cluster and a private redis-server.
 * Each part is replaced by the real one when configured (REDIS_URL, KUBECONFIG), independently.
 * Resolves with the exit code: non-zero when any command was refused or any deploy did not succeed.
 */
export async function runSandbox(o: SandboxOptions): Promise<number> {
  const say = (line: string): void => { o.output.write(`${line}\n`); };
  const stateDir = o.stateDir ?? join(PACKAGE_ROOT, '.deckhand');
  await mkdir(stateDir, { recursive: true });
  let redis: SpawnedRedis | undefined;
  let sim: SimCluster | undefined;
  let prometheus: SimPrometheus | undefined;
  let app: Deckhand | undefined;
  try {
    let redisUrl = o.config.runtime.redisUrl;
    if (!redisUrl) {
      redis = await spawnRedis();
      redisUrl = redis.url;
    }
    let kubeconfigPath = o.config.runtime.kubeconfig;
    if (!kubeconfigPath) {
      const { seed, faulty } = seedFromConfig(o.config);
      sim = await startSimCluster({ seed, readyDelayMs: o.config.sandbox?.readyDelayMs, isFaultyImage: (image) => faulty.has(image) });
      kubeconfigPath = join(stateDir, 'kubeconfig');
      await sim.writeKubeconfig(kubeconfigPath);
    }
    // Canary analysis and probes: a simulated Prometheus over the simulated cluster, unless PROMETHEUS_URL is set.
    let config = o.config;
    if (sim && !o.config.runtime.prometheusUrl) {
      prometheus = await startSimPrometheus({ kubeUrl: sim.url, ...simMetricsFromConfig(o.config) });
      config = { ...o.config, runtime: { ...o.config.runtime, prometheusUrl: prometheus.url } };
    }
    const simProm = prometheus;
    const policy = await policyBackendFor(o.config, o.policyDir ?? join(PACKAGE_ROOT, 'policies'));
    if (o.interactive) {
      say(`Deckhand sandbox — redis ${redis ? `spawned on ${redisUrl}` : 'from REDIS_URL'}, cluster ${sim ? `simulated (kubectl: KUBECONFIG=${kubeconfigPath} kubectl get deploy -A)` : `from ${kubeconfigPath}`}, policy ${policy.id}.`);
      say(`You are @${o.config.chat.console.user}. Try: /deploy api v1.5.0 to staging · /status api · @bob /approve 1 · /help. Ctrl-C quits.`);
    }
    const slack = slackAdapterFromConfig(config, { log: createLogger({ level: config.runtime.logLevel, secrets: secretsOf(config) }) });
    if (slack) {
      // Slack credentials set: serve the Slack app (against the simulated cluster unless KUBECONFIG is set) until
      // Ctrl-C or SIGTERM; stdin is not read, so this also runs detached.
      app = await startDeckhand({
        config, progressive: simProm ? { podUrl: (ns, pod) => simProm.podUrl(ns, pod) } : undefined, redisUrl: redisUrl ?? '', kube: { kubeconfigPath }, policy, adapters: [slack],
        log: createLogger({ level: config.runtime.logLevel, secrets: secretsOf(config) }),
      });
      say(`Deckhand on Slack (${slack.mode === 'socket' ? 'Socket Mode' : `HTTP: Request URL path /slack/events on port ${config.runtime.port}`}) — redis ${redis ? `spawned on ${redisUrl}` : 'from REDIS_URL'}, cluster ${sim ? `simulated (kubectl: KUBECONFIG=${kubeconfigPath} kubectl get deploy -A)` : `from ${kubeconfigPath}`}, policy ${policy.id}.`);
      say('Try in a channel with the app: /deploy api v1.5.0 to staging · /status api · /help. Ctrl-C quits.');
      await new Promise<void>((res) => { process.once('SIGINT', () => res()); process.once('SIGTERM', () => res()); });
      return 0;
    }
    let failures = 0;
    let inputDone = false;
    const requested = new Set<string>();
    const ended = new Promise<void>((res) => {
      const adapter = new ConsoleAdapter({
        input: o.input, output: o.output, defaultUser: o.config.chat.console.user, live: o.interactive,
        onInputEnd: () => { inputDone = true; res(); },
        waitUntilSettled: async () => {
          while (!app || !(await isSettled(app.deploys))) await new Promise((r) => setTimeout(r, 100));
          await app.cards.flush();
        },
      });
      void startDeckhand({
        config, progressive: simProm ? { podUrl: (ns, pod) => simProm.podUrl(ns, pod) } : undefined, redisUrl: redisUrl ?? '', kube: { kubeconfigPath }, policy, adapters: [adapter],
        log: createLogger({ level: o.config.runtime.logLevel === 'info' ? 'warn' : o.config.runtime.logLevel }),
        onHandled: (_e, r) => { if (r.failed) failures++; if (r.deployId) requested.add(r.deployId); },
      }).then((a) => { app = a; });
    });
    if (o.interactive) {
      await new Promise<void>((res) => { process.once('SIGINT', () => res()); process.once('SIGTERM', () => res()); void ended.then(res); });
    } else {
      await ended;
    }
    while (!app) await new Promise((r) => setTimeout(r, 20));
    if (!o.interactive || inputDone) {
      while (!(await isSettled(app.deploys))) await new Promise((r) => setTimeout(r, 100));
      await app.cards.flush();
      for (const id of requested) {
        const d = await app.deploys.get(id);
        // Refusals were counted when they were answered; here count rollouts that did not succeed.
        if (d && isEndPhase(d.phase) && (d.phase === 'failed' || d.phase === 'rolled_back' || d.phase === 'expired')) failures++;
      }
    }
    return failures > 0 ? 1 : 0;
  } finally {
    await app?.stop();
    await prometheus?.close();
    await sim?.close();
    await redis?.stop();
  }
}

/** Secret values to mask in log lines wherever they appear. */
function secretsOf(config: Config): string[] {
  const s = config.runtime.slack;
  return [s?.botToken, s?.signingSecret, s?.appToken].filter((v): v is string => v !== undefined);
}

export function resolveScript(path: string): string {
  return resolve(process.cwd(), path);
}
