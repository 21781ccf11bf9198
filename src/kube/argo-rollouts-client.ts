import { AppsV1Api, PatchStrategy, setHeaderOptions, ApiException, type V1PodTemplateSpec, type V1ReplicaSet } from '@kubernetes/client-node';
import { z } from 'zod';
import { DeckhandError } from '../errors.ts';
import { customObjectsOf } from './custom-objects.ts';
import type { KubeSource } from './kube-client.ts';
import { kubeError } from './kube-status.ts';
import { makeApiClient } from './request-http-library.ts';
import {
  AnalysisRunObject, RolloutObject, promotePatches, sameTemplateIgnoringHash, toAnalysisRunView, toRolloutView, withImage,
  type AnalysisRunView, type MergePatch, type RolloutView,
} from './argo-rollouts-objects.ts';

export { promotePatches, type AnalysisRunView, type RolloutStep, type RolloutView } from './argo-rollouts-objects.ts';

const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };
const ANALYSIS_RUNS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns' };
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const REVISION = 'rollout.argoproj.io/revision';
/** The plugin's `set image` tries this many times when the Rollout changed between its read and its update. */
const SET_IMAGE_ATTEMPTS = 5;

/**
 * Argo Rollouts through the Kubernetes API, with exactly the writes `kubectl argo rollouts` makes
 * (pkg/kubectl-argo-rollouts/cmd/*): merge patches of `spec` on the object and of `status` on the status
 * subresource, `set image` as read-modify-update, `undo` as a JSON patch of `spec.template` from a ReplicaSet.
 */
export interface ArgoRolloutsClient {
  getRollout(namespace: string, name: string): Promise<RolloutView>;
  /** `set image <rollout> <container>=<image>`. */
  setImage(namespace: string, name: string, container: string, image: string): Promise<RolloutView>;
  /** `promote [--full]`. Returns the Rollout as the last patch left it. */
  promote(namespace: string, name: string, full: boolean): Promise<RolloutView>;
  /** `pause`: `{spec: {paused: true}}`. */
  pause(namespace: string, name: string): Promise<RolloutView>;
  /** `resume` (older plugins; the inverse of pause): `{spec: {paused: false}}`. */
  resume(namespace: string, name: string): Promise<RolloutView>;
  /** `abort`: `{status: {abort: true}}` on the status subresource. */
  abort(namespace: string, name: string): Promise<RolloutView>;
  /** `retry rollout`: `{status: {abort: false}}` on the status subresource. */
  retry(namespace: string, name: string): Promise<RolloutView>;
  /**
   * `undo [--to-revision N]`: the pod template of that revision's ReplicaSet (default: the one before the newest)
   * back into the Rollout; `skipped` when the template already matches it.
   */
  /** The revisions the Rollout still has a ReplicaSet for, newest first, with their images. */
  listRevisions(namespace: string, name: string): Promise<{ revision: number; images: Record<string, string> }[]>;
  undo(namespace: string, name: string, toRevision?: number): Promise<{ revision: number; skipped: boolean; images: Record<string, string> }>;
  /** The Rollout's AnalysisRuns (owned by it), oldest first. */
  listAnalysisRuns(namespace: string, rollout: string): Promise<AnalysisRunView[]>;
}

export function createArgoRolloutsClient(source: KubeSource): ArgoRolloutsClient {
  const { kc, custom, retry } = customObjectsOf(source);
  const apps = makeApiClient(kc, AppsV1Api);
  const what = (namespace: string, name: string): string => `rollout ${namespace}/${name}`;

  async function readObject(namespace: string, name: string): Promise<RolloutObject> {
    let raw: unknown;
    try {
      raw = await retry((o) => custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace, name }, o));
    } catch (err) {
      throw kubeError(err, what(namespace, name));
    }
    return parseRollout(raw, namespace, name);
  }

  /** A merge patch is "set to": sent again after a lost answer, it leaves the Rollout as one send would. */
  async function patch(namespace: string, name: string, body: MergePatch, subresource: 'status' | undefined): Promise<RolloutView> {
    let raw: unknown;
    try {
      raw = subresource === 'status'
        ? await retry((o) => custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace, name, body }, o), { options: MERGE })
        : await retry((o) => custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace, name, body }, o), { options: MERGE });
    } catch (err) {
      throw kubeError(err, what(namespace, name));
    }
    return toRolloutView(parseRollout(raw, namespace, name));
  }

  /** The ReplicaSets the Rollout controls, newest revision first (`rollout.argoproj.io/revision`). */
  async function revisionsOf(ro: RolloutObject): Promise<{ rs: V1ReplicaSet; revision: number }[]> {
    const namespace = ro.metadata.namespace ?? '';
    const selector = Object.entries(ro.spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    let sets: V1ReplicaSet[];
    try {
      sets = (await retry((o) => apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }, o))).items
        .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === ro.metadata.uid));
    } catch (err) {
      throw kubeError(err, `replicasets of ${what(namespace, ro.metadata.name)}`);
    }
    return sets
      .map((rs) => ({ rs, revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0) }))
      .filter((x) => Number.isInteger(x.revision))
      .sort((a, b) => b.revision - a.revision);
  }

  return {
    async getRollout(namespace, name) {
      return toRolloutView(await readObject(namespace, name));
    },

    async setImage(namespace, name, container, image) {
      for (let attempt = 1; ; attempt++) {
        const current = await readObject(namespace, name);
        const changed = withImage(current, container, image);
        if (!changed) throw new DeckhandError('kube_not_found', `Rollout ${namespace}/${name} has no container named "${container}". Check the service's config.`);
        try {
          // An update carries the resourceVersion read: a Rollout changed meanwhile answers 409 and is read again.
          const raw: unknown = await retry((o) => custom.replaceNamespacedCustomObject({ ...ROLLOUTS, namespace, name, body: changed }, o));
          return toRolloutView(parseRollout(raw, namespace, name));
        } catch (err) {
          if (err instanceof ApiException && err.code === 409 && attempt < SET_IMAGE_ATTEMPTS) continue;
          throw kubeError(err, what(namespace, name));
        }
      }
    },

    async promote(namespace, name, full) {
      let r = toRolloutView(await readObject(namespace, name));
      const { spec, status } = promotePatches(r, full);
      if (status) r = await patch(namespace, name, status, 'status');
      if (spec) r = await patch(namespace, name, spec, undefined);
      return r;
    },

    pause: (namespace, name) => patch(namespace, name, { spec: { paused: true } }, undefined),
    resume: (namespace, name) => patch(namespace, name, { spec: { paused: false } }, undefined),
    abort: (namespace, name) => patch(namespace, name, { status: { abort: true } }, 'status'),
    retry: (namespace, name) => patch(namespace, name, { status: { abort: false } }, 'status'),

    async listRevisions(namespace, name) {
      const sets = await revisionsOf(await readObject(namespace, name));
      return sets.map((x) => ({ revision: x.revision, images: imagesOf(x.rs.spec?.template) }));
    },

    async undo(namespace, name, toRevision) {
      const ro = await readObject(namespace, name);
      const byRevision = await revisionsOf(ro);
      const target = toRevision !== undefined ? byRevision.find((x) => x.revision === toRevision) : byRevision[1];
      if (!target) {
        throw new DeckhandError('rollback_no_revision', toRevision !== undefined
          ? `Revision ${toRevision} of ${what(namespace, name)} is not in its history (Argo keeps revisionHistoryLimit ReplicaSets).`
          : `${what(namespace, name)} has no previous revision to undo to.`);
      }
      const template = structuredClone(target.rs.spec?.template ?? {});
      const images = imagesOf(template);
      if (sameTemplateIgnoringHash(ro.spec.template, template)) return { revision: target.revision, skipped: true, images };
      if (template.metadata?.labels) delete template.metadata.labels['rollouts-pod-template-hash'];
      const body = [{ op: 'replace', path: '/spec/template', value: template }];
      try {
        // A JSON patch "replace" of the whole template is idempotent: a retry after a lost answer writes the same.
        await retry((o) => custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace, name, body }, o), { options: JSON_PATCH });
      } catch (err) {
        throw kubeError(err, what(namespace, name));
      }
      return { revision: target.revision, skipped: false, images };
    },

    async listAnalysisRuns(namespace, rollout) {
      let raw: unknown;
      try {
        raw = await retry((o) => custom.listNamespacedCustomObject({ ...ANALYSIS_RUNS, namespace }, o));
      } catch (err) {
        throw kubeError(err, `analysisruns in ${namespace}`);
      }
      const list = AnalysisRunList.safeParse(raw);
      if (!list.success) throw new DeckhandError('kube_api_error', `The AnalysisRuns in ${namespace} are not what Argo Rollouts writes.`);
      return list.data.items
        .filter((ar) => (ar.metadata.ownerReferences ?? []).some((ref) => ref.kind === 'Rollout' && ref.name === rollout))
        .map(toAnalysisRunView)
        .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name));
    },
  };
}

function imagesOf(template: V1PodTemplateSpec | undefined): Record<string, string> {
  const images: Record<string, string> = {};
  for (const c of template?.spec?.containers ?? []) images[c.name] = c.image ?? '';
  return images;
}

const AnalysisRunList = z.object({ items: z.array(AnalysisRunObject) });

function parseRollout(raw: unknown, namespace: string, name: string): RolloutObject {
  const parsed = RolloutObject.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeckhandError('kube_api_error', `Rollout ${namespace}/${name} is not what Argo Rollouts writes (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}).`);
  }
  return parsed.data;
}
