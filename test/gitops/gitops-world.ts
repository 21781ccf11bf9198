import { z } from 'zod';
import { defaultConfigRepo, type SimGitHub } from '@deckhand/sim/github';
import type { Deploy, Phase } from '../../src/deploy/index.ts';
import { simGitHubOptionsFromConfig } from '../../src/sandbox/sim-github-options-from-config.ts';
import { startWorld, worldConfig, type World } from '../helpers/world.ts';

/**
 * Two services delivered by Argo CD from the simulated GitHub's `acme/deploy-config`: `catalog` through a commit to
 * its Kustomize overlay, `billing` through a pull request to its Helm values file. v1.2.0 of catalog never gets ready.
 */
export const GITOPS_CONFIG = `
services:
  catalog:
    team: payments
    repository: acme/catalog
    image: registry.local/acme/catalog
    versionPattern: '^v\\d+\\.\\d+\\.\\d+$'
    environments:
      production:
        namespace: production
        deployment: catalog
        container: catalog
        replicas: 2
        delivery: { kind: gitops, repository: acme/deploy-config, path: apps/catalog/production/kustomization.yaml, format: kustomize, application: catalog-production, argocdUrl: 'https://argocd.example.com', syncTimeout: 10s }
  billing:
    team: payments
    repository: acme/billing
    image: registry.local/acme/billing
    versionPattern: '^\\d+\\.\\d+\\.\\d+$'
    environments:
      production:
        namespace: billing
        deployment: billing-production
        container: billing
        replicas: 3
        delivery: { kind: gitops, repository: acme/deploy-config, path: apps/billing/production-values.yaml, format: helm, via: pull-request, application: billing-production, syncTimeout: 10s }
people:
  alice: { slack: U0ALICE }
  bob: { slack: U0BOB }
groups:
  payments: [alice]
  approvers: [bob]
approvals: { expireAfter: 30s }
github: { builds: { pollInterval: 200ms, maxPollInterval: 1s } }
sandbox:
  readyDelayMs: 50
  buildDelayMs: 300
  services:
    catalog: { running: v1.0.0, versions: [v1.0.0, v1.1.0, v1.2.0, v1.3.0], faulty: [v1.2.0] }
    billing: { running: 3.1.0, versions: [3.1.0, 3.2.0] }
`;

/** GETs JSON from one of the simulators and checks it has the shape the test reads. */
export async function getJson<S extends z.ZodType>(url: string, schema: S): Promise<z.infer<S>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return schema.parse(await res.json());
}

const ApplicationView = z.object({
  status: z.object({
    sync: z.object({ status: z.string().optional(), revision: z.string().optional() }).optional(),
    health: z.object({ status: z.string().optional() }).optional(),
  }).optional(),
});
type ApplicationView = z.infer<typeof ApplicationView>;

function application(name: string, path: string, namespace: string, helm?: { valueFiles: string[] }) {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/acme/deploy-config.git', targetRevision: 'main', path, ...(helm && { helm }) },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

export interface GitOpsWorld extends World {
  github: SimGitHub;
  /** The Application as the simulated Argo CD reports it (over the cluster's HTTP API). */
  application(name: string): Promise<ApplicationView>;
  /** The file on `main` of the config repository. */
  file(path: string): Promise<string>;
}

export async function startGitOpsWorld(o: { config?: string } = {}): Promise<GitOpsWorld> {
  const config = worldConfig(o.config ?? GITOPS_CONFIG);
  const base = simGitHubOptionsFromConfig(config);
  // Argo CD creates the workloads from the config repository: nothing is seeded for the GitOps environments.
  const world = await startWorld({
    config,
    github: { ...base, repos: [...(base.repos ?? []), defaultConfigRepo()] },
    cluster: (github) => (github ? {
      argoCd: {
        git: github.git, pollIntervalMs: 300,
        applications: [
          application('catalog-production', 'apps/catalog/production', 'production'),
          application('billing-production', 'apps/billing/chart', 'billing', { valueFiles: ['../production-values.yaml'] }),
        ],
      },
    } : {}),
    deckhand: { progressive: { pollMs: 100 } },
  });
  const github = world.github;
  if (!github) throw new Error('the GitOps world starts a simulated GitHub');
  const waitForPhase = world.waitForPhase.bind(world);
  return Object.assign(world, {
    github,
    // Argo CD's syncs take longer than a rollout of the sim: a longer default wait.
    waitForPhase: (id: string, phases: Phase[] | Phase, timeoutMs = 30_000): Promise<Deploy> => waitForPhase(id, phases, timeoutMs),
    application: (name: string) => getJson(`${world.sim.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${name}`, ApplicationView),
    async file(path: string) {
      const body = await getJson(`${github.url}/repos/acme/deploy-config/contents/${path}?ref=main`, z.object({ content: z.string() }));
      return Buffer.from(body.content, 'base64').toString('utf8');
    },
  });
}
