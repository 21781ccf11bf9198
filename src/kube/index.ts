export { createKubeClient, loadKubeConfig, type KubeSource } from './kube-client.ts';
export type { KubeClient, RolloutRevision, WorkloadStatus } from './types.ts';
