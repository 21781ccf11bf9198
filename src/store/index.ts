export { connectRedis, connectFailFastRedis, closeRedis, describeRedisUrl, isRedisAuthError, waitForRedis, STORE_UNAVAILABLE_MESSAGE, type FailFastOptions, type Redis } from './redis.ts';
export { DeployStore, type CreateResult, type NewDeploy } from './deploy-store.ts';
export { LockStore, type AcquireResult } from './lock-store.ts';
export { LockHolder, Freeze } from './schema.ts';
export { FreezeStore } from './freeze-store.ts';
export { StreamStore, type StreamEntry } from './stream-store.ts';
export { CardStore } from './card-store.ts';
export { LeaseStore } from './lease-store.ts';
export { PathLockStore, type PathLockResult, type RepoPath } from './path-lock-store.ts';
