import { jsonEqual } from '../json-equal.ts';
import type { KubeObject, Pod, ReplicaSet } from '../kube-types.ts';
import { labelSelectorMatcher } from '../label-selector.ts';
import type { ObjectStore, StoreEvent } from '../object-store.ts';
import { randomSuffix } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { storageKey } from '../resource-registry.ts';
import { claimObjects } from './claim-objects.ts';
import type { EventRecorder } from './event-recorder.ts';
import { WorkQueue } from './work-queue.ts';
import { cloneJson } from '../clone-json.ts';

const COMPONENT = 'replicaset-controller';

/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` pods per RS, deleting the
 * least useful first (unscheduled, pending, not ready, youngest), and reports replicas / ready / available.
 * Available means Ready for at least `minReadySeconds`.
 */
export class ReplicaSetController {
  readonly #store: ObjectStore;
  readonly #replicaSets: ResourceType;
  readonly #pods: ResourceType;
  readonly #events: EventRecorder;
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(store: ObjectStore, types: { replicaSets: ResourceType; pods: ResourceType }, events: EventRecorder) {
    this.#store = store;
    this.#replicaSets = types.replicaSets;
    this.#pods = types.pods;
    this.#events = events;
    this.#queue = new WorkQueue((key) => this.#sync(key));
    this.#unsubscribe = store.subscribe((event) => this.#onEvent(event));
    for (const rs of store.list(this.#replicaSets)) this.#queue.add(keyOf(rs));
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #onEvent(event: StoreEvent): void {
    if (event.storageKey === storageKey(this.#replicaSets)) {
      if (event.type !== 'DELETED') this.#queue.add(keyOf(event.object));
    } else if (event.storageKey === storageKey(this.#pods)) {
      const owner = event.object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ReplicaSet');
      if (owner) this.#queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  #sync(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    const rs = this.#store.get(this.#replicaSets, namespace, name) as ReplicaSet | undefined;
    if (!rs) return;
    const ownerRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
    let pods = (claimObjects(this.#store, this.#pods, rs, ownerRef) as Pod[]).filter((pod) => !pod.metadata.deletionTimestamp);
    const diff = pods.length - (rs.spec.replicas ?? 0);
    if (diff < 0) {
      for (let i = 0; i < -diff; i += 1) this.#createPod(rs);
    } else if (diff > 0) {
      for (const pod of [...pods].sort(deletionRank).slice(0, diff)) {
        this.#store.delete(this.#pods, pod.metadata.namespace, pod.metadata.name ?? '');
        this.#events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`, COMPONENT);
      }
    }
    pods = this.#ownedPods(rs);
    this.#updateStatus(rs, pods);
  }

  #ownedPods(rs: ReplicaSet): Pod[] {
    return this.#store.listOwned(this.#pods, rs.metadata.namespace, rs.metadata.uid ?? '', { shared: true, where: (pod) => !pod.metadata.deletionTimestamp && (pod.metadata.ownerReferences?.some((r) => r.controller && r.uid === rs.metadata.uid) ?? false) }) as Pod[];
  }

  #createPod(rs: ReplicaSet): void {
    const template = rs.spec.template;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${rs.metadata.name ?? ''}-${randomSuffix()}`,
        generateName: `${rs.metadata.name ?? ''}-`,
        namespace: rs.metadata.namespace,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: cloneJson(template.spec ?? { containers: [] }) as Pod['spec'],
    };
    const created = this.#store.create(this.#pods, pod);
    this.#events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`, COMPONENT);
  }

  #updateStatus(rs: ReplicaSet, pods: Pod[]): void {
    const now = this.#store.now();
    const minReadyMs = (rs.spec.minReadySeconds ?? 0) * 1000;
    const templateLabels = labelSelectorMatcher({ matchLabels: rs.spec.template.metadata?.labels ?? {} });
    let ready = 0;
    let available = 0;
    let soonestAvailable: number | undefined;
    for (const pod of pods) {
      const readySince = podReadySince(pod);
      if (readySince === undefined) continue;
      ready += 1;
      const availableAt = readySince + minReadyMs;
      if (availableAt <= now) available += 1;
      else soonestAvailable = Math.min(soonestAvailable ?? Infinity, availableAt);
    }
    const status: NonNullable<ReplicaSet['status']> = { replicas: pods.length };
    const fullyLabeled = pods.filter((p) => templateLabels(p.metadata.labels)).length;
    if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    status.observedGeneration = rs.metadata.generation ?? 1;
    if (!jsonEqual(status, rs.status)) this.#store.update(this.#replicaSets, { ...rs, status } as KubeObject, { subresource: 'status' });
    if (soonestAvailable !== undefined) this.#queue.addAfter(keyOf(rs), soonestAvailable - now + 10);
  }
}

/** When the pod last became Ready, or undefined if it is not Ready. */
function podReadySince(pod: Pod): number | undefined {
  const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (condition?.status !== 'True') return undefined;
  return condition.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : 0;
}

/** controller.ActivePods ordering: the pods it is cheapest to lose come first. */
function deletionRank(a: Pod, b: Pod): number {
  const scheduled = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  const phase = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 } as Record<string, number>)[p.status?.phase ?? 'Pending'] ?? 0;
  const readiness = (p: Pod) => (podReadySince(p) === undefined ? 0 : 1);
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
  return (
    scheduled(a) - scheduled(b) ||
    phase(a) - phase(b) ||
    readiness(a) - readiness(b) ||
    (podReadySince(b) ?? 0) - (podReadySince(a) ?? 0) ||
    restarts(b) - restarts(a) ||
    (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')
  );
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
