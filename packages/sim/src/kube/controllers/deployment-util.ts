import { jsonEqual } from '../json-equal.ts';
import type { Condition, Deployment, IntOrString, KubeObject, PodTemplateSpec, ReplicaSet } from '../kube-types.ts';

/**
 * Pure helpers mirroring k8s.io/kubernetes pkg/controller/deployment/util/deployment_util.go. Names follow the
 * Go functions so the two can be read side by side.
 */

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Deployment annotations never copied to a ReplicaSet (deployment_util.go skipCopyAnnotation). */
const SKIP_COPY_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

export const Reasons = {
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The `pod-template-hash`: FNV-32a over the template (plus collisionCount), its decimal digits mapped through
 * apimachinery's SafeEncodeString alphabet — the same shape as a real cluster's (`7d9c6b5f4`), though not the
 * same value (Go hashes a spew dump; we hash canonical JSON).
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  const withoutHash = normalizeTemplate(templateWithoutHash(template));
  let text = canonicalJson(withoutHash);
  if (collisionCount !== undefined) text += String(collisionCount);
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The template without its pod-template-hash label. Only the path to the labels is new; the rest is shared with
 * the template given, so it is for reading (hashing, comparing): a deployment's sync compares every ReplicaSet's.
 */
function templateWithoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = template.metadata?.labels;
  if (!labels || !(POD_TEMPLATE_HASH_LABEL in labels)) return template;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/** Templates equal apart from the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return jsonEqual(normalizeTemplate(templateWithoutHash(a)), normalizeTemplate(templateWithoutHash(b)));
}

/** `labels: {}` and no labels are the same template; so are `metadata: {}` and none (Go's nil vs empty). */
function normalizeTemplate(template: PodTemplateSpec): PodTemplateSpec {
  const meta = { ...(template.metadata ?? {}) };
  for (const key of Object.keys(meta)) {
    const value = meta[key];
    if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)) delete meta[key];
  }
  return { ...template, metadata: meta };
}

export function revisionOf(obj: KubeObject): number {
  const value = obj.metadata.annotations?.[REVISION_ANNOTATION];
  const parsed = value === undefined ? 0 : Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? parsed : 0;
}

export function maxRevision(replicaSets: ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Resolves an int-or-percent against a total; percents round up for surge and down for unavailable. */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (trimmed.endsWith('%')) {
    const percent = Number.parseInt(trimmed.slice(0, -1), 10);
    const exact = (percent * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  const asInt = Number.parseInt(trimmed, 10);
  return Number.isFinite(asInt) ? asInt : 0;
}

/** ResolveFenceposts: (maxSurge, maxUnavailable), never both zero. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const rolling = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge ?? '25%', rolling?.maxUnavailable ?? '25%', d.spec.replicas ?? 1)[0];
}

export function maxUnavailable(d: Deployment): number {
  const replicas = d.spec.replicas ?? 1;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const rolling = d.spec.strategy?.rollingUpdate;
  const unavailable = resolveFenceposts(rolling?.maxSurge ?? '25%', rolling?.maxUnavailable ?? '25%', replicas)[1];
  return Math.min(unavailable, replicas);
}

export function specReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 0;
}

/** GetReplicaCountForReplicaSets: the sum of desired replicas. */
export function replicaCount(replicaSets: ReplicaSet[]): number {
  return replicaSets.reduce((sum, rs) => sum + specReplicas(rs), 0);
}

/** NewRSNewReplicas for RollingUpdate: how far the new ReplicaSet may grow within maxSurge. */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = d.spec.replicas ?? 1;
  if (!isRollingUpdate(d)) return replicas;
  const maxTotalPods = replicas + maxSurge(d);
  const currentPodCount = replicaCount(allRSs);
  if (currentPodCount >= maxTotalPods) return specReplicas(newRS);
  const scaleUpCount = Math.min(maxTotalPods - currentPodCount, replicas - specReplicas(newRS));
  return specReplicas(newRS) + Math.max(0, scaleUpCount);
}

/** How many old pods may go now: everything above minAvailable, less the new RS's still-unavailable pods. */
export function maxScaledDown(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const minAvailable = (d.spec.replicas ?? 1) - maxUnavailable(d);
  const newRSUnavailable = newRS ? specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  return replicaCount(allRSs) - minAvailable - newRSUnavailable;
}

/** Oldest first, ties by name (controller.ReplicaSetsByCreationTimestamp). */
export function byCreation<T extends KubeObject>(a: T, b: T): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** Copies the deployment's annotations (except the controller's own) onto a ReplicaSet; true if any changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const annotations = (rs.metadata.annotations ??= {});
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY_ANNOTATIONS.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: copy annotations, and raise the revision when this RS becomes the new one
 * again (a rollback), remembering the revisions it had in revision-history.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const old = annotations[REVISION_ANNOTATION];
  const oldRevision = old === undefined ? 0 : Number.parseInt(old, 10) || 0;
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (old !== undefined) {
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      annotations[REVISION_HISTORY_ANNOTATION] = history ? `${history},${old}` : old;
    }
  }
  if (!exists && setReplicasAnnotations(rs, d.spec.replicas ?? 1, (d.spec.replicas ?? 1) + maxSurge(d))) changed = true;
  return changed;
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

export function getCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, timestamp: string): Condition {
  return { type, status, lastUpdateTime: timestamp, lastTransitionTime: timestamp, reason, message };
}

/** SetDeploymentCondition: no-op when status and reason are unchanged; keeps lastTransitionTime when status is. */
export function setCondition(conditions: Condition[], condition: Condition): Condition[] {
  const current = getCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return conditions;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(conditions: Condition[], type: string): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

type DeploymentStatus = NonNullable<Deployment['status']>;

/** DeploymentComplete: every desired replica updated and available, and the spec observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = d.spec.replicas ?? 1;
  return (status.updatedReplicas ?? 0) === replicas && (status.replicas ?? 0) === replicas && (status.availableReplicas ?? 0) === replicas && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: anything moved forward since the last recorded status. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** Milliseconds until the Progressing condition's deadline passes (≤ 0: passed), or undefined if none applies. */
export function msUntilProgressDeadline(d: Deployment, status: DeploymentStatus, now: number): number | undefined {
  const deadline = d.spec.progressDeadlineSeconds;
  if (deadline === undefined || deadline >= 2147483647) return undefined;
  const condition = getCondition(status.conditions, 'Progressing');
  if (!condition || condition.reason === Reasons.NewReplicaSetAvailable || condition.reason === Reasons.ProgressDeadlineExceeded) return undefined;
  if (condition.status !== 'True' || !condition.lastUpdateTime) return undefined;
  return Date.parse(condition.lastUpdateTime) + deadline * 1000 - now;
}

/**
 * reconcileOldReplicaSets as a plan: first drop old RSs' unhealthy (unavailable) pods within maxScaledDown,
 * then scale old RSs down, oldest first, as far as availability above minAvailable allows. Returns the new
 * replica count for each RS it would change, by name.
 */
export function planOldReplicaSetScaleDown(d: Deployment, oldRSs: ReplicaSet[], newRS: ReplicaSet): Map<string, number> {
  const plan = new Map<string, number>();
  if (replicaCount(oldRSs) === 0) return plan;
  const olds = [...oldRSs].sort(byCreation);
  const allRSs = [...olds, newRS];
  const minAvailable = (d.spec.replicas ?? 1) - maxUnavailable(d);
  const budget = maxScaledDown(d, allRSs, newRS);
  if (budget <= 0) return plan;
  const replicasOf = (rs: ReplicaSet) => plan.get(rs.metadata.name ?? '') ?? specReplicas(rs);

  let cleaned = 0;
  for (const rs of olds) {
    if (cleaned >= budget) break;
    if (replicasOf(rs) === 0) continue;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (unhealthy <= 0) continue;
    const cut = Math.min(budget - cleaned, unhealthy);
    plan.set(rs.metadata.name ?? '', replicasOf(rs) - cut);
    cleaned += cut;
  }

  const available = allRSs.reduce((sum, rs) => sum + (rs.status?.availableReplicas ?? 0), 0);
  if (available <= minAvailable) return plan;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of olds) {
    if (scaled >= total) break;
    if (replicasOf(rs) === 0) continue;
    const cut = Math.min(replicasOf(rs), total - scaled);
    plan.set(rs.metadata.name ?? '', replicasOf(rs) - cut);
    scaled += cut;
  }
  return plan;
}
