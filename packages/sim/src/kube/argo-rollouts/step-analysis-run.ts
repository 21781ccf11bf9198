import type { KubeObject } from '../kube-types.ts';
import { isPlainObject } from '../kube-types.ts';
import type { AnalysisArg, AnalysisRun, AnalysisTemplateSpec, Metric, Rollout, RolloutAnalysis } from './rollout-types.ts';
import { ROLLOUT_HASH_LABEL, ROLLOUT_REVISION_ANNOTATION, ROLLOUT_TYPE_LABEL, STEP_INDEX_LABEL } from './rollout-types.ts';

/** Finds a template by name: an AnalysisTemplate in the rollout's namespace, or a ClusterAnalysisTemplate. */
export type TemplateLookup = (name: string, clusterScope: boolean) => KubeObject | undefined;

export type StepRunPlan = { ok: true; run: AnalysisRun } | { ok: false; message: string };

function templateSpec(obj: KubeObject): AnalysisTemplateSpec {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const metrics: Metric[] = [];
  const args: AnalysisArg[] = [];
  if (Array.isArray(spec.metrics)) for (const m of spec.metrics) if (isPlainObject(m) && typeof m.name === 'string' && isPlainObject(m.provider)) metrics.push({ ...m, name: m.name, provider: m.provider });
  if (Array.isArray(spec.args)) for (const a of spec.args) if (isPlainObject(a) && typeof a.name === 'string') args.push({ name: a.name, ...(typeof a.value === 'string' ? { value: a.value } : {}) });
  return { metrics, args };
}

/** Resolves `{{args.NAME}}` in every string of the metrics (Argo templates the whole metric). */
function substituteArgs(metrics: Metric[], values: Map<string, string>): { ok: true; metrics: Metric[] } | { ok: false; message: string } {
  let missing: string | undefined;
  const text = JSON.stringify(metrics).replace(/\{\{\s*args\.([\w.-]+)\s*\}\}/g, (whole, name: string) => {
    const value = values.get(name);
    if (value === undefined) {
      missing ??= name;
      return whole;
    }
    // The value lands inside a JSON string: escape it as one.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing !== undefined) return { ok: false, message: `args.${missing} was not resolved` };
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return { ok: false, message: 'metrics could not be templated' };
  const templated = parsed.filter(isPlainObject).map((m, i) => ({ ...m, name: metrics[i]?.name ?? '', provider: isPlainObject(m.provider) ? m.provider : {} }));
  return { ok: true, metrics: templated };
}

/**
 * The AnalysisRun a canary `analysis` step creates (rollout/analysis.go): the templates' metrics merged, args
 * from the templates' defaults overridden by the step's (valueFrom.podTemplateHashValue resolved), named
 * `<rollout>-<podHash>-<revision>-<stepIndex>`, labelled with the pod hash, `rollout-type: Step` and the step
 * index, owned by the Rollout.
 */
export function planStepAnalysisRun(rollout: Rollout, analysis: RolloutAnalysis, stepIndex: number, podHash: string, revision: string, lookup: TemplateLookup): StepRunPlan {
  const metrics: Metric[] = [];
  const values = new Map<string, string>();
  for (const ref of analysis.templates ?? []) {
    const name = ref.templateName ?? '';
    const template = lookup(name, ref.clusterScope === true);
    if (!template) return { ok: false, message: `${ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} '${name}' not found` };
    const spec = templateSpec(template);
    metrics.push(...spec.metrics);
    for (const arg of spec.args ?? []) if (arg.value !== undefined) values.set(arg.name, arg.value);
  }
  const args: AnalysisArg[] = [];
  for (const arg of analysis.args ?? []) {
    const fromHash = arg.valueFrom?.podTemplateHashValue;
    const value = fromHash === 'Stable' ? rollout.status?.stableRS : fromHash === 'Latest' ? podHash : arg.value;
    if (value !== undefined) {
      values.set(arg.name, value);
      args.push({ name: arg.name, value });
    }
  }
  const templated = substituteArgs(metrics, values);
  if (!templated.ok) return templated;
  const run: AnalysisRun = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: `${rollout.metadata.name ?? ''}-${podHash}-${revision}-${stepIndex}`,
      namespace: rollout.metadata.namespace,
      labels: { [ROLLOUT_HASH_LABEL]: podHash, [ROLLOUT_TYPE_LABEL]: 'Step', [STEP_INDEX_LABEL]: String(stepIndex) },
      annotations: { [ROLLOUT_REVISION_ANNOTATION]: revision },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rollout.metadata.name ?? '', uid: rollout.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { metrics: templated.metrics, ...(args.length > 0 ? { args } : {}) },
  };
  return { ok: true, run };
}
