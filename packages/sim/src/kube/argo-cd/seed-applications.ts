import type { KubeObject } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceRegistry } from '../resource-registry.ts';

/**
 * Creates the namespaces Applications live in (`argocd` at least) and the given Applications, as an Argo CD
 * install with its app-of-apps would have them at start. The controller syncs them from there.
 */
export function createSeedApplications(store: ObjectStore, registry: ResourceRegistry, applications: readonly KubeObject[], controllerNamespace = 'argocd'): void {
  const namespaces = registry.lookup('v1', 'namespaces');
  const apps = registry.lookup('argoproj.io/v1alpha1', 'applications');
  if (!namespaces || !apps) return;
  for (const ns of new Set([controllerNamespace, ...applications.map((a) => a.metadata.namespace ?? controllerNamespace)])) {
    if (!store.get(namespaces, undefined, ns)) store.create(namespaces, { metadata: { name: ns } });
  }
  for (const app of applications) store.create(apps, { ...app, metadata: { ...app.metadata, namespace: app.metadata.namespace ?? controllerNamespace } });
}

/** What `simApplication` needs: where the manifests are and where they go. */
export interface SimApplicationSpec {
  name: string;
  /** Clone URL of the repository, e.g. `${github.url}/acme/deploy-config.git` (any host: see the README). */
  repoURL: string;
  path: string;
  /** Destination namespace (created by the sync when missing). */
  namespace: string;
  targetRevision?: string;
  selfHeal?: boolean;
  prune?: boolean;
  /** `spec.source.helm` as Argo CD takes it (valueFiles, parameters …). */
  helm?: Record<string, unknown>;
}

/**
 * An automated Application in `argocd` as a GitOps setup declares one: project `default`, the in-cluster
 * destination, `CreateNamespace=true`. For the sandbox's and tests' `applications`.
 */
export function simApplication(o: SimApplicationSpec): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: o.name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: o.repoURL, targetRevision: o.targetRevision ?? 'main', path: o.path, ...(o.helm && { helm: o.helm }) },
      destination: { server: 'https://kubernetes.default.svc', namespace: o.namespace },
      syncPolicy: { automated: { prune: o.prune ?? true, selfHeal: o.selfHeal ?? true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}
