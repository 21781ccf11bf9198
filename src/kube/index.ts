export { createKubeClient, loadKubeConfig, type KubeSource } from './kube-client.ts';
export type { KubeClient, KubeWorkloads, PodInfo, RolloutRevision, RouteBackend, WorkloadStatus } from './types.ts';
