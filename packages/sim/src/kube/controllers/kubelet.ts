import type { Condition, ContainerStatus, KubeObject, Pod } from '../kube-types.ts';
import { formatTimestamp } from '../kube-types.ts';
import type { ObjectStore, StoreEvent } from '../object-store.ts';
import type { ResourceType } from '../resource-registry.ts';
import { storageKey } from '../resource-registry.ts';
import type { EventRecorder } from './event-recorder.ts';

export const SIM_NODE_NAME = 'deckhand-sim-node';

export interface KubeletOptions {
  /** How long a pod takes from creation to Ready. */
  readyDelayMs: number;
  /** Extra 0..readyJitterMs per pod, drawn from a seeded generator: uneven like a real node, same every run. */
  readyJitterMs?: number;
  /** How long a deleted pod shows as Terminating before it is gone (default: readyDelayMs). */
  terminationDelayMs?: number;
  /** Pods with a container running such an image crash on start and never become Ready. */
  isFaultyImage: (image: string) => boolean;
}

/** Back-off between crash restarts: doubles from here, capped, like the kubelet's 10s→5m but scaled down. */
const CRASH_BACKOFF_CAP_MS = 30_000;

/**
 * Scheduler and kubelet in one: binds each new pod to the single sim node, then after `readyDelayMs` either
 * runs it (Running, Ready) or — for a faulty image — lets it crash: Running with the container in
 * CrashLoopBackOff, restartCount rising with back-off, never Ready. What `kubectl get pods` shows on a real
 * cluster when a bad image starts and exits.
 */
export class Kubelet {
  readonly #store: ObjectStore;
  readonly #pods: ResourceType;
  readonly #events: EventRecorder;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** Pods being stopped: their containers' fate no longer matters, only their removal. */
  readonly #terminating = new Set<string>();
  readonly #unsubscribe: () => void;
  #options: KubeletOptions;
  #nextIp = 10;
  #random = seededRandom(0x5eed);

  constructor(store: ObjectStore, pods: ResourceType, events: EventRecorder, options: KubeletOptions) {
    this.#store = store;
    this.#pods = pods;
    this.#events = events;
    this.#options = options;
    this.#unsubscribe = store.subscribe((event) => this.#onEvent(event));
  }

  setOptions(options: Partial<KubeletOptions>): void {
    this.#options = { ...this.#options, ...options };
  }

  close(): void {
    this.#unsubscribe();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #onEvent(event: StoreEvent): void {
    if (event.storageKey !== storageKey(this.#pods)) return;
    const key = keyOf(event.object);
    if (event.type === 'DELETED') {
      clearTimeout(this.#timers.get(key));
      this.#timers.delete(key);
      this.#terminating.delete(key);
      return;
    }
    if (event.object.metadata.deletionTimestamp) {
      if (!this.#terminating.has(key)) {
        this.#terminating.add(key);
        this.#events.record(event.object, 'Normal', 'Killing', `Stopping container ${(event.object as Pod).spec.containers.map((c) => c.name).join(', ')}`, 'kubelet');
        this.#after(key, this.#options.terminationDelayMs ?? this.#options.readyDelayMs, () => this.#remove(key));
      }
      return;
    }
    if (event.type === 'ADDED' && !(event.object as Pod).spec.nodeName) this.#after(key, 0, () => this.#bind(key));
  }

  #after(key: string, delayMs: number, action: () => void): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.set(key, setTimeout(() => {
      this.#timers.delete(key);
      action();
    }, delayMs));
  }

  /** The pod, unless it is gone or being terminated (then nothing more happens to its containers). */
  #read(key: string): Pod | undefined {
    const [namespace = '', name = ''] = key.split('/');
    const pod = this.#store.get(this.#pods, namespace, name) as Pod | undefined;
    return pod?.metadata.deletionTimestamp ? undefined : pod;
  }

  #write(pod: Pod): void {
    try {
      this.#store.update(this.#pods, pod, { subresource: 'all' });
    } catch {
      // The pod went away between read and write; nothing to run.
    }
  }

  /** The end of graceful deletion: containers stopped, the pod object goes. */
  #remove(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    try {
      this.#store.delete(this.#pods, namespace, name, { gracePeriodSeconds: 0 });
    } catch {
      // Already gone (force-deleted meanwhile).
    }
  }

  #bind(key: string): void {
    const pod = this.#read(key);
    if (!pod) return;
    const now = formatTimestamp(this.#store.now());
    pod.spec.nodeName = SIM_NODE_NAME;
    pod.status = {
      phase: 'Pending',
      conditions: [
        condition('PodReadyToStartContainers', 'False', now),
        condition('Initialized', 'True', now),
        { ...condition('Ready', 'False', now), reason: 'ContainersNotReady', message: `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]` },
        { ...condition('ContainersReady', 'False', now), reason: 'ContainersNotReady', message: `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]` },
        condition('PodScheduled', 'True', now),
      ],
      hostIP: '172.18.0.2',
      startTime: now,
      qosClass: 'BestEffort',
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
    };
    this.#write(pod);
    this.#events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} to ${SIM_NODE_NAME}`, 'default-scheduler');
    const jitter = this.#options.readyJitterMs ? Math.floor(this.#random() * this.#options.readyJitterMs) : 0;
    this.#after(key, this.#options.readyDelayMs + jitter, () => this.#start(key));
  }

  #start(key: string): void {
    const pod = this.#read(key);
    if (!pod?.status) return;
    const now = formatTimestamp(this.#store.now());
    const ip = `10.244.0.${this.#nextIp}`;
    this.#nextIp = this.#nextIp >= 250 ? 10 : this.#nextIp + 1;
    const faulty = pod.spec.containers.filter((c) => this.#options.isFaultyImage(c.image ?? '')).map((c) => c.name);
    pod.status.phase = 'Running';
    pod.status.podIP = ip;
    pod.status.podIPs = [{ ip }];
    pod.status.containerStatuses = pod.spec.containers.map((c): ContainerStatus => {
      const base = { name: c.name, image: c.image ?? '', imageID: `${c.image ?? ''}@sha256:${'0'.repeat(64)}`, containerID: `containerd://${randomHex(64)}` };
      if (faulty.includes(c.name)) {
        return { ...base, ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${c.name} pod=${pod.metadata.name ?? ''}` } }, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now, containerID: base.containerID } } };
      }
      return { ...base, ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } };
    });
    const allReady = faulty.length === 0;
    pod.status.conditions = (pod.status.conditions ?? []).map((c): Condition => {
      if (c.type === 'PodReadyToStartContainers') return condition(c.type, 'True', now);
      if (c.type === 'Ready' || c.type === 'ContainersReady') {
        return allReady ? condition(c.type, 'True', now) : { ...condition(c.type, 'False', now), reason: 'ContainersNotReady', message: `containers with unready status: [${faulty.join(' ')}]` };
      }
      return c;
    });
    this.#write(pod);
    for (const c of pod.spec.containers) {
      const fieldPath = `spec.containers{${c.name}}`;
      this.#events.record(pod, 'Normal', 'Pulled', `Container image "${c.image ?? ''}" already present on machine`, 'kubelet', fieldPath);
      this.#events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, 'kubelet', fieldPath);
      this.#events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet', fieldPath);
    }
    if (!allReady) this.#after(key, this.#backoff(0), () => this.#crash(key));
  }

  /** One more crash of the faulty containers: restartCount + 1, back-off doubling. */
  #crash(key: string): void {
    const pod = this.#read(key);
    if (!pod?.status?.containerStatuses) return;
    const now = formatTimestamp(this.#store.now());
    let restarts = 0;
    for (const status of pod.status.containerStatuses) {
      if (status.ready) continue;
      status.restartCount += 1;
      restarts = status.restartCount;
      status.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now, containerID: status.containerID } };
      status.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.min(10 * 2 ** restarts, 300)}s restarting failed container=${status.name} pod=${pod.metadata.name ?? ''}` } };
    }
    this.#write(pod);
    for (const status of pod.status.containerStatuses.filter((c) => !c.ready)) {
      this.#events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${status.name} in pod ${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`, 'kubelet', `spec.containers{${status.name}}`);
    }
    this.#after(key, this.#backoff(restarts), () => this.#crash(key));
  }

  #backoff(restarts: number): number {
    return Math.min(Math.max(this.#options.readyDelayMs, 100) * 2 ** (restarts + 1), CRASH_BACKOFF_CAP_MS);
  }
}

/** mulberry32: a tiny deterministic PRNG, so jittered readiness replays identically for the same sequence of pods. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function condition(type: string, status: Condition['status'], now: string): Condition {
  return { type, status, lastProbeTime: null, lastTransitionTime: now };
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

function randomHex(length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  return out.slice(0, length);
}
