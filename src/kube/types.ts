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

/** A Deployment the namespace watch saw change: its state now, or none when it was deleted. */
export interface DeploymentChange {
  namespace: string;
  name: string;
  status?: WorkloadStatus;
}

export interface KubeClient extends KubeWorkloads {
  readDeployment(namespace: string, name: string): Promise<WorkloadStatus>;
  /** Strategic-merge patch of one container's image; `changeCause` lands in `kubernetes.io/change-cause`. */
  setImage(namespace: string, name: string, container: string, image: string, changeCause: string): Promise<WorkloadStatus>;
  /**
   * Calls `onChange` with every new state of the Deployment until `signal` aborts or the watch ends.
   * Resolves when the watch closes (server timeout, network): callers re-watch from the last state.
   */
  watchDeployment(namespace: string, name: string, fromResourceVersion: string, onChange: (s: WorkloadStatus) => void, signal: AbortSignal): Promise<void>;
  /**
   * Calls `onChange` with every Deployment of `namespace` that is added, changed (with its new state) or deleted
   * (without one), the current ones first, until `signal` aborts or the watch ends; resolves then, and the caller
   * watches again.
   */
  watchNamespaceDeployments(namespace: string, onChange: (change: DeploymentChange) => void, signal: AbortSignal): Promise<void>;
  listRevisions(namespace: string, name: string): Promise<RolloutRevision[]>;
  /**
   * `kubectl rollout undo` semantics: copy the pod template of `toRevision` (default: the previous one) back into
   * the Deployment. Returns the revision restored, or `skipped` when the template already matches it.
   */
  undo(namespace: string, name: string, toRevision?: number): Promise<{ restored: number; skipped: boolean }>;
  /** Reachability check for /readyz and start-up. */
  ping(): Promise<void>;
}

/** A pod as probes and traffic checks see it. */
export interface PodInfo {
  name: string;
  namespace: string;
  ip?: string;
  ready: boolean;
  /** The first declared containerPort of the first container (8080 when none is declared). */
  port: number;
  images: Record<string, string>;
  labels: Record<string, string>;
  deleting: boolean;
}

/** One backendRef of an HTTPRoute rule: `spec.rules[rule].backendRefs[].{name, weight}`. */
export interface RouteBackend {
  name: string;
  /** Absent as in the route itself (Gateway API's default is 1); kept absent so a restore is exact. */
  weight?: number;
}

/**
 * What progressive delivery needs from the cluster beyond the rolling basics. Every write is "set to this
 * value", so a step re-run after a crash repeats it harmlessly.
 */
export interface KubeWorkloads {
  /** The Deployment, or undefined when it does not exist. */
  findDeployment(namespace: string, name: string): Promise<WorkloadStatus | undefined>;
  /**
   * Creates `name` as a copy of Deployment `from` (its pod template and strategy) with another image, replica
   * count and pod labels (the selector follows the labels). An existing `name` is left as it is and returned.
   */
  createDeploymentFrom(namespace: string, from: string, name: string, o: { container: string; image: string; replicas: number; podLabels: Record<string, string>; annotations?: Record<string, string> }): Promise<WorkloadStatus>;
  scaleDeployment(namespace: string, name: string, replicas: number): Promise<void>;
  /** Deletes the Deployment and (in the background) its ReplicaSets and pods; absent is not an error. */
  deleteDeployment(namespace: string, name: string): Promise<void>;
  /** The Service's selector, or undefined when it does not exist. */
  readServiceSelector(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Creates a ClusterIP Service like `from` (same ports) with another selector; an existing one gets the selector. */
  ensureService(namespace: string, from: string, name: string, selector: Record<string, string>): Promise<void>;
  /** Replaces the Service's selector (blue-green switch). */
  setServiceSelector(namespace: string, name: string, selector: Record<string, string>): Promise<void>;
  deleteService(namespace: string, name: string): Promise<void>;
  /** Backends of every rule of an HTTPRoute (gateway.networking.k8s.io/v1), rule by rule. */
  readRouteBackends(namespace: string, route: string): Promise<RouteBackend[][]>;
  /** Writes the backends of every rule (read-modify-write on resourceVersion, retried on conflict). */
  setRouteBackends(namespace: string, route: string, rules: RouteBackend[][]): Promise<void>;
  listPods(namespace: string, labelSelector: Record<string, string>): Promise<PodInfo[]>;
}
