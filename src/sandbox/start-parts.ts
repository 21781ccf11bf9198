import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import type { KubeSource } from '../kube/index.ts';
import type { DeckhandOptions } from '../main.ts';
import { startSandboxDiscord, type SandboxDiscord } from '../sim/discord/index.ts';
import { simGitHubOptionsFromConfig, startSimGitHub, type SimGitHub } from '../sim/github/index.ts';
import { startSimCluster, type SimCluster } from '../sim/kube/index.ts';
import { simMetricsFromConfig, startSimPrometheus, type SimPrometheus } from '../sim/prometheus/index.ts';
import { spawnRedis, type SpawnedRedis } from './redis-server.ts';
import { seedFromConfig } from './seed-from-config.ts';

/** What Deckhand runs against: each part is the real one when configured, else simulated or spawned here. */
export interface Parts {
  config: Config;
  redisUrl: string;
  kube: KubeSource;
  progressive?: DeckhandOptions['progressive'];
  github?: DeckhandOptions['github'];
  /** The release-notice routes when Discord is not configured (the simulated #releases channel). */
  sandboxReleases?: NonNullable<Config['discord']>['releases'];
  /** One line per part, for the start-up banner. */
  describe(): string[];
  close(): Promise<void>;
}

/**
 * Starts every part Deckhand needs that is not configured: a redis-server (no REDIS_URL), the simulated cluster
 * (no KUBECONFIG, not in a pod), and with it a simulated Prometheus, GitHub and Discord channel. The choices are
 * independent: e.g. Slack credentials with no KUBECONFIG serve Slack against the simulated cluster.
 */
export async function startParts(config: Config, o: { stateDir: string; print: (line: string) => void }): Promise<Parts> {
  const rt = config.runtime;
  const lines: string[] = [];
  let redis: SpawnedRedis | undefined;
  let sim: SimCluster | undefined;
  let prometheus: SimPrometheus | undefined;
  let github: SimGitHub | undefined;
  let discord: SandboxDiscord | undefined;
  const close = async (): Promise<void> => {
    await discord?.close();
    await github?.close();
    await prometheus?.close();
    await sim?.close();
    await redis?.stop();
  };
  try {
    let redisUrl = rt.redisUrl;
    if (!redisUrl) {
      redis = await spawnRedis();
      redisUrl = redis.url;
      lines.push(`redis: spawned on ${redisUrl}`);
    } else lines.push('redis: REDIS_URL');

    let kube: KubeSource;
    if (rt.kubeconfig) {
      kube = { kubeconfigPath: rt.kubeconfig };
      lines.push(`cluster: ${rt.kubeconfig}`);
    } else if (rt.inCluster) {
      kube = {};
      lines.push('cluster: the one Deckhand runs in (service account)');
    } else {
      const { seed, faulty } = seedFromConfig(config);
      sim = await startSimCluster({ seed, readyDelayMs: config.sandbox?.readyDelayMs, isFaultyImage: (image) => faulty.has(image) });
      await mkdir(o.stateDir, { recursive: true });
      const kubeconfigPath = join(o.stateDir, 'kubeconfig');
      await sim.writeKubeconfig(kubeconfigPath);
      kube = { kubeconfigPath };
      lines.push(`cluster: simulated — KUBECONFIG=${kubeconfigPath} kubectl get deploy -A`);
    }

    let effective = config;
    let progressive: Parts['progressive'];
    if (sim && !rt.prometheusUrl) {
      const simProm = await startSimPrometheus({ kubeUrl: sim.url, ...simMetricsFromConfig(config) });
      prometheus = simProm;
      effective = { ...effective, runtime: { ...effective.runtime, prometheusUrl: simProm.url } };
      progressive = { podUrl: (ns, pod) => simProm.podUrl(ns, pod) };
      lines.push(`prometheus: simulated at ${simProm.url}`);
    } else if (rt.prometheusUrl) lines.push('prometheus: PROMETHEUS_URL');

    let githubOption: Parts['github'];
    if (rt.github.token !== undefined || rt.github.apiUrl !== undefined) {
      githubOption = {};
      lines.push(`github: ${rt.github.apiUrl ?? 'api.github.com'}`);
    } else if (sim) {
      const gh = await startSimGitHub(simGitHubOptionsFromConfig(config));
      github = gh;
      githubOption = { apiUrl: gh.url, registryEndpoint: () => gh.url };
      lines.push(`github: simulated at ${gh.url} (builds take ${config.sandbox?.buildDelayMs ?? 3000} ms)`);
    }

    let sandboxReleases: Parts['sandboxReleases'];
    if (sim && !rt.discord && !(config.discord?.releases.length)) {
      discord = await startSandboxDiscord({ print: o.print });
      sandboxReleases = discord.releases;
      lines.push('discord: simulated #releases channel, printed here');
    }

    return {
      config: effective, redisUrl, kube, progressive, github: githubOption, sandboxReleases,
      describe: () => lines,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
