export { startSimGitHub, type SimGitHub, type SimGitHubOptions, type SimRequestRecord } from './start-sim-github.ts';
export { defaultSimRepos, type SimRepoSeed } from './default-seed.ts';
export type { SimHistoryEntry } from './repo-graph.ts';
export type { RegistryAuth } from './registry-routes.ts';
export type { WebhookDelivery, WebhookTarget } from './workflow-runs.ts';
