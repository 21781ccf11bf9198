export { createKubeClient, loadKubeConfig, type KubeSource } from './kube-client.ts';
export type { DeploymentChange, KubeClient, KubeWorkloads, PodInfo, RolloutRevision, RouteBackend, WorkloadStatus } from './types.ts';
export { createArgoRolloutsClient, promotePatches, type AnalysisRunView, type ArgoRolloutsClient, type RolloutStep, type RolloutView } from './argo-rollouts-client.ts';
export { createIstioClient, type IstioClient, type IstioDestination, type IstioHttpRoute, type IstioSubset } from './istio-client.ts';
export { createArgoCdClient, type ArgoApplication, type ArgoCdClient } from './argo-cd-client.ts';
