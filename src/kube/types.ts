/** What Deckhand needs to know about a Deployment, read from the cluster. */
export interface WorkloadStatus {
  namespace: string;
  name: string;
  resourceVersion: string;
  generation: number;
  observedGeneration: number;
  /** spec.replicas */
  desired: number;
  /** status.replicas: every pod of every ReplicaSet, old ones included. */
  total: number;
  updated: number;
  ready: number;
  available: number;
  /** container name → image */
  images: Record<string, string>;
  revision: number;
  progressDeadlineSeconds: number;
  paused: boolean;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
}

/** One entry of `kubectl rollout history`: a ReplicaSet the Deployment owns. */
export interface RolloutRevision {
  revision: number;
  replicaSet: string;
  images: Record<string, string>;
  changeCause?: string;
  createdAt?: string;
  replicas: number;
}

export interface KubeClient {
  readDeployment(namespace: string, name: string): Promise<WorkloadStatus>;
  /** Strategic-merge patch of one container's image; `changeCause` lands in `kubernetes.io/change-cause`. */
  setImage(namespace: string, name: string, container: string, image: string, changeCause: string): Promise<WorkloadStatus>;
  /**
   * Calls `onChange` with every new state of the Deployment until `signal` aborts or the watch ends.
   * Resolves when the watch closes (server timeout, network): callers re-watch from the last state.
   */
  watchDeployment(namespace: string, name: string, fromResourceVersion: string, onChange: (s: WorkloadStatus) => void, signal: AbortSignal): Promise<void>;
  listRevisions(namespace: string, name: string): Promise<RolloutRevision[]>;
  /**
   * `kubectl rollout undo` semantics: copy the pod template of `toRevision` (default: the previous one) back into
   * the Deployment. Returns the revision restored, or `skipped` when the template already matches it.
   */
  undo(namespace: string, name: string, toRevision?: number): Promise<{ restored: number; skipped: boolean }>;
  /** Reachability check for /readyz and start-up. */
  ping(): Promise<void>;
}
