import { startSimGitLab, type SimGitLab } from '@deckhand/sim/gitlab';
import type { Logger } from '../../src/telemetry/index.ts';
import { simGitLabOptionsFromConfig } from '../../src/sandbox/index.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';

export const GITLAB_TOKEN = 'glpat-world-token';

/**
 * A service built on GitLab, `billing`, from the project `acme/billing` (merge requests !4 … !9 between its tags),
 * v3.1.0 running, v3.1.1 tagged but not built, v3.2.0's pipeline failing; and `api` on GitHub beside it.
 */
export const GITLAB_WORLD_CONFIG = `
services:
  api:
    team: payments
    repository: acme/api
    image: registry.local/acme/api
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    build: { workflow: build.yml }
    environments:
      staging: { namespace: staging, deployment: api, container: api, replicas: 2, progressDeadlineSeconds: 3 }
  billing:
    team: payments
    repository: gitlab:acme/billing
    image: registry.local/acme/billing
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    build: { variables: { DEPLOY_VERSION: '{version}' } }
    environments:
      staging: { namespace: staging, deployment: billing, container: billing, replicas: 2, progressDeadlineSeconds: 3 }
people:
  alice: { slack: U0ALICE }
groups:
  payments: [alice]
  approvers: [alice]
github: { builds: { pollInterval: 200ms, maxPollInterval: 1s } }
sandbox:
  readyDelayMs: 60
  buildDelayMs: 600
  services:
    api: { running: v1.4.0, versions: [v1.4.0, v1.5.0], unbuilt: [v1.5.3] }
    billing: { running: v3.1.0, versions: [v3.0.0, v3.1.0], unbuilt: [v3.1.1, v3.2.0], failingBuilds: [v3.2.0] }
`;

export interface GitLabWorld extends World {
  gitlab: SimGitLab;
}

/**
 * The app as production builds it (main.ts) with GITLAB_TOKEN set and the simulated GitLab's URL handed in the way
 * the sandbox hands it; the simulated GitHub is there only as the image registry. With `webhookToken`, Deckhand
 * serves HTTP and the simulated GitLab delivers its Pipeline Hooks to `/gitlab/webhook`.
 */
export async function startGitLabWorld(o: { webhookToken?: string; env?: Record<string, string>; log?: (config: ReturnType<typeof worldConfig>) => Logger } = {}): Promise<GitLabWorld> {
  const env: Record<string, string> = { GITLAB_TOKEN, ...(o.webhookToken !== undefined && { GITLAB_WEBHOOK_TOKEN: o.webhookToken }), ...o.env };
  const config = worldConfig(GITLAB_WORLD_CONFIG, env);
  // The registry is the simulated GitHub's, which starts with the world: pipelines push there once it is up.
  const registry: { images?: Set<string> } = {};
  const gitlab = await startSimGitLab({
    ...simGitLabOptionsFromConfig(config), token: GITLAB_TOKEN,
    pushImage: (image) => { registry.images?.add(image); },
  });
  const world = await startWorld({ config, github: true, deckhand: { gitlab: { url: gitlab.url }, ...(o.log && { log: o.log(config) }), ...(o.webhookToken !== undefined && { http: { port: 0, host: '127.0.0.1' } }) } });
  registry.images = world.github?.state.images;
  for (const v of config.sandbox?.services.billing?.versions ?? []) registry.images?.add(`acme/billing:${v}`);
  if (o.webhookToken !== undefined) gitlab.setWebhook({ url: `${world.app.http?.url}/gitlab/webhook`, token: o.webhookToken });
  return Object.assign(Object.create(world) as World, {
    gitlab,
    async stop() {
      await world.stop();
      await gitlab.close();
    },
  }) as GitLabWorld;
}
