import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ResourceType } from '../resource-registry.ts';
import { ageColumn, nameColumn } from '../table.ts';
import { crdSchemaProblems } from './crd-schema-problems.ts';

function stringAt(obj: KubeObject, ...path: string[]): string {
  let value: unknown = obj;
  for (const key of path) value = isPlainObject(value) ? value[key] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * argoproj.io/v1alpha1 Application, as Argo CD's CRD declares it: namespaced, short names `app`/`apps`, no
 * subresources (the controller writes `status` and clears `operation` through the main endpoint), printer columns
 * SYNC STATUS and HEALTH STATUS (REVISION and PROJECT with `-o wide`). Objects are validated against the CRD's
 * schema (`@kubernetes-models/argo-cd`); the sim's ApplicationController (kube/argo-cd) reconciles them.
 */
export const applications: ResourceType = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  resource: 'applications',
  singular: 'application',
  kind: 'Application',
  listKind: 'ApplicationList',
  namespaced: true,
  shortNames: ['app', 'apps'],
  columns: [
    nameColumn(),
    { name: 'Sync Status', type: 'string', description: 'Status is the sync state of the comparison', priority: 0, cell: (o) => stringAt(o, 'status', 'sync', 'status') },
    { name: 'Health Status', type: 'string', description: 'Status holds the status code of the application', priority: 0, cell: (o) => stringAt(o, 'status', 'health', 'status') },
    { name: 'Revision', type: 'string', description: 'Revision contains information about the revision the comparison has been performed to', priority: 1, cell: (o) => stringAt(o, 'status', 'sync', 'revision') },
    { name: 'Project', type: 'string', description: 'Project is a reference to the project this application belongs to', priority: 1, cell: (o) => stringAt(o, 'spec', 'project') },
    ageColumn(),
  ],
  validate: (obj) => crdSchemaProblems(Object.assign(new Application(), obj)),
};
