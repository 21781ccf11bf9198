/**
 * The slice of Argo Rollouts' v1alpha1 types the sim's controllers read and write (pkg/apis/rollouts/v1alpha1).
 * Objects stay plain JSON; the API server validated them against the real CRD schema before they were stored,
 * so the controllers read these shapes without re-checking every field.
 */
import type { Condition, KubeObject, LabelSelector, PodTemplateSpec } from '../kube-types.ts';

export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';
export const ROLLOUT_REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const MANAGED_BY_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';

export interface AnalysisArg {
  name: string;
  value?: string;
  valueFrom?: { podTemplateHashValue?: 'Stable' | 'Latest'; fieldRef?: { fieldPath: string } };
}

export interface RolloutAnalysis {
  templates?: Array<{ templateName?: string; clusterScope?: boolean }>;
  args?: AnalysisArg[];
}

/** One canary step: exactly one field set (the CRD's shape; our code turns it into a `kind` union at once). */
export interface CanaryStepSpec {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: RolloutAnalysis;
  [other: string]: unknown;
}

export interface IstioTrafficRouting {
  virtualService?: { name: string; routes?: string[] };
  virtualServices?: Array<{ name: string; routes?: string[] }>;
  destinationRule?: { name: string; canarySubsetName: string; stableSubsetName: string };
}

export interface CanaryStrategy {
  canaryService?: string;
  stableService?: string;
  steps?: CanaryStepSpec[];
  trafficRouting?: { istio?: IstioTrafficRouting; [other: string]: unknown };
  [other: string]: unknown;
}

export interface RolloutSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  progressDeadlineAbort?: boolean;
  strategy: { canary?: CanaryStrategy; blueGreen?: Record<string, unknown> };
}

export interface PauseCondition {
  reason: string;
  startTime: string;
}

export interface RolloutAnalysisRunStatus {
  name: string;
  status: string;
  message?: string;
}

export interface WeightDestination {
  weight: number;
  podTemplateHash?: string;
  serviceName?: string;
}

export interface RolloutStatus {
  abort?: boolean;
  abortedAt?: string;
  pauseConditions?: PauseCondition[] | null;
  controllerPause?: boolean;
  currentPodHash?: string;
  currentStepHash?: string;
  currentStepIndex?: number;
  stableRS?: string;
  promoteFull?: boolean;
  observedGeneration?: string;
  phase?: string;
  message?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  HPAReplicas?: number;
  selector?: string;
  collisionCount?: number;
  conditions?: Condition[];
  blueGreen?: { activeSelector?: string; previewSelector?: string };
  canary?: {
    currentStepAnalysisRunStatus?: RolloutAnalysisRunStatus;
    weights?: { canary: WeightDestination; stable: WeightDestination };
  };
  [other: string]: unknown;
}

export interface Rollout extends KubeObject {
  spec: RolloutSpec;
  status?: RolloutStatus;
}

export interface PrometheusProvider {
  address?: string;
  query?: string;
}

export interface Metric {
  name: string;
  interval?: string;
  initialDelay?: string;
  count?: number | string;
  failureLimit?: number | string;
  inconclusiveLimit?: number | string;
  consecutiveErrorLimit?: number | string;
  successCondition?: string;
  failureCondition?: string;
  provider: { prometheus?: PrometheusProvider; [other: string]: unknown };
}

export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

export interface Measurement {
  phase: AnalysisPhase;
  value?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface MetricResult {
  name: string;
  phase: AnalysisPhase;
  measurements?: Measurement[];
  message?: string;
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
  consecutiveError?: number;
}

export interface AnalysisRun extends KubeObject {
  spec: { metrics: Metric[]; args?: AnalysisArg[]; terminate?: boolean };
  status?: {
    phase?: AnalysisPhase;
    message?: string;
    startedAt?: string;
    metricResults?: MetricResult[];
    runSummary?: { count?: number; successful?: number; failed?: number; inconclusive?: number; error?: number };
  };
}

export interface AnalysisTemplateSpec {
  metrics: Metric[];
  args?: AnalysisArg[];
}

/** Phases after which an AnalysisRun takes no more measurements. */
export function isCompletedPhase(phase: AnalysisPhase | undefined): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
