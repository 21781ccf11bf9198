/**
 * The simulated Kubernetes cluster: a real-protocol API server (discovery, CRUD, patch, watch, tables) with
 * deployment / replicaset controllers and a simulated kubelet, for the sandbox and integration tests.
 * kubectl and @kubernetes/client-node talk to it through the kubeconfig it writes.
 */
export { startSimCluster } from './sim-cluster.ts';
export type { SimArgoCdOptions, SimCluster, SimClusterOptions } from './sim-cluster.ts';
export type { ArgoCdOptions } from './argo-cd/application-controller.ts';
export type { GitCheckout, GitSource } from './argo-cd/git-source.ts';
export { simApplication, type SimApplicationSpec } from './argo-cd/seed-applications.ts';
export type { SeedDeployment } from './seed.ts';
export type { RecordedRequest } from './api-server.ts';
export { runSimCluster } from './cli.ts';
export { renderKubeconfig } from './kubeconfig.ts';
export type { RunSimClusterArgs } from './cli.ts';
export { podHttpProxy } from './streaming/pod-http.ts';
export type { PodHttpHandler, PodHttpRequest, PodHttpResponse } from './streaming/pod-http.ts';
