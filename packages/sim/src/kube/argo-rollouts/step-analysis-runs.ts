import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { ObjectStore } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import type { AnalysisPhase, Rollout, RolloutAnalysis, RolloutStatus } from './rollout-types.ts';
import { isCompletedPhase, ROLLOUT_HASH_LABEL, STEP_INDEX_LABEL } from './rollout-types.ts';
import { planStepAnalysisRun } from './step-analysis-run.ts';

export interface AnalysisTypes {
  analysisRuns: ResourceType;
  analysisTemplates: ResourceType;
  clusterAnalysisTemplates: ResourceType;
}

export type StepRunState = { name: string; phase: AnalysisPhase | undefined; message?: string } | { invalid: string };

export function analysisPhaseOf(run: KubeObject): AnalysisPhase | undefined {
  const status = isPlainObject(run.status) ? run.status : {};
  switch (status.phase) {
    case 'Pending':
    case 'Running':
    case 'Successful':
    case 'Failed':
    case 'Error':
    case 'Inconclusive':
      return status.phase;
    default:
      return undefined;
  }
}

/**
 * The AnalysisRun of the step at `index` for this pod hash — the one `status.canary.currentStepAnalysisRunStatus`
 * names, if it is that step's — else a new one from the step's templates. A name already taken (a retried step)
 * gets `.1`, `.2` … as Argo's CreateWithCollisionCounter does.
 */
export function ensureStepRun(store: ObjectStore, types: AnalysisTypes, rollout: Rollout, status: RolloutStatus, index: number, analysis: RolloutAnalysis, hash: string, revision: number): StepRunState {
  const namespace = rollout.metadata.namespace ?? '';
  const recorded = status.canary?.currentStepAnalysisRunStatus?.name;
  const existing = recorded ? store.get(types.analysisRuns, namespace, recorded) : undefined;
  if (existing && existing.metadata.labels?.[STEP_INDEX_LABEL] === String(index) && existing.metadata.labels[ROLLOUT_HASH_LABEL] === hash) {
    const message = isPlainObject(existing.status) && typeof existing.status.message === 'string' ? existing.status.message : undefined;
    return { name: existing.metadata.name ?? '', phase: analysisPhaseOf(existing), ...(message ? { message } : {}) };
  }
  const plan = planStepAnalysisRun(rollout, analysis, index, hash, String(revision), (templateName, clusterScope) =>
    clusterScope ? store.get(types.clusterAnalysisTemplates, undefined, templateName) : store.get(types.analysisTemplates, namespace, templateName));
  if (!plan.ok) return { invalid: plan.message };
  const base = plan.run.metadata.name ?? '';
  for (let attempt = 0; ; attempt += 1) {
    const candidate = attempt === 0 ? base : `${base}.${attempt}`;
    if (store.get(types.analysisRuns, namespace, candidate)) continue;
    const created = store.create(types.analysisRuns, { ...plan.run, metadata: { ...plan.run.metadata, name: candidate } });
    return { name: created.metadata.name ?? candidate, phase: 'Pending' };
  }
}

/** Step runs of this rollout other than the current step's (promoted past, or aborted: index -1) stop measuring. */
export function terminateStepRunsOtherThan(store: ObjectStore, analysisRuns: ResourceType, rollout: Rollout, index: number, hash: string): void {
  for (const run of store.listOwned(analysisRuns, rollout.metadata.namespace, rollout.metadata.uid ?? '')) {
    const spec = isPlainObject(run.spec) ? run.spec : {};
    if (isCompletedPhase(analysisPhaseOf(run)) || spec.terminate === true) continue;
    if (run.metadata.labels?.[STEP_INDEX_LABEL] === String(index) && run.metadata.labels[ROLLOUT_HASH_LABEL] === hash) continue;
    store.update(analysisRuns, { ...run, spec: { ...spec, terminate: true } });
  }
}
