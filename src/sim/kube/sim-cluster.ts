import { writeFile } from 'node:fs/promises';
import { DeckhandError } from '../../errors.ts';
import { startApiServer } from './api-server.ts';
import type { RecordedRequest } from './api-server.ts';
import { DeploymentController } from './controllers/deployment-controller.ts';
import { EventRecorder } from './controllers/event-recorder.ts';
import { Kubelet } from './controllers/kubelet.ts';
import { ReplicaSetController } from './controllers/replicaset-controller.ts';
import { createResourceRegistry } from './create-resource-registry.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { ObjectStore } from './object-store.ts';
import type { ResourceRegistry, ResourceType } from './resource-registry.ts';
import type { SeedDeployment } from './seed.ts';
import { createBuiltinNamespaces, createSeedObjects, waitForSeedRollouts } from './seed.ts';

export interface SimClusterOptions {
  /** 0 / undefined = a free port. */
  port?: number;
  /** How long a new pod takes to become Ready (default 300 ms). */
  readyDelayMs?: number;
  /** Pods running such an image crash-loop and never become Ready. */
  isFaultyImage?: (image: string) => boolean;
  /** Created at start (with namespaces and Services), already fully rolled out: revision 1, all ready. */
  seed?: SeedDeployment[];
  /** Interval of watch BOOKMARK events for `allowWatchBookmarks=true` (default 5 s). */
  bookmarkIntervalMs?: number;
}

export interface SimCluster {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Kubeconfig YAML for the sim: server = url, insecure, a token user, namespace `default`. */
  kubeconfig(options?: { contextName?: string }): string;
  writeKubeconfig(path: string): Promise<void>;
  /** Every request the server received — tests count e.g. PATCHes of a deployment. */
  readonly requests: ReadonlyArray<RecordedRequest>;
  setFaultyImage(predicate: (image: string) => boolean): void;
  close(): Promise<void>;
}

const DEFAULT_READY_DELAY_MS = 300;

/**
 * Starts the simulated cluster: the object store, the controllers (deployment, replicaset, a kubelet) and the
 * HTTP API server. Seeds are rolled out before the promise resolves, so callers start from a steady state.
 */
export async function startSimCluster(options: SimClusterOptions = {}): Promise<SimCluster> {
  const registry = createResourceRegistry();
  const store = new ObjectStore(registry);
  const type = (gv: string, resource: string) => requireType(registry, gv, resource);
  const events = new EventRecorder(store, type('v1', 'events'));
  const readyDelayMs = options.readyDelayMs ?? DEFAULT_READY_DELAY_MS;
  let isFaultyImage = options.isFaultyImage ?? (() => false);

  createBuiltinNamespaces(store, registry);
  // Seeds roll out instantly and healthy, whatever the faulty-image rule says: they are the starting state.
  const kubelet = new Kubelet(store, type('v1', 'pods'), events, { readyDelayMs: 0, isFaultyImage: () => false });
  const replicaSets = new ReplicaSetController(store, { replicaSets: type('apps/v1', 'replicasets'), pods: type('v1', 'pods') }, events);
  const deployments = new DeploymentController(store, { deployments: type('apps/v1', 'deployments'), replicaSets: type('apps/v1', 'replicasets') }, events);
  const stopControllers = () => {
    deployments.close();
    replicaSets.close();
    kubelet.close();
  };

  try {
    const seeds = options.seed ?? [];
    createSeedObjects(store, registry, seeds);
    await waitForSeedRollouts(store, registry, seeds);
  } catch (err) {
    stopControllers();
    throw err instanceof DeckhandError ? err : new DeckhandError('sim_error', 'The simulated cluster could not create its seed objects.', { cause: err });
  }
  kubelet.setOptions({ readyDelayMs, isFaultyImage: (image) => isFaultyImage(image) });

  let server;
  try {
    server = await startApiServer(store, { port: options.port, bookmarkIntervalMs: options.bookmarkIntervalMs });
  } catch (err) {
    stopControllers();
    throw new DeckhandError('sim_error', `The simulated cluster could not listen on port ${options.port ?? 0}.`, { cause: err });
  }
  const api = server;

  return {
    url: api.url,
    kubeconfig: (kubeconfigOptions) => renderKubeconfig(api.url, kubeconfigOptions),
    writeKubeconfig: (path) => writeFile(path, renderKubeconfig(api.url), { mode: 0o600 }),
    requests: api.requests,
    setFaultyImage: (predicate) => {
      isFaultyImage = predicate;
    },
    close: async () => {
      stopControllers();
      await api.close();
    },
  };
}

function requireType(registry: ResourceRegistry, gv: string, resource: string): ResourceType {
  const found = registry.lookup(gv, resource);
  if (!found) throw new DeckhandError('sim_error', `The sim has no ${gv} ${resource} type registered.`);
  return found;
}
