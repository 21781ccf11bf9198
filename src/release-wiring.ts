/**
 * Part of the composition root: builds the release stage (tag check, build through GitHub Actions, release
 * notes, GitHub deployment) from config, when GitHub is configured. Only main.ts calls it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildTargetOf, checkVersion, createImageChecker, createReleaseSteps, FIRST_RELEASE_STEP, receiveWorkflowRun, reportDeploymentOutcome } from './build/index.ts';
import type { Config } from './config/index.ts';
import { versionOfImage, type Deploy, type WorkloadTarget } from './deploy/index.ts';
import { createGitHubClient, createWorkflowRunWebhookVerifier } from './github/index.ts';
import type { KubeClient } from './kube/index.ts';
import { REGATE_STEP, type ReleaseStage } from './pipeline.ts';
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
  cardUrl?: (d: Deploy) => Promise<string | undefined>;
}

export function createReleaseStage(o: ReleaseWiringOptions): ReleaseStage & { checkVersion(service: string, version: string): Promise<string | undefined> } {
  const rt = o.config.runtime;
  const github = createGitHubClient({ token: rt.github.token, baseUrl: o.apiUrl ?? rt.github.apiUrl, log: o.log });
  const images = createImageChecker({ credentials: rt.registry, endpointFor: o.registryEndpoint });
  const buildTarget = (d: Deploy) => {
    const svc = o.config.services[d.service];
    if (!svc) throw new Error(`unknown service ${d.service}`);
    return buildTargetOf(svc);
  };
  const cardUrl = o.cardUrl ?? (async () => undefined);
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
    then: REGATE_STEP,
  });
  return {
    steps,
    first: FIRST_RELEASE_STEP,
    async checkVersion(service, version) {
      const svc = o.config.services[service];
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
      if (!o.config.github.deployments) return;
      await reportDeploymentOutcome({ github, targetOf: buildTarget, cardUrl }, d).catch((err: unknown) => {
        o.log.warn({ err, deployId: d.id }, 'GitHub deployment status not updated');
      });
    },
  };
}

export interface WorkflowRunIngressOptions {
  secret: string;
  config: Config;
  deploys: { get(id: string): Promise<Deploy | undefined>; update(id: string, change: (d: Deploy) => Deploy | undefined): Promise<Deploy> };
  locks: { get(service: string, env: string): Promise<{ kind: string; deployId?: string } | undefined> };
  queue: { wake(deployId: string): Promise<void> };
}

/**
 * The `workflow_run` webhook: a signed delivery of a finished build wakes the deploys following it, so they go on
 * at once instead of at their next poll. A bad signature gets 401 and changes nothing.
 */
export function createWorkflowRunIngress(o: WorkflowRunIngressOptions): (req: IncomingMessage & { rawBody: Buffer }, res: ServerResponse) => Promise<void> {
  const verify = createWorkflowRunWebhookVerifier(o.secret);
  const inFlightFor = async (repository: string): Promise<string[]> => {
    const ids: string[] = [];
    for (const [name, svc] of Object.entries(o.config.services)) {
      if (svc.repository.toLowerCase() !== repository.toLowerCase()) continue;
      for (const env of Object.keys(svc.environments)) {
        const holder = await o.locks.get(name, env);
        if (holder?.kind === 'deploy' && holder.deployId) ids.push(holder.deployId);
      }
    }
    return ids;
  };
  return async (req, res) => {
    const receipt = await receiveWorkflowRun({ verify, inFlightFor, records: o.deploys, wake: (id) => o.queue.wake(id) }, req.headers, req.rawBody.toString('utf8'));
    res.writeHead(receipt.status, { 'content-type': 'application/json' }).end(JSON.stringify({ woken: receipt.woken }));
  };
}
