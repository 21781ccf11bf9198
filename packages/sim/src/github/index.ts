export { startSimGitHub, type SimGitHub, type SimGitHubOptions, type SimRequestRecord } from './start-sim-github.ts';
export { defaultSimRepos, simReposFor, type SimRepoSeed, type SimServiceSeed } from './default-seed.ts';
export type { SimHistoryEntry } from './repo-graph.ts';
export type { RegistryAuth } from './registry-routes.ts';
export type { WebhookDelivery, WebhookTarget } from './workflow-runs.ts';
export { BUNDLE_TYPE, SimRegistry, type SimDescriptor, type SimImagePush, type SimImageSigner, type SimSignature } from './sim-registry.ts';
export { cosignPayload, signImageWithKey } from './cosign-signer.ts';
