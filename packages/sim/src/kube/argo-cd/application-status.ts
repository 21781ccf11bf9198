import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ResourceResult } from './apply-manifests.ts';
import type { HealthStatusCode } from './resource-health.ts';
import type { SourceType } from './render-result.ts';

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type OperationPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error';

/** `status.operationState`, as Argo CD records the last (or running) sync. */
export interface OperationState {
  operation: { sync: { revision: string; prune?: boolean }; initiatedBy: { automated?: boolean; username?: string }; retry: Record<string, never> };
  phase: OperationPhase;
  message: string;
  startedAt: string;
  finishedAt?: string;
  syncResult?: { resources: ResourceResult[]; revision: string; source: unknown };
}

/** One `status.history` entry: a successful sync. */
export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  deployStartedAt: string;
  source: unknown;
  initiatedBy: { automated?: boolean; username?: string };
}

export interface AppCondition {
  type: 'ComparisonError' | 'InvalidSpecError' | 'SyncError';
  message: string;
  lastTransitionTime: string;
}

/** One `status.resources` entry: a resource the Application manages, compared and health-checked. */
export interface ResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: SyncStatusCode;
  health?: { status: HealthStatusCode; message?: string };
  requiresPruning?: boolean;
}

export interface ApplicationStatus {
  sync: { status: SyncStatusCode; revision?: string; comparedTo: { source: unknown; destination: unknown } };
  health: { status: HealthStatusCode; lastTransitionTime: string };
  resources: ResourceStatus[];
  summary: { images?: string[] };
  sourceType?: SourceType;
  conditions?: AppCondition[];
  operationState?: OperationState;
  history?: HistoryEntry[];
  reconciledAt: string;
  controllerNamespace: string;
}

/** The status the controller wrote last time, read back loosely (what it needs to carry forward). */
export interface PreviousStatus {
  health?: { status?: unknown; lastTransitionTime?: unknown };
  conditions: AppCondition[];
  operationState?: OperationState;
  history: HistoryEntry[];
  resources: ResourceStatus[];
}

export function previousStatusOf(app: KubeObject): PreviousStatus {
  const status = isPlainObject(app.status) ? app.status : {};
  return {
    ...(isPlainObject(status.health) && { health: status.health }),
    conditions: Array.isArray(status.conditions) ? status.conditions.filter(isCondition) : [],
    ...(isOperationState(status.operationState) && { operationState: status.operationState }),
    history: Array.isArray(status.history) ? status.history.filter(isHistoryEntry) : [],
    resources: Array.isArray(status.resources) ? status.resources.filter(isResourceStatus) : [],
  };
}

// The controller is the only writer of status; these guards only check it reads back what it wrote.
function isCondition(value: unknown): value is AppCondition {
  return isPlainObject(value) && typeof value.type === 'string' && typeof value.message === 'string';
}
function isOperationState(value: unknown): value is OperationState {
  return isPlainObject(value) && typeof value.phase === 'string' && isPlainObject(value.operation);
}
function isHistoryEntry(value: unknown): value is HistoryEntry {
  return isPlainObject(value) && typeof value.id === 'number' && typeof value.revision === 'string';
}
function isResourceStatus(value: unknown): value is ResourceStatus {
  return isPlainObject(value) && typeof value.kind === 'string' && typeof value.name === 'string';
}

/** Status without the fields that change on every look, to decide whether a write is worth a watch event. */
export function comparableStatus(status: unknown): unknown {
  if (!isPlainObject(status)) return status;
  const { reconciledAt: _ignored, ...rest } = status;
  return rest;
}
