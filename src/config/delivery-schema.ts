import { z } from 'zod';
import { Duration, KubeName } from './schema-primitives.ts';

/**
 * How a deploy reaches an environment (`environments.<env>.delivery`). Deckhand fronts the engine a team already
 * runs instead of fighting it: with GitOps it changes the config repository and follows Argo CD; with Argo Rollouts it
 * sets the Rollout's image and steers the Rollout's own steps. `kubernetes` (the default) patches the Deployment.
 */

const GITHUB_REPOSITORY = /^[\w.-]+\/[\w.-]+$/;
/** A path inside a repository: no leading slash, no `..` segment. */
const REPO_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\w./@+-]+$/;

export const KubernetesDelivery = z.object({ kind: z.literal('kubernetes') }).strict();

/**
 * The image tag lives in a config repository that Argo CD syncs. `format` says where in `path` it is:
 * - `kustomize`: the `images:` entry whose `name` is `image` (default: the service's image), its `newTag`;
 * - `helm`: the values key `key` (dotted, default `image.tag`);
 * - `manifest`: the image of container `container` (default: the environment's) in the Deployment of `path`.
 */
export const GitOpsDelivery = z.object({
  kind: z.literal('gitops'),
  /** The config repository on GitHub, `owner/name`. */
  repository: z.string({ error: 'must be a GitHub repository like `acme/deploy-config`' }).regex(GITHUB_REPOSITORY, 'must be a GitHub repository like `acme/deploy-config`'),
  /** The branch Argo CD follows for this environment. */
  branch: z.string().min(1).default('main'),
  path: z.string({ error: 'must be a file path in the repository, like `apps/api/production/kustomization.yaml`' }).regex(REPO_PATH, 'must be a file path in the repository, like `apps/api/production/kustomization.yaml` (no leading `/`, no `..`)'),
  format: z.enum(['kustomize', 'helm', 'manifest'], { error: 'must be one of kustomize, helm, manifest' }),
  /** helm: the dotted values key of the tag (default `image.tag`). kustomize: the `images[].name` (default the service's image). */
  key: z.string().min(1).optional(),
  /** `commit`: straight onto `branch`; `pull-request`: a PR Deckhand merges once policy allows (and the PR can merge). */
  via: z.enum(['commit', 'pull-request'], { error: 'must be `commit` or `pull-request`' }).default('commit'),
  /** The Argo CD Application that syncs this path. */
  application: KubeName,
  /** The namespace the Application lives in (Argo CD's own). */
  applicationNamespace: KubeName.default('argocd'),
  /** Argo CD's UI, for the card's link to the Application (`<url>/applications/<namespace>/<name>`). */
  argocdUrl: z.url({ error: 'must be a URL like `https://argocd.example.com`' }).optional(),
  /** How long the Application may take to reach the commit, Synced and Healthy before the deploy fails. */
  syncTimeout: Duration.default(600_000),
}).strict();
export type GitOpsDelivery = z.infer<typeof GitOpsDelivery>;

/** The workload is an Argo Rollouts `Rollout`; its own `spec.strategy` runs the canary or blue-green steps. */
export const ArgoRolloutsDelivery = z.object({
  kind: z.literal('argo-rollouts'),
  /** The Rollout's name (default: the environment's `deployment`). */
  rollout: KubeName.optional(),
  /** Argo Rollouts' dashboard, for the card's link (`<url>/rollouts/rollout/<namespace>/<name>`). */
  dashboardUrl: z.url({ error: 'must be a URL like `https://rollouts.example.com`' }).optional(),
}).strict();
export type ArgoRolloutsDelivery = z.infer<typeof ArgoRolloutsDelivery>;

export const Delivery = z.discriminatedUnion('kind', [KubernetesDelivery, GitOpsDelivery, ArgoRolloutsDelivery], {
  error: 'must be `{kind: kubernetes}`, `{kind: gitops, repository, path, format, application}` or `{kind: argo-rollouts}`',
});
export type Delivery = z.infer<typeof Delivery>;

/** The parts of a service the delivery checks read (the Service schema is built on this file, not the other way). */
interface DeliveryCheckInput {
  defaultStrategy: string;
  canary: { traffic: { kind: string } };
  environments: Record<string, { delivery: Delivery }>;
}

/** Which entry of a gitops file an environment changes: two environments on the same one would change each other. */
function gitopsEntry(d: GitOpsDelivery): string {
  return `${d.repository}\u0000${d.branch}\u0000${d.path}\u0000${d.format === 'manifest' ? '' : d.key ?? ''}`;
}

/**
 * Combinations `check-config` explains (called from the Service schema's superRefine): settings Deckhand would
 * silently not use, or environments that would change each other's file. Each message names the environment and
 * the field, and says what would be right.
 */
export function checkDeliveryCombinations(service: DeliveryCheckInput, ctx: z.RefinementCtx): void {
  const envs = Object.entries(service.environments);
  const gitops = envs.filter(([, e]) => e.delivery.kind === 'gitops').map(([name]) => name);
  if (gitops.length && (service.defaultStrategy === 'canary' || service.defaultStrategy === 'bluegreen')) {
    ctx.addIssue({
      code: 'custom', path: ['defaultStrategy'],
      message: `is \`${service.defaultStrategy}\`, but ${gitops.map((e) => `\`${e}\``).join(', ')} ${gitops.length === 1 ? 'is' : 'are'} delivered by Argo CD (\`delivery.kind: gitops\`): there the strategy lives in the manifests Argo CD syncs (an Argo Rollouts Rollout, for example), and Deckhand only commits the tag. Use \`rolling\` (the default)`,
    });
  }
  const own = envs.filter(([, e]) => e.delivery.kind === 'kubernetes');
  if (envs.length && !own.length && service.canary.traffic.kind !== 'replicas') {
    const kinds = [...new Set(envs.map(([, e]) => e.delivery.kind))].join(' and ');
    ctx.addIssue({
      code: 'custom', path: ['canary', 'traffic'],
      message: `is \`${service.canary.traffic.kind}\`, but every environment is delivered by ${kinds}, so Deckhand never runs a canary of its own here and never sets these weights: traffic is split by the Rollout's \`trafficRouting\` (argo-rollouts) or by the manifests Argo CD syncs (gitops). Remove \`canary.traffic\``,
    });
  }
  const seen = new Map<string, string>();
  for (const [env, e] of envs) {
    const d = e.delivery;
    if (d.kind !== 'gitops') continue;
    if (d.format === 'manifest' && d.key !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['environments', env, 'delivery', 'key'], message: `is for \`kustomize\` (the \`images:\` entry's name) and \`helm\` (the values key); with \`format: manifest\` the image is found by the environment's \`deployment\` and \`container\`. Remove it` });
    }
    const entry = gitopsEntry(d);
    const other = seen.get(entry);
    if (other !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['environments', env, 'delivery', 'path'], message: `is the same file${d.format === 'manifest' ? '' : ' and entry'} as \`${other}\`'s (${d.repository} ${d.branch}:${d.path}): a deploy to one would change the other. Give each environment its own path, branch${d.format === 'manifest' ? '' : ' or `key`'}` });
    } else {
      seen.set(entry, env);
    }
  }
}

/** The parts of a service the Argo Rollouts checks read. */
interface ArgoRolloutsCheckInput {
  soak: number;
  environments: Record<string, { namespace: string; deployment: string; delivery: Delivery }>;
}

/**
 * Argo Rollouts combinations `check-config` explains (called from the Service schema's superRefine): two environments
 * steering one Rollout, and Deckhand's own after-promotion watch where Argo runs the rollout and its analysis.
 */
export function checkArgoRolloutsCombinations(service: ArgoRolloutsCheckInput, ctx: z.RefinementCtx): void {
  const envs = Object.entries(service.environments).filter(([, e]) => e.delivery.kind === 'argo-rollouts');
  const seen = new Map<string, string>();
  for (const [env, e] of envs) {
    const name = e.delivery.kind === 'argo-rollouts' ? e.delivery.rollout ?? e.deployment : e.deployment;
    const key = `${e.namespace}/${name}`;
    const other = seen.get(key);
    if (other !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['environments', env, 'delivery', 'rollout'], message: `is the Rollout ${key}, which \`${other}\` deploys too: a deploy to one would change the other. Give each environment its own Rollout (\`rollout:\` or its own namespace)` });
    } else {
      seen.set(key, env);
    }
  }
  if (envs.length > 0 && envs.length === Object.keys(service.environments).length && service.soak > 0) {
    ctx.addIssue({
      code: 'custom', path: ['soak'],
      message: 'is Deckhand\'s own watch after promotion, but every environment is delivered by Argo Rollouts, which runs the steps and the analysis itself (Deckhand does not measure beside it): put the watch in the Rollout (a last `pause` or `analysis` step, or background analysis). Remove `soak`',
    });
  }
}
