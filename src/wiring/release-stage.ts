/**
 * Part of the composition root (main.ts): the release stage — tag check, build through GitHub Actions, release
 * notes, GitHub deployment — over the GitHub client and image checker main.ts constructed.
 */
import { buildTargetOf, checkVersion, createReleaseSteps, FIRST_RELEASE_STEP, reportDeploymentOutcome, type ImageChecker } from '../build/index.ts';
import type { Config } from '../config/index.ts';
import { versionOfImage, type Deploy, type WorkloadTarget } from '../deploy/index.ts';
import type { GitHubClient } from '../github/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { ReleaseStage } from '../pipeline.ts';
import type { Logger } from '../telemetry/index.ts';

export interface ReleaseStageOptions {
  config: Config;
  github: GitHubClient;
  images: ImageChecker;
  kube: KubeClient;
  targetOf(d: Deploy): WorkloadTarget;
  log: Logger;
  /** The step after the release steps (the pipeline's second policy gate). */
  then: string;
  /** A link to the deploy's chat card, for GitHub's deployment page. */
  cardUrl(d: Deploy): Promise<string | undefined>;
}

export type ReleaseStageWithCheck = ReleaseStage & {
  /** A line saying the version has no tag (for the person asking), or undefined when it exists or cannot be told. */
  checkVersion(service: string, version: string): Promise<string | undefined>;
};

export function createReleaseStage(o: ReleaseStageOptions): ReleaseStageWithCheck {
  const { github, config } = o;
  const buildTarget = (d: Deploy) => {
    const svc = config.services[d.service];
    if (!svc) throw new Error(`unknown service ${d.service}`);
    return buildTargetOf(svc);
  };
  const builds = config.github.builds;
  const steps = createReleaseSteps({
    github, images: o.images, targetOf: buildTarget,
    webhook: config.runtime.github.webhookSecret !== undefined,
    polling: { intervalMs: builds.pollInterval, maxIntervalMs: builds.maxPollInterval, timeoutMs: builds.timeout },
    deployments: config.github.deployments ? { github, cardUrl: o.cardUrl } : undefined,
    releaseNotes: {
      github,
      maxItems: config.github.releaseNotes.maxItems,
      runningVersion: async (d) => {
        const t = o.targetOf(d);
        const image = (await o.kube.readDeployment(t.namespace, t.deployment)).images[t.container];
        return image ? versionOfImage(image) : undefined;
      },
    },
    then: o.then,
  });
  return {
    steps,
    first: FIRST_RELEASE_STEP,
    async checkVersion(service, version) {
      const svc = config.services[service];
      if (!svc) return undefined;
      try {
        const r = await checkVersion(github, svc.repository, version);
        return r.kind === 'missing' ? r.message : undefined;
      } catch (err) {
        // GitHub unreachable or rate-limited: the build step checks again before anything is rolled out.
        o.log.warn({ err, service }, 'version check skipped');
        return undefined;
      }
    },
    async report(d) {
      if (!config.github.deployments) return;
      await reportDeploymentOutcome({ github, targetOf: buildTarget, cardUrl: o.cardUrl }, d).catch((err: unknown) => {
        o.log.warn({ err, deployId: d.id }, 'GitHub deployment status not updated');
      });
    },
  };
}
