import { SimError } from '../errors.ts';
import { DeploymentController } from './controllers/deployment-controller.ts';
import { EventRecorder } from './controllers/event-recorder.ts';
import type { KubeletOptions } from './controllers/kubelet.ts';
import { Kubelet } from './controllers/kubelet.ts';
import { ReplicaSetController } from './controllers/replicaset-controller.ts';
import { createResourceRegistry } from './create-resource-registry.ts';
import { ObjectStore } from './object-store.ts';
import type { ResourceRegistry, ResourceType } from './resource-registry.ts';
import { createBuiltinObjects } from './seed.ts';

/** The cluster without its HTTP face: store, registry and running controllers. Tests drive it directly. */
export interface SimCore {
  readonly registry: ResourceRegistry;
  readonly store: ObjectStore;
  /** Looks up a registered type, e.g. `type('apps/v1', 'deployments')`. */
  type(groupVersion: string, resource: string): ResourceType;
  setKubeletOptions(options: Partial<KubeletOptions>): void;
  close(): void;
}

export function startSimCore(kubelet: KubeletOptions): SimCore {
  const registry = createResourceRegistry();
  const store = new ObjectStore(registry);
  const type = (gv: string, resource: string): ResourceType => {
    const found = registry.lookup(gv, resource);
    if (!found) throw new SimError(`The sim has no ${gv} ${resource} type registered.`);
    return found;
  };
  createBuiltinObjects(store, registry);
  const events = new EventRecorder(store, type('v1', 'events'));
  const node = new Kubelet(store, type('v1', 'pods'), events, kubelet);
  const replicaSets = new ReplicaSetController(store, { replicaSets: type('apps/v1', 'replicasets'), pods: type('v1', 'pods') }, events);
  const deployments = new DeploymentController(store, { deployments: type('apps/v1', 'deployments'), replicaSets: type('apps/v1', 'replicasets'), pods: type('v1', 'pods') }, events);
  return {
    registry,
    store,
    type,
    setKubeletOptions: (options) => node.setOptions(options),
    close: () => {
      deployments.close();
      replicaSets.close();
      node.close();
    },
  };
}
