import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { inject } from 'vitest';
import { z } from 'zod';
import { defaultConfigRepo, startSimGitHub, type SimGitHub } from '@deckhand/sim/github';
import { startSimCluster, type SimCluster } from '@deckhand/sim/kube';
import { ConsoleAdapter } from '../../src/chat/console/index.ts';
import type { Deploy, Phase } from '../../src/deploy/index.ts';
import { startDeckhand, type Deckhand } from '../../src/main.ts';
import { seedFromConfig } from '../../src/sandbox/index.ts';
import { simGitHubOptionsFromConfig } from '../../src/sandbox/sim-github-options-from-config.ts';
import { worldConfig } from '../helpers/world.ts';

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

export interface GitOpsWorld {
  app: Deckhand;
  sim: SimCluster;
  github: SimGitHub;
  say(line: string): Promise<string>;
  output(): string;
  waitForPhase(id: string, phases: Phase[] | Phase, timeoutMs?: number): Promise<Deploy>;
  /** The Application as the simulated Argo CD reports it (over the cluster's HTTP API). */
  application(name: string): Promise<ApplicationView>;
  /** The file on `main` of the config repository. */
  file(path: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startGitOpsWorld(): Promise<GitOpsWorld> {
  const config = worldConfig(GITOPS_CONFIG);
  const base = simGitHubOptionsFromConfig(config);
  const github = await startSimGitHub({ ...base, repos: [...(base.repos ?? []), defaultConfigRepo()] });
  const { faulty } = seedFromConfig(config);
  // Argo CD creates the workloads from the config repository: nothing is seeded for the GitOps environments.
  const sim = await startSimCluster({
    readyDelayMs: 50, isFaultyImage: (image) => faulty.has(image.replace(/@.*$/, '')),
    argoCd: {
      git: github.git, pollIntervalMs: 300,
      applications: [
        application('catalog-production', 'apps/catalog/production', 'production'),
        application('billing-production', 'apps/billing/chart', 'billing', { valueFiles: ['../production-values.yaml'] }),
      ],
    },
  });
  const input = new PassThrough();
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => { printed += chunk.toString('utf8'); });
  const waiting = new Map<number, () => void>();
  let sent = 0;
  const adapter = new ConsoleAdapter({ input, output: out, defaultUser: 'alice', live: false, onLineDone: (n) => { waiting.get(n)?.(); waiting.delete(n); } });
  const app = await startDeckhand({
    config, redisUrl: inject('redisUrl'), kube: { kubeconfigYaml: sim.kubeconfig() }, adapters: [adapter], prefix: `g${randomBytes(4).toString('hex')}`,
    worker: { concurrency: 4, lockDurationMs: 2000 }, deadlineGraceMs: 2000,
    github: { apiUrl: github.url, registryEndpoint: () => github.url }, progressive: { pollMs: 100 },
  });
  return {
    app, sim, github,
    output: () => printed,
    async say(line) {
      const before = printed.length;
      const n = ++sent;
      const done = new Promise<void>((r) => waiting.set(n, r));
      input.write(`${line}\n`);
      await done;
      return printed.slice(before);
    },
    async waitForPhase(id, phases, timeoutMs = 30_000) {
      const want = Array.isArray(phases) ? phases : [phases];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await app.deploys.get(id);
        if (d && want.includes(d.phase)) return d;
        if (Date.now() > deadline) throw new Error(`deploy #${id} is ${d?.phase ?? 'missing'} (step ${d?.step}), wanted ${want.join('|')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    application: (name) => getJson(`${sim.url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${name}`, ApplicationView),
    async file(path) {
      const body = await getJson(`${github.url}/repos/acme/deploy-config/contents/${path}?ref=main`, z.object({ content: z.string() }));
      return Buffer.from(body.content, 'base64').toString('utf8');
    },
    async stop() {
      input.end();
      await app.stop().catch(() => {});
      await sim.close();
      await github.close();
    },
  };
}
