/**
 * Part of the composition root (main.ts): the release stage — tag check, build through GitHub Actions or GitLab CI,
 * release notes, GitHub or GitLab deployment — over the forge clients and image checker main.ts constructed. Each
 * service uses its own forge (`repository: gitlab:group/name` for GitLab); the `github:` section's settings for
 * builds, deployments and release notes apply to both.
 */
import { buildTargetOf, checkVersion, createReleaseSteps, FIRST_RELEASE_STEP, forgeFor, reportDeploymentOutcome, type BuildForge, type CompareForge, type DeploymentsForge, type ForgeKind, type ImageChecker } from '../build/index.ts';
import type { Config } from '../config/index.ts';
import { versionOfImage, type Deploy, type WorkloadTarget } from '../deploy/index.ts';
import type { GitHubClient } from '../github/index.ts';
import type { GitLabClient } from '../gitlab/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { RolloutReader } from '../desk/index.ts';
import type { ReleaseStage } from '../pipeline.ts';
import type { Logger } from '../telemetry/index.ts';

export interface ReleaseStageOptions {
  config: Config;
  github?: GitHubClient;
  gitlab?: GitLabClient;
  images: ImageChecker;
  kube: KubeClient;
  /** Reads the version a Rollout runs, for environments delivered by Argo Rollouts. */
  rollouts?: RolloutReader;
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
  const { config } = o;
  const forges = new Map<ForgeKind, BuildForge & CompareForge & DeploymentsForge>([
    ...(o.github ? [['github', o.github] as const] : []),
    ...(o.gitlab ? [['gitlab', o.gitlab] as const] : []),
  ]);
  const buildTarget = (d: Deploy) => {
    const svc = config.services[d.service];
    if (!svc) throw new Error(`unknown service ${d.service}`);
    return buildTargetOf(svc);
  };
  const builds = config.github.builds;
  const steps = createReleaseSteps({
    forges, images: o.images, targetOf: buildTarget,
    webhook: { github: config.runtime.github.webhookSecret !== undefined, gitlab: config.runtime.gitlab?.webhookToken !== undefined },
    polling: { intervalMs: builds.pollInterval, maxIntervalMs: builds.maxPollInterval, timeoutMs: builds.timeout },
    deployments: config.github.deployments ? { forges, cardUrl: o.cardUrl } : undefined,
    releaseNotes: {
      forges,
      maxItems: config.github.releaseNotes.maxItems,
      runningVersion: async (d) => {
        const t = o.targetOf(d);
        const delivery = o.config.services[d.service]?.environments[d.env]?.delivery;
        const image = delivery?.kind === 'argo-rollouts' && o.rollouts
          ? (await o.rollouts.getRollout(t.namespace, delivery.rollout ?? t.deployment)).images[t.container]
          : (await o.kube.readDeployment(t.namespace, t.deployment)).images[t.container];
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
        const t = buildTargetOf(svc);
        const forge = forgeFor({ forges }, t);
        if (!forge) return undefined;
        const r = await checkVersion(forge, t.repository, version);
        return r.kind === 'missing' ? r.message : undefined;
      } catch (err) {
        // The forge unreachable or rate-limited: the build step checks again before anything is rolled out.
        o.log.warn({ err, service }, 'version check skipped');
        return undefined;
      }
    },
    async report(d) {
      if (!config.github.deployments) return;
      await reportDeploymentOutcome({ forges, targetOf: buildTarget, cardUrl: o.cardUrl }, d).catch((err: unknown) => {
        o.log.warn({ err, deployId: d.id }, 'deployment status not updated on the forge');
      });
    },
  };
}
