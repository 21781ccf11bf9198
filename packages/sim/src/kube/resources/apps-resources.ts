import { jsonEqual } from '../json-equal.ts';
import type { Deployment, KubeObject, ReplicaSet } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import { formatLabelSelector, labelSelectorMatcher } from '../label-selector.ts';
import type { ResourceType, TableColumn } from '../resource-registry.ts';
import { ageColumn, nameColumn } from '../table.ts';
import { applyPodSpecDefaults, validatePodSpec } from './pod-spec-defaults.ts';

function wideTemplateColumns(): TableColumn[] {
  const containers = (o: KubeObject) => (o as Deployment).spec.template.spec?.containers ?? [];
  return [
    { name: 'Containers', type: 'string', description: 'Names of each container in the template.', priority: 1, cell: (o) => containers(o).map((c) => c.name).join(',') },
    { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.', priority: 1, cell: (o) => containers(o).map((c) => c.image ?? '').join(',') },
    { name: 'Selector', type: 'string', description: 'Label selector for pods.', priority: 1, cell: (o) => formatLabelSelector((o as Deployment).spec.selector) || '<none>' },
  ];
}

/** Validation shared by Deployments and ReplicaSets: a selector that selects the template's own labels. */
function validateWorkload(obj: KubeObject): Array<{ field: string; message: string; reason?: string }> {
  const spec = obj.spec as Deployment['spec'] | undefined;
  if (!isPlainObject(spec)) return [{ field: 'spec', message: 'Required value', reason: 'FieldValueRequired' }];
  const problems = validatePodSpec(spec.template?.spec, 'spec.template.spec');
  const selector = spec.selector;
  const labels = spec.template?.metadata?.labels ?? {};
  if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
    problems.push({ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' });
  } else if (!labelSelectorMatcher(selector)(labels)) {
    problems.push({ field: 'spec.template.metadata.labels', message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\`` });
  }
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    problems.push({ field: 'spec.replicas', message: `Invalid value: ${String(spec.replicas)}: must be greater than or equal to 0` });
  }
  return problems;
}

/** apps/v1 made `spec.selector` immutable: changing it would orphan the ReplicaSets it selects. */
function validateSelectorUnchanged(obj: KubeObject, old: KubeObject): Array<{ field: string; message: string }> {
  const selector = (obj.spec as Deployment['spec'] | undefined)?.selector;
  const previous = (old.spec as Deployment['spec'] | undefined)?.selector;
  if (jsonEqual(selector, previous)) return [];
  return [{ field: 'spec.selector', message: `Invalid value: ${JSON.stringify(selector)}: field is immutable` }];
}

export const deployments: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0, cell: (o) => `${(o as Deployment).status?.readyReplicas ?? 0}/${(o as Deployment).spec.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'string', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', priority: 0, cell: (o) => (o as Deployment).status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'string', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', priority: 0, cell: (o) => (o as Deployment).status?.availableReplicas ?? 0 },
    ageColumn(),
    ...wideTemplateColumns(),
  ],
  applyDefaults: (obj) => {
    const spec = obj.spec as Deployment['spec'];
    if (!isPlainObject(spec)) return;
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    const strategy = (spec.strategy ??= {});
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rolling = (strategy.rollingUpdate ??= {});
      rolling.maxSurge ??= '25%';
      rolling.maxUnavailable ??= '25%';
    }
    applyPodSpecDefaults(spec.template?.spec);
  },
  validate: validateWorkload,
  validateUpdate: validateSelectorUnchanged,
};

export const replicaSets: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  singular: 'replicaset',
  kind: 'ReplicaSet',
  listKind: 'ReplicaSetList',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  statusIsSubresource: true,
  columns: [
    nameColumn(),
    { name: 'Desired', type: 'integer', description: 'Number of desired pods.', priority: 0, cell: (o) => (o as ReplicaSet).spec.replicas ?? 0 },
    { name: 'Current', type: 'integer', description: 'Number of actual replicas.', priority: 0, cell: (o) => (o as ReplicaSet).status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', description: 'Number of ready replicas.', priority: 0, cell: (o) => (o as ReplicaSet).status?.readyReplicas ?? 0 },
    ageColumn(),
    ...wideTemplateColumns(),
  ],
  applyDefaults: (obj) => {
    const spec = obj.spec as ReplicaSet['spec'];
    if (!isPlainObject(spec)) return;
    spec.replicas ??= 1;
    applyPodSpecDefaults(spec.template?.spec);
  },
  validate: validateWorkload,
  validateUpdate: validateSelectorUnchanged,
};
