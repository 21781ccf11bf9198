import { SimError } from '../errors.ts';
import { ApplicationController, type ArgoCdOptions } from './argo-cd/application-controller.ts';
import { AnalysisRunController } from './argo-rollouts/analysis-run-controller.ts';
import { RolloutController } from './argo-rollouts/rollout-controller.ts';
import { DeploymentController } from './controllers/deployment-controller.ts';
import { EventExpiry } from './controllers/event-expiry.ts';
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
  /** Starts the simulated Argo CD application controller (once; later calls change nothing). */
  startArgoCd(options: ArgoCdOptions): void;
  close(): void;
}

export interface SimCoreOptions {
  /** Where AnalysisRuns' prometheus queries go (the sim's stand-in for cluster DNS); undefined: the template's address. */
  analysisPrometheusUrl?: () => string | undefined;
  /** How long an Event lives after its last write (kube-apiserver's `--event-ttl`, default 1 h). */
  eventTtlMs?: number;
}

export function startSimCore(kubelet: KubeletOptions, options: SimCoreOptions = {}): SimCore {
  const registry = createResourceRegistry();
  const store = new ObjectStore(registry);
  const type = (gv: string, resource: string): ResourceType => {
    const found = registry.lookup(gv, resource);
    if (!found) throw new SimError(`The sim has no ${gv} ${resource} type registered.`);
    return found;
  };
  createBuiltinObjects(store, registry);
  const events = new EventRecorder(store, type('v1', 'events'));
  const eventExpiry = new EventExpiry(store, type('v1', 'events'), options.eventTtlMs);
  const node = new Kubelet(store, type('v1', 'pods'), events, kubelet);
  const replicaSets = new ReplicaSetController(store, { replicaSets: type('apps/v1', 'replicasets'), pods: type('v1', 'pods') }, events);
  const deployments = new DeploymentController(store, { deployments: type('apps/v1', 'deployments'), replicaSets: type('apps/v1', 'replicasets'), pods: type('v1', 'pods') }, events);
  let argoCd: ApplicationController | undefined;
  const analysisRuns = new AnalysisRunController(store, type('argoproj.io/v1alpha1', 'analysisruns'), { prometheusUrl: options.analysisPrometheusUrl ?? (() => undefined) });
  const rollouts = new RolloutController(store, {
    rollouts: type('argoproj.io/v1alpha1', 'rollouts'), replicaSets: type('apps/v1', 'replicasets'), services: type('v1', 'services'),
    analysisRuns: type('argoproj.io/v1alpha1', 'analysisruns'), analysisTemplates: type('argoproj.io/v1alpha1', 'analysistemplates'), clusterAnalysisTemplates: type('argoproj.io/v1alpha1', 'clusteranalysistemplates'),
    virtualServices: type('networking.istio.io/v1', 'virtualservices'), destinationRules: type('networking.istio.io/v1', 'destinationrules'),
  }, events);
  return {
    registry,
    store,
    type,
    setKubeletOptions: (options) => node.setOptions(options),
    startArgoCd: (argoCdOptions) => {
      argoCd ??= new ApplicationController(store, type('argoproj.io/v1alpha1', 'applications'), argoCdOptions);
    },
    close: () => {
      argoCd?.close();
      rollouts.close();
      analysisRuns.close();
      deployments.close();
      replicaSets.close();
      node.close();
      eventExpiry.close();
    },
  };
}
