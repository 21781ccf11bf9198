import { posix } from 'node:path';
import { simApplication } from '@deckhand/sim/kube';
import type { Config, GitOpsDelivery } from '../config/index.ts';

type KubeObject = ReturnType<typeof simApplication>;

/** Each environment delivered through Argo CD, with its delivery settings. */
function gitOpsEnvironments(config: Pick<Config, 'services'>): { namespace: string; delivery: GitOpsDelivery }[] {
  return Object.values(config.services).flatMap((s) => Object.values(s.environments).flatMap((e) => (e.delivery.kind === 'gitops' ? [{ namespace: e.namespace, delivery: e.delivery }] : [])));
}

/** The config repositories the simulated GitHub must hold for the config's GitOps environments. */
export function configRepositoriesOf(config: Pick<Config, 'services'>): string[] {
  return [...new Set(gitOpsEnvironments(config).map((g) => g.delivery.repository))];
}

/**
 * The Argo CD Applications a GitOps setup would declare for the config's GitOps environments, pointing at the
 * simulated GitHub: the directory of `path` (a kustomization or plain manifests) synced into the environment's
 * namespace, automated with self-heal. A Helm environment names a values file, not its chart, so it cannot be
 * derived here: the sandbox refuses it rather than guess.
 */
export function argoCdApplicationsFromConfig(config: Pick<Config, 'services'>, githubUrl: string): KubeObject[] {
  return gitOpsEnvironments(config).map(({ namespace, delivery }) => {
    if (delivery.format === 'helm') {
      throw new Error(`The sandbox's simulated Argo CD cannot derive a Helm chart's Application from ${delivery.path}; use format kustomize or manifest in the sandbox.`);
    }
    const app = simApplication({ name: delivery.application, repoURL: `${githubUrl}/${delivery.repository}.git`, path: posix.dirname(delivery.path), namespace, targetRevision: delivery.branch });
    return { ...app, metadata: { ...app.metadata, namespace: delivery.applicationNamespace } };
  });
}

/** The config with the simulated Argo CD's UI as every GitOps environment's `argocdUrl` that names none (card links). */
export function withArgoCdUrl(config: Config, uiUrl: string): Config {
  const services = Object.fromEntries(Object.entries(config.services).map(([name, s]) => [name, {
    ...s,
    environments: Object.fromEntries(Object.entries(s.environments).map(([env, e]) => [env, e.delivery.kind === 'gitops' && !e.delivery.argocdUrl ? { ...e, delivery: { ...e.delivery, argocdUrl: uiUrl } } : e])),
  }]));
  return { ...config, services };
}
