export { connectRedis, closeRedis, type Redis } from './redis.ts';
export { DeployStore, type CreateResult, type NewDeploy } from './deploy-store.ts';
export { LockStore, type AcquireResult } from './lock-store.ts';
export { LockHolder } from './schema.ts';
export { StreamStore, type StreamEntry } from './stream-store.ts';
