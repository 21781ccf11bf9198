import { AnalysisRun } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisRun';
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { ClusterAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/ClusterAnalysisTemplate';
import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ResourceType, TableColumn } from '../resource-registry.ts';
import { ageColumn, nameColumn } from '../table.ts';
import { crdSchemaProblems } from './crd-schema-problems.ts';

/** Reads a number at a path of plain objects, for printer columns (`.status.updatedReplicas`). */
function numberAt(obj: KubeObject, ...path: string[]): number | undefined {
  let value: unknown = obj;
  for (const key of path) value = isPlainObject(value) ? value[key] : undefined;
  return typeof value === 'number' ? value : undefined;
}

function stringAt(obj: KubeObject, ...path: string[]): string {
  let value: unknown = obj;
  for (const key of path) value = isPlainObject(value) ? value[key] : undefined;
  return typeof value === 'string' ? value : '';
}

/** The Rollout CRD's additionalPrinterColumns: NAME DESIRED CURRENT UP-TO-DATE AVAILABLE AGE. */
const rolloutColumns: TableColumn[] = [
  nameColumn(),
  { name: 'Desired', type: 'integer', description: 'Number of desired pods', priority: 0, cell: (o) => numberAt(o, 'spec', 'replicas') ?? 1 },
  { name: 'Current', type: 'integer', description: 'Total number of non-terminated pods targeted by this rollout', priority: 0, cell: (o) => numberAt(o, 'status', 'replicas') ?? 0 },
  { name: 'Up-to-date', type: 'integer', description: 'Total number of non-terminated pods targeted by this rollout that have the desired template spec', priority: 0, cell: (o) => numberAt(o, 'status', 'updatedReplicas') ?? 0 },
  { name: 'Available', type: 'integer', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout', priority: 0, cell: (o) => numberAt(o, 'status', 'availableReplicas') ?? 0 },
  ageColumn(),
];

/**
 * argoproj.io/v1alpha1 Rollout, validated against the real CRD schema (`@kubernetes-models/argo-rollouts`). Like the
 * CRD, status and scale are subresources (scale reads `.spec.replicas`, `.status.replicas`, `.status.selector`)
 * and no categories (`kubectl get all` does not list Rollouts);
 * the sim's RolloutController (kube/argo-rollouts) reconciles it.
 */
export const rollouts: ResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  resource: 'rollouts',
  singular: 'rollout',
  kind: 'Rollout',
  listKind: 'RolloutList',
  namespaced: true,
  shortNames: ['ro'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  statusIsSubresource: true,
  columns: rolloutColumns,
  validate: (obj) => crdSchemaProblems(Object.assign(new Rollout(), obj)),
};

export const analysisRuns: ResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  resource: 'analysisruns',
  singular: 'analysisrun',
  kind: 'AnalysisRun',
  listKind: 'AnalysisRunList',
  namespaced: true,
  shortNames: ['ar'],
  tracksGeneration: true,
  columns: [
    nameColumn(),
    { name: 'Status', type: 'string', description: 'AnalysisRun status', priority: 0, cell: (o) => stringAt(o, 'status', 'phase') },
    ageColumn(),
  ],
  validate: (obj) => crdSchemaProblems(Object.assign(new AnalysisRun(), obj)),
};

export const analysisTemplates: ResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  resource: 'analysistemplates',
  singular: 'analysistemplate',
  kind: 'AnalysisTemplate',
  listKind: 'AnalysisTemplateList',
  namespaced: true,
  shortNames: ['at'],
  tracksGeneration: true,
  columns: [nameColumn(), ageColumn()],
  validate: (obj) => crdSchemaProblems(Object.assign(new AnalysisTemplate(), obj)),
};

export const clusterAnalysisTemplates: ResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  resource: 'clusteranalysistemplates',
  singular: 'clusteranalysistemplate',
  kind: 'ClusterAnalysisTemplate',
  listKind: 'ClusterAnalysisTemplateList',
  namespaced: false,
  shortNames: ['cat'],
  tracksGeneration: true,
  columns: [nameColumn(), ageColumn()],
  validate: (obj) => crdSchemaProblems(Object.assign(new ClusterAnalysisTemplate(), obj)),
};
