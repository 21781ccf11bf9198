export { startSimGitLab, type SimGitLab, type SimGitLabOptions, type SimGitLabRequestRecord } from './start-sim-gitlab.ts';
export { defaultSimGitLabProjects, simGitLabProjectsFor, type SimGitLabProjectSeed, type SimGitLabServiceSeed } from './default-seed.ts';
export type { GitLabWebhookDelivery, GitLabWebhookTarget } from './pipeline-runner.ts';
export type { SimGitLabDeployment, SimMergeRequest, SimPipeline } from './sim-gitlab-state.ts';
