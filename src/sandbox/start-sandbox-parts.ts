import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import type { DeckhandOptions } from '../main.ts';
import { isDeckhandError } from '../errors.ts';
import { startSandboxDiscord, type SandboxDiscord } from '@deckhand/sim/discord';
import { startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { startSimGitLab, type SimGitLab } from '@deckhand/sim/gitlab';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { startSimPrometheus, type SimPrometheus } from '@deckhand/sim/prometheus';
import { isInstalled } from './is-installed.ts';
import { spawnRedis, type SpawnedRedis } from './redis-server.ts';
import { removeOnExit } from './remove-on-exit.ts';
import { seedFromConfig } from './seed-from-config.ts';
import { argoCdApplicationsFromConfig, withArgoCdUrl } from './argo-cd-from-config.ts';
import { argoRolloutsManifestsFromConfig } from './argo-rollouts-from-config.ts';
import { simGitHubOptionsFromConfig } from './sim-github-options-from-config.ts';
import { gitLabSandboxServices, simGitLabOptionsFromConfig } from './sim-gitlab-options-from-config.ts';
import { simMetricsFromConfig } from './sim-metrics-from-config.ts';
import { startRealMonitoring, type RealMonitoring } from './start-real-monitoring.ts';

/** What the sandbox hands to the composition root in place of what is not configured. */
export interface SandboxParts {
  /** The config with the simulated endpoints filled in (Prometheus, the simulated `#releases` channel). */
  config: Config;
  /** The parts themselves: the spawned Redis, the simulated cluster and GitHub, where the simulated pods answer. */
  deckhand: Pick<DeckhandOptions, 'redisUrl' | 'kube' | 'github' | 'gitlab' | 'progressive' | 'http'>;
  /** One line per part, `name: what`, for the start-up banner. */
  describe(): string[];
  /** Stops what was started here and removes the files it wrote. */
  close(): Promise<void>;
}

/**
 * Starts every part Deckhand needs that is not configured: a redis-server (no REDIS_URL), the simulated cluster
 * (no KUBECONFIG, not in a pod), and with it a simulated Prometheus, GitHub and Discord channel. The choices are
 * independent: e.g. Slack credentials with no KUBECONFIG serve Slack against the simulated cluster. With everything
 * configured (production) it starts nothing.
 *
 * The simulated cluster's kubeconfig is written to `stateDir` for kubectl, and removed when this process ends in any
 * way. The spawned Redis is named in full in the banner line, with the command that exports its audit log.
 */
export async function startSandboxParts(config: Config, o: {
  stateDir: string;
  print: (line: string) => void;
  /** The port Deckhand's HTTP server will listen on, if it serves one anyway; else the sandbox picks one for its Alertmanager's webhook. */
  webhookPort?: number;
}): Promise<SandboxParts> {
  const rt = config.runtime;
  const lines: string[] = [];
  let redis: SpawnedRedis | undefined;
  let sim: SimCluster | undefined;
  let prometheus: SimPrometheus | undefined;
  let monitoring: RealMonitoring | undefined;
  let github: SimGitHub | undefined;
  let gitlab: SimGitLab | undefined;
  let discord: SandboxDiscord | undefined;
  let written: { removeNow(): Promise<void> } | undefined;
  const close = async (): Promise<void> => {
    await written?.removeNow();
    await discord?.close();
    await gitlab?.close();
    await github?.close();
    await monitoring?.close();
    await prometheus?.close();
    await sim?.close();
    await redis?.stop();
  };
  try {
    const parts: SandboxParts['deckhand'] = {};
    if (!rt.redisUrl) {
      redis = await spawnRedis();
      parts.redisUrl = redis.url;
      // `audit export` reads exactly the REDIS_URL it is given, never a guess: here is the one to give it.
      lines.push(`redis: spawned on ${redis.url} — its audit log: REDIS_URL=${redis.url} npx deckhand audit export`);
    } else lines.push('redis: REDIS_URL');

    if (rt.kubeconfig) lines.push(`cluster: ${rt.kubeconfig}`);
    else if (rt.inCluster) lines.push('cluster: the one Deckhand runs in (service account)');
    else {
      const { seed, faulty } = seedFromConfig(config);
      sim = await startSimCluster({ seed, manifests: argoRolloutsManifestsFromConfig(config), readyDelayMs: config.sandbox?.readyDelayMs, isFaultyImage: (image) => faulty.has(image.replace(/@.*$/, '')) });
      const kubeconfig = join(o.stateDir, 'kubeconfig');
      await mkdir(o.stateDir, { recursive: true });
      // Only this sandbox's copy names its cluster's URL: a later sandbox's kubeconfig is not removed by this one.
      written = removeOnExit([{ path: kubeconfig, marker: sim.url }]);
      await sim.writeKubeconfig(kubeconfig);
      parts.kube = { kubeconfigPath: kubeconfig };
      lines.push(`cluster: simulated at ${sim.url} — KUBECONFIG=${kubeconfig} kubectl get deploy -A (removed when the sandbox exits)`);
    }

    let effective = config;
    if (sim && !rt.prometheusUrl) {
      const simProm = await startSimPrometheus({ kubeUrl: sim.url, ...simMetricsFromConfig(config) });
      prometheus = simProm;
      // Argo Rollouts' analysis asks the simulated Prometheus, whatever address its templates name.
      sim.setAnalysisPrometheusUrl(simProm.url);
      parts.progressive = { podUrl: (ns, pod) => simProm.podUrl(ns, pod) };
      // A real Prometheus when installed (it scrapes the simulated pods); the simulated one otherwise, or if it fails.
      const real = isInstalled('prometheus')
        ? await startRealMonitoring(config, simProm, { webhookPort: o.webhookPort }).catch((err: unknown) => err as Error)
        : undefined;
      if (real && !(real instanceof Error)) {
        monitoring = real;
        const rtWithSignals = real.webhook ? { signals: { ...effective.runtime.signals, alertmanagerToken: real.webhook.token } } : {};
        effective = { ...effective, runtime: { ...effective.runtime, prometheusUrl: real.prometheusUrl, ...rtWithSignals } };
        if (real.webhook) parts.http = { port: real.webhook.port, host: '127.0.0.1' };
        lines.push(...real.describe);
      } else {
        effective = { ...effective, runtime: { ...effective.runtime, prometheusUrl: simProm.url } };
        lines.push(real
          ? `prometheus: simulated at ${simProm.url} (the installed prometheus did not start: ${isDeckhandError(real) ? real.userMessage : real.message})`
          : `prometheus: simulated at ${simProm.url} (apt-get install prometheus prometheus-alertmanager for the real ones)`);
      }
    } else if (rt.prometheusUrl) lines.push('prometheus: PROMETHEUS_URL');

    if (rt.github.token !== undefined || rt.github.apiUrl !== undefined) {
      lines.push(`github: ${rt.github.apiUrl ?? 'api.github.com'}`);
    } else if (sim) {
      const gh = await startSimGitHub(simGitHubOptionsFromConfig(config));
      github = gh;
      parts.github = { apiUrl: gh.url, registryEndpoint: () => gh.url };
      lines.push(`github: simulated at ${gh.url} (builds take ${config.sandbox?.buildDelayMs ?? 3000} ms)`);
      // Argo CD starts after the GitHub it syncs from; it creates the GitOps environments' workloads itself.
      const applications = argoCdApplicationsFromConfig(config, gh.url);
      if (applications.length > 0) {
        const { uiUrl } = await sim.startArgoCd({ git: gh.git, applications });
        effective = withArgoCdUrl(effective, uiUrl);
        lines.push(`argo cd: simulated at ${uiUrl} (${applications.map((a) => a.metadata.name).join(', ')}; syncs every second)`);
      }
    }

    const onGitLab = gitLabSandboxServices(config);
    if (rt.gitlab) lines.push(`gitlab: ${rt.gitlab.url ?? 'gitlab.com'}`);
    else if (github && onGitLab.length > 0) {
      // The simulated GitHub's registry holds every image: GitLab's pipelines push theirs there too.
      const registry = github.state;
      for (const s of onGitLab) for (const v of s.built) registry.pushImage(s.project, v);
      const gl = await startSimGitLab({ ...simGitLabOptionsFromConfig(config), pushImage: (image) => {
        const at = image.lastIndexOf(':');
        registry.pushImage(image.slice(0, at), image.slice(at + 1));
      } });
      gitlab = gl;
      parts.gitlab = { url: gl.url };
      lines.push(`gitlab: simulated at ${gl.url} (${onGitLab.map((s) => s.project).join(', ')}; pipelines take ${config.sandbox?.buildDelayMs ?? 3000} ms)`);
    }

    if (sim && !rt.discord && !(config.discord?.releases.length)) {
      discord = await startSandboxDiscord({ print: o.print });
      effective = { ...effective, discord: { ...effective.discord, releases: discord.releases } };
      lines.push('discord: simulated #releases channel, printed here');
    }

    return { config: effective, deckhand: parts, describe: () => lines, close };
  } catch (err) {
    await close();
    throw err;
  }
}
