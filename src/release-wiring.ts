/**
 * Part of the composition root: builds the release stage (tag check, build through GitHub Actions, release
 * notes, GitHub deployment) from config, when GitHub is configured. Only main.ts calls it.
 */
import { buildTargetOf, createImageChecker, createReleaseSteps, FIRST_RELEASE_STEP, reportDeploymentOutcome } from './build/index.ts';
import type { Config } from './config/index.ts';
import { versionOfImage, type Deploy, type WorkloadTarget } from './deploy/index.ts';
import { createGitHubClient } from './github/index.ts';
import type { KubeClient } from './kube/index.ts';
import type { ReleaseStage } from './pipeline.ts';
import type { Logger } from './telemetry/index.ts';

export interface ReleaseWiringOptions {
  config: Config;
  kube: KubeClient;
  targetOf(d: Deploy): WorkloadTarget;
  log: Logger;
  /** The GitHub API to use (GITHUB_API_URL, or the sandbox's simulated GitHub). */
  apiUrl?: string;
  /** Where image registries are reached (the sandbox points every registry host at its simulated one). */
  registryEndpoint?: (host: string) => string;
  /** A link to the deploy's chat card, for GitHub's deployment page. */
  cardUrl?: (d: Deploy) => string | undefined;
}

export function createReleaseStage(o: ReleaseWiringOptions): ReleaseStage {
  const rt = o.config.runtime;
  const github = createGitHubClient({ token: rt.github.token, baseUrl: o.apiUrl ?? rt.github.apiUrl });
  const images = createImageChecker({ credentials: rt.registry, endpointFor: o.registryEndpoint });
  const buildTarget = (d: Deploy) => {
    const svc = o.config.services[d.service];
    if (!svc) throw new Error(`unknown service ${d.service}`);
    return buildTargetOf(svc);
  };
  const cardUrl = o.cardUrl ?? (() => undefined);
  const builds = o.config.github.builds;
  const steps = createReleaseSteps({
    github, images, targetOf: buildTarget,
    webhook: rt.github.webhookSecret !== undefined,
    polling: { intervalMs: builds.pollInterval, maxIntervalMs: builds.maxPollInterval, timeoutMs: builds.timeout },
    deployments: o.config.github.deployments ? { github, cardUrl } : undefined,
    releaseNotes: {
      github,
      maxItems: o.config.github.releaseNotes.maxItems,
      runningVersion: async (d) => {
        const t = o.targetOf(d);
        const image = (await o.kube.readDeployment(t.namespace, t.deployment)).images[t.container];
        return image ? versionOfImage(image) : undefined;
      },
    },
    // After the build, the policy is asked once more before the rollout (see pipeline's gate).
    then: 'regate',
  });
  return {
    steps,
    first: FIRST_RELEASE_STEP,
    async report(d) {
      if (!o.config.github.deployments) return;
      await reportDeploymentOutcome({ github, targetOf: buildTarget, cardUrl }, d).catch((err: unknown) => {
        o.log.warn({ err, deployId: d.id }, 'GitHub deployment status not updated');
      });
    },
  };
}
