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
export type DeliveryKind = Delivery['kind'];
