export { decide, decideFor, withGroups, type DeskDeps, type DeskReply, type DeskService } from './desk.ts';
export { requestDeploy, type DeployRequest } from './request-deploy.ts';
export { approve, deny, expire } from './cast-vote.ts';
export { abortDeploy, steerDeploy, findInFlight } from './control-deploy.ts';
export { lockService, unlockService } from './manual-lock.ts';
export { status, history } from './report.ts';
export { takeDeployLock, describeHolder, type Locks } from './locks.ts';
export { freezeEnv, unfreezeEnv } from './freeze-env.ts';
export { cardAction, withdrawApproval } from './card-action.ts';
