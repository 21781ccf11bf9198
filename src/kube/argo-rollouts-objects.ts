import { z } from 'zod';

/*
 * Argo Rollouts' objects (argoproj.io/v1alpha1) as Deckhand reads them: lenient schemas, because we only display and
 * steer what the controller writes, and a field a newer controller adds must not break a deploy. Field names are the
 * real ones (pkg/apis/rollouts/v1alpha1/types.go).
 */

const Labels = z.record(z.string(), z.string());

const Container = z.looseObject({ name: z.string(), image: z.string().optional() });

const PodTemplate = z.looseObject({
  metadata: z.looseObject({ labels: Labels.optional(), annotations: Labels.optional() }).optional(),
  spec: z.looseObject({ containers: z.array(Container).default([]), initContainers: z.array(Container).optional() }).optional(),
});

/** One canary step: exactly one of its keys is set (Argo's own shape). */
const CanaryStep = z.looseObject({
  setWeight: z.number().optional(),
  pause: z.looseObject({ duration: z.union([z.string(), z.number()]).optional() }).optional(),
  analysis: z.looseObject({ templates: z.array(z.looseObject({ templateName: z.string().optional() })).optional() }).optional(),
  experiment: z.unknown().optional(),
  setCanaryScale: z.unknown().optional(),
  setHeaderRoute: z.unknown().optional(),
  setMirrorRoute: z.unknown().optional(),
  plugin: z.unknown().optional(),
});

const AnalysisRunRef = z.looseObject({ name: z.string(), status: z.string().optional(), message: z.string().optional() });
const WeightDestination = z.looseObject({ weight: z.number().default(0), podTemplateHash: z.string().optional(), serviceName: z.string().optional() });

export const RolloutObject = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    generation: z.number().optional(),
    resourceVersion: z.string().optional(),
    annotations: Labels.optional(),
  }),
  spec: z.looseObject({
    replicas: z.number().optional(),
    paused: z.boolean().optional(),
    selector: z.looseObject({ matchLabels: Labels.optional() }).optional(),
    template: PodTemplate.optional(),
    strategy: z.looseObject({
      canary: z.looseObject({ steps: z.array(CanaryStep).optional(), trafficRouting: z.unknown().optional() }).optional(),
      blueGreen: z.looseObject({ activeService: z.string().optional(), previewService: z.string().optional() }).optional(),
    }).optional(),
  }),
  status: z.looseObject({
    phase: z.string().optional(),
    message: z.string().optional(),
    // A string in the real CRD (types.go `ObservedGeneration string`); a number from some tools.
    observedGeneration: z.union([z.string(), z.number()]).optional(),
    currentStepIndex: z.number().optional(),
    currentPodHash: z.string().optional(),
    stableRS: z.string().optional(),
    abort: z.boolean().optional(),
    abortedAt: z.string().optional(),
    promoteFull: z.boolean().optional(),
    controllerPause: z.boolean().optional(),
    pauseConditions: z.array(z.looseObject({ reason: z.string(), startTime: z.string().optional() })).nullish(),
    replicas: z.number().optional(),
    updatedReplicas: z.number().optional(),
    readyReplicas: z.number().optional(),
    availableReplicas: z.number().optional(),
    canary: z.looseObject({
      weights: z.looseObject({ canary: WeightDestination, stable: WeightDestination }).optional(),
      currentStepAnalysisRunStatus: AnalysisRunRef.optional(),
      currentBackgroundAnalysisRunStatus: AnalysisRunRef.optional(),
    }).optional(),
    blueGreen: z.looseObject({ activeSelector: z.string().optional(), previewSelector: z.string().optional() }).optional(),
    conditions: z.array(z.looseObject({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })).optional(),
  }).optional(),
});
export type RolloutObject = z.infer<typeof RolloutObject>;

/** A canary step as the card names it. */
export type RolloutStep =
  | { kind: 'setWeight'; weight: number }
  | { kind: 'pause'; duration?: string }
  | { kind: 'analysis'; templates: string[] }
  | { kind: 'other'; name: string };

/** What Deckhand needs of a Rollout: its template, its strategy and what the controller reports. */
export interface RolloutView {
  namespace: string;
  name: string;
  uid: string;
  generation: number;
  /** -1 until the controller has looked at the Rollout. */
  observedGeneration: number;
  resourceVersion: string;
  strategy: 'canary' | 'blueGreen' | 'none';
  steps: RolloutStep[];
  /** Whether the canary's traffic is routed (Istio, SMI, …) rather than split by replica count. */
  trafficRouted: boolean;
  /** container name → image */
  images: Record<string, string>;
  /** `spec.paused`: paused by a person (`kubectl argo rollouts pause`). */
  paused: boolean;
  phase?: string;
  message?: string;
  currentStepIndex?: number;
  currentPodHash?: string;
  stableRS?: string;
  abort: boolean;
  abortedAt?: string;
  promoteFull: boolean;
  controllerPause: boolean;
  pauseReasons: string[];
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  /** `status.canary.weights`, when the traffic is routed. */
  weights?: { canary: number; stable: number };
  currentStepAnalysisRun?: { name: string; status?: string; message?: string };
  backgroundAnalysisRun?: { name: string; status?: string; message?: string };
  conditions: { type: string; status: string; reason?: string; message?: string }[];
}

function stepOf(s: z.infer<typeof CanaryStep>): RolloutStep {
  if (s.setWeight !== undefined) return { kind: 'setWeight', weight: s.setWeight };
  if (s.pause !== undefined) return s.pause.duration === undefined ? { kind: 'pause' } : { kind: 'pause', duration: String(s.pause.duration) };
  if (s.analysis !== undefined) return { kind: 'analysis', templates: (s.analysis.templates ?? []).map((t) => t.templateName ?? '?') };
  const name = Object.keys(s)[0] ?? 'step';
  return { kind: 'other', name };
}

export function toRolloutView(o: RolloutObject): RolloutView {
  const st = o.status ?? {};
  const canary = o.spec.strategy?.canary;
  const images: Record<string, string> = {};
  for (const c of o.spec.template?.spec?.containers ?? []) images[c.name] = c.image ?? '';
  const observed = st.observedGeneration === undefined || st.observedGeneration === '' ? -1 : Number(st.observedGeneration);
  const weights = st.canary?.weights;
  return {
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    uid: o.metadata.uid ?? '',
    generation: o.metadata.generation ?? 0,
    observedGeneration: Number.isFinite(observed) ? observed : -1,
    resourceVersion: o.metadata.resourceVersion ?? '',
    strategy: canary ? 'canary' : o.spec.strategy?.blueGreen ? 'blueGreen' : 'none',
    steps: (canary?.steps ?? []).map(stepOf),
    trafficRouted: canary?.trafficRouting !== undefined && canary.trafficRouting !== null,
    images,
    paused: o.spec.paused ?? false,
    ...(st.phase !== undefined && { phase: st.phase }),
    ...(st.message !== undefined && st.message !== '' && { message: st.message }),
    ...(st.currentStepIndex !== undefined && { currentStepIndex: st.currentStepIndex }),
    ...(st.currentPodHash !== undefined && { currentPodHash: st.currentPodHash }),
    ...(st.stableRS !== undefined && { stableRS: st.stableRS }),
    abort: st.abort ?? false,
    ...(st.abortedAt !== undefined && { abortedAt: st.abortedAt }),
    promoteFull: st.promoteFull ?? false,
    controllerPause: st.controllerPause ?? false,
    pauseReasons: (st.pauseConditions ?? []).map((p) => p.reason),
    replicas: {
      desired: o.spec.replicas ?? 1, current: st.replicas ?? 0, updated: st.updatedReplicas ?? 0,
      ready: st.readyReplicas ?? 0, available: st.availableReplicas ?? 0,
    },
    ...(weights && { weights: { canary: weights.canary.weight, stable: weights.stable.weight } }),
    ...(st.canary?.currentStepAnalysisRunStatus && { currentStepAnalysisRun: st.canary.currentStepAnalysisRunStatus }),
    ...(st.canary?.currentBackgroundAnalysisRunStatus && { backgroundAnalysisRun: st.canary.currentBackgroundAnalysisRunStatus }),
    conditions: (st.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason !== undefined && { reason: c.reason }), ...(c.message !== undefined && { message: c.message }) })),
  };
}

const Measurement = z.looseObject({
  phase: z.string().optional(),
  value: z.string().optional(),
  message: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

export const AnalysisRunObject = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    creationTimestamp: z.string().optional(),
    labels: Labels.optional(),
    ownerReferences: z.array(z.looseObject({ kind: z.string(), name: z.string(), uid: z.string().optional() })).optional(),
  }),
  status: z.looseObject({
    phase: z.string().optional(),
    message: z.string().optional(),
    metricResults: z.array(z.looseObject({
      name: z.string(),
      phase: z.string().optional(),
      message: z.string().optional(),
      count: z.number().optional(),
      successful: z.number().optional(),
      failed: z.number().optional(),
      inconclusive: z.number().optional(),
      error: z.number().optional(),
      measurements: z.array(Measurement).optional(),
    })).optional(),
  }).optional(),
});
export type AnalysisRunObject = z.infer<typeof AnalysisRunObject>;

/** An AnalysisRun of a Rollout with the measurements of each metric, as the card shows them. */
export interface AnalysisRunView {
  name: string;
  createdAt?: string;
  phase?: string;
  message?: string;
  /** The `step-index` label Argo puts on a step's run; absent on background runs. */
  stepIndex?: number;
  metrics: { name: string; phase?: string; message?: string; successful: number; failed: number; measurements: { phase?: string; value?: string; at?: string }[] }[];
}

export function toAnalysisRunView(o: AnalysisRunObject): AnalysisRunView {
  const step = o.metadata.labels?.['step-index'];
  return {
    name: o.metadata.name,
    ...(o.metadata.creationTimestamp !== undefined && { createdAt: o.metadata.creationTimestamp }),
    ...(o.status?.phase !== undefined && { phase: o.status.phase }),
    ...(o.status?.message !== undefined && o.status.message !== '' && { message: o.status.message }),
    ...(step !== undefined && Number.isInteger(Number(step)) && { stepIndex: Number(step) }),
    metrics: (o.status?.metricResults ?? []).map((m) => ({
      name: m.name,
      ...(m.phase !== undefined && { phase: m.phase }),
      ...(m.message !== undefined && m.message !== '' && { message: m.message }),
      successful: m.successful ?? 0,
      failed: m.failed ?? 0,
      measurements: (m.measurements ?? []).map((x) => ({
        ...(x.phase !== undefined && { phase: x.phase }),
        ...(x.value !== undefined && { value: x.value }),
        ...((x.finishedAt ?? x.startedAt) !== undefined && { at: x.finishedAt ?? x.startedAt }),
      })),
    })),
  };
}

/** A JSON merge patch body: what the plugin sends, to the object (`spec`) or to its status subresource. */
export type MergePatch = Record<string, unknown>;

/**
 * The patches `kubectl argo rollouts promote [--full]` sends for this Rollout (pkg/kubectl-argo-rollouts/cmd/promote):
 * - `--full`: `{status: {promoteFull: true}}` to the status subresource, only while the canary is not yet stable;
 * - otherwise `{spec: {paused: false}}` when paused by a person, and to the status subresource either
 *   `{status: {pauseConditions: null}}` when the Rollout waits at a pause, or, for a canary, the next step index with
 *   the pause conditions cleared (the step being skipped, e.g. a running analysis).
 */
export function promotePatches(r: RolloutView, full: boolean): { spec?: MergePatch; status?: MergePatch } {
  if (full) return r.currentPodHash !== r.stableRS ? { status: { status: { promoteFull: true } } } : {};
  const spec = r.paused ? { spec: { paused: false } } : undefined;
  let status: MergePatch | undefined;
  if (r.pauseReasons.length > 0) {
    status = { status: { pauseConditions: null } };
  } else if (r.strategy === 'canary') {
    let index = r.currentStepIndex ?? 0;
    if (index < r.steps.length) index++;
    status = { status: { pauseConditions: null, currentStepIndex: index } };
  }
  return { ...(spec && { spec }), ...(status && { status }) };
}

/** `kubectl argo rollouts set image`: the container's image in the pod template (init containers too), or undefined when there is no such container. */
export function withImage(o: RolloutObject, container: string, image: string): RolloutObject | undefined {
  const copy = structuredClone(o);
  let found = false;
  const spec = copy.spec.template?.spec;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    if (c.name === container || container === '*') {
      c.image = image;
      found = true;
    }
  }
  return found ? copy : undefined;
}

type Template = { metadata?: { labels?: Record<string, string> }; spec?: unknown };

/**
 * `undo`'s check that the Rollout already runs a revision's template: the Rollout's template (`a`) against the
 * ReplicaSet's (`b`) without Argo's `rollouts-pod-template-hash` label, fields unset in `a` ignored (apimachinery's
 * `Semantic.DeepDerivative`: the API server fills defaults into the ReplicaSet's template, never into the Rollout's).
 */
export function sameTemplateIgnoringHash(a: Template | undefined, b: Template | undefined): boolean {
  const strip = (t: Template | undefined): Template => {
    const copy = structuredClone(t ?? {});
    if (copy.metadata?.labels) delete copy.metadata.labels['rollouts-pod-template-hash'];
    return copy;
  };
  return isDerivative(strip(a), strip(b));
}

function isDerivative(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => isDerivative(x, b[i]));
  if (typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const other = new Map(Object.entries(b));
    return Object.entries(a).every(([k, v]) => isDerivative(v, other.get(k)));
  }
  return a === b;
}
