export { createDeployQueue, startDeployWorker, type DeployQueue, type DeployWorker, type JobKind, type JobOutcome } from './deploy-queue.ts';
export { resumeOpenDeploys } from './resume-open-deploys.ts';
