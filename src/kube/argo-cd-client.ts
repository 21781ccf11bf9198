import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { z } from 'zod';
import { DeckhandError } from '../errors.ts';
import { customObjectsOf } from './custom-objects.ts';
import type { KubeSource } from './kube-client.ts';
import { kubeError } from './kube-status.ts';

const APPLICATIONS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' };
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
/** Argo CD's own "refresh now" annotation (what `argocd app get --refresh` sets); the controller removes it when done. */
const REFRESH = 'argocd.argoproj.io/refresh';

/*
 * The parts of an Argo CD Application (pkg/apis/application/v1alpha1) Deckhand reads. Lenient: it is Argo CD's object,
 * only displayed and compared, and newer Argo CDs add fields; an absent status is an Application not reconciled yet.
 */
const ApplicationObject = z.object({
  metadata: z.object({ name: z.string().optional(), namespace: z.string().optional(), annotations: z.record(z.string(), z.string()).nullish() }).loose().optional(),
  status: z.object({
    sync: z.object({ status: z.string().optional(), revision: z.string().nullish(), revisions: z.array(z.string()).nullish() }).loose().nullish(),
    health: z.object({ status: z.string().optional(), message: z.string().nullish() }).loose().nullish(),
    operationState: z.object({
      phase: z.string().optional(),
      message: z.string().nullish(),
      startedAt: z.string().nullish(),
      finishedAt: z.string().nullish(),
      operation: z.object({ sync: z.object({ revision: z.string().nullish() }).loose().nullish() }).loose().nullish(),
      syncResult: z.object({ revision: z.string().nullish() }).loose().nullish(),
    }).loose().nullish(),
    conditions: z.array(z.object({ type: z.string(), message: z.string().nullish() }).loose()).nullish(),
    reconciledAt: z.string().nullish(),
  }).loose().nullish(),
}).loose();

/** An Application as the card and the GitOps driver see it. */
export interface ArgoApplication {
  namespace: string;
  name: string;
  /** `Synced`, `OutOfSync`, `Unknown` (absent before the first reconcile). */
  syncStatus?: string;
  /** The commit the live state was last compared with (`status.sync.revision`). */
  syncRevision?: string;
  /** `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown`. */
  healthStatus?: string;
  healthMessage?: string;
  /** The last (or running) sync operation: its phase (`Running`, `Succeeded`, `Failed`, `Error`, `Terminating`). */
  operation?: { phase?: string; message?: string; revision?: string; startedAt?: string; finishedAt?: string };
  /** `ComparisonError`, `SyncError`, `InvalidSpecError` … with Argo CD's message. */
  conditions: { type: string; message: string }[];
  reconciledAt?: string;
}

/** Reads Argo CD Applications through the Kubernetes API (CustomObjectsApi); Argo CD's own API server is not needed. */
export interface ArgoCdClient {
  readApplication(namespace: string, name: string): Promise<ArgoApplication>;
  /**
   * Asks Argo CD to look at the repository now instead of at its next poll (3 min by default), the way the
   * `argocd` CLI does: the refresh annotation, which the controller clears. Nothing else of the Application is touched.
   */
  requestRefresh(namespace: string, name: string): Promise<void>;
}

function toApplication(raw: unknown, namespace: string, name: string): ArgoApplication {
  const parsed = ApplicationObject.safeParse(raw);
  if (!parsed.success) throw new DeckhandError('kube_api_error', `application ${namespace}/${name} is not an Argo CD Application Deckhand can read.`, { cause: parsed.error });
  const s = parsed.data.status;
  const op = s?.operationState;
  const opRevision = op?.syncResult?.revision ?? op?.operation?.sync?.revision ?? undefined;
  return {
    namespace, name,
    ...(s?.sync?.status && { syncStatus: s.sync.status }),
    ...((s?.sync?.revision ?? s?.sync?.revisions?.[0]) && { syncRevision: s?.sync?.revision ?? s?.sync?.revisions?.[0] }),
    ...(s?.health?.status && { healthStatus: s.health.status }),
    ...(s?.health?.message && { healthMessage: s.health.message }),
    ...(op && {
      operation: {
        ...(op.phase && { phase: op.phase }), ...(op.message && { message: op.message }), ...(opRevision && { revision: opRevision }),
        ...(op.startedAt && { startedAt: op.startedAt }), ...(op.finishedAt && { finishedAt: op.finishedAt }),
      },
    }),
    conditions: (s?.conditions ?? []).map((c) => ({ type: c.type, message: c.message ?? '' })),
    ...(s?.reconciledAt && { reconciledAt: s.reconciledAt }),
  };
}

export function createArgoCdClient(source: KubeSource): ArgoCdClient {
  const { custom, retry } = customObjectsOf(source);
  const what = (namespace: string, name: string): string => `application ${namespace}/${name}`;
  return {
    async readApplication(namespace, name) {
      let raw: unknown;
      try {
        raw = await retry((o) => custom.getNamespacedCustomObject({ ...APPLICATIONS, namespace, name }, o));
      } catch (err) {
        throw kubeError(err, what(namespace, name));
      }
      return toApplication(raw, namespace, name);
    },
    async requestRefresh(namespace, name) {
      const body = { metadata: { annotations: { [REFRESH]: 'normal' } } };
      try {
        await retry((o) => custom.patchNamespacedCustomObject({ ...APPLICATIONS, namespace, name, body }, o), { options: MERGE });
      } catch (err) {
        throw kubeError(err, what(namespace, name));
      }
    },
  };
}
