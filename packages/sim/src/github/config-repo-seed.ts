import type { SimRepoSeed } from './repo-seed.ts';

const deployment = (name: string, image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
          ports:
            - containerPort: 8080
`;

/**
 * The example GitOps configuration repository: one app per way Argo CD renders a directory, each a Deployment
 * whose image tag is what a deploy changes.
 *
 * - `apps/catalog/production` — Kustomize: `kustomization.yaml` lists `deployment.yaml` and pins the tag in `images:`.
 * - `apps/billing/chart` — a Helm chart whose `values.yaml` holds `image.repository` / `image.tag`;
 *   `apps/billing/production-values.yaml` is an environment's value file (`spec.source.helm.valueFiles`).
 * - `apps/inventory/production` — plain manifests: the tag is in the Deployment's container image.
 */
export function defaultConfigRepo(fullName = 'acme/deploy-config'): SimRepoSeed {
  return {
    fullName,
    history: [],
    built: [],
    files: {
      'README.md': '# deploy-config\n\nWhat runs where, applied by Argo CD. Deckhand changes the image tags.\n',
      'apps/catalog/production/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: registry.local/acme/catalog
    newTag: v1.0.0
`,
      'apps/catalog/production/deployment.yaml': deployment('catalog', 'registry.local/acme/catalog:v0.0.0', 2),
      'apps/billing/chart/Chart.yaml': 'apiVersion: v2\nname: billing\nversion: 0.1.0\nappVersion: "3.1.0"\n',
      'apps/billing/chart/values.yaml': 'replicaCount: 2\nimage:\n  repository: registry.local/acme/billing\n  tag: "3.1.0"\n',
      'apps/billing/chart/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app: {{ .Release.Name }}
    helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - containerPort: 8080
`,
      'apps/billing/production-values.yaml': 'replicaCount: 3\nimage:\n  tag: "3.1.0"\n',
      'apps/inventory/production/deployment.yaml': deployment('inventory', 'registry.local/acme/inventory:2.0.0', 2),
    },
  };
}
