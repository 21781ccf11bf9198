export { Decision, DenyReason, PolicyInput } from './schema.ts';
export { rulePath, type PolicyBackend, type PolicyRule } from './types.ts';
export { createEmbeddedBackend, readPolicyDir, type PolicyBundle } from './embedded-backend.ts';
export { createOpaHttpBackend, type OpaHttpOptions } from './opa-http-backend.ts';
export { decideWithRetry, type RetryOptions } from './decide-with-retry.ts';
export { serveDataApi } from './serve-data-api.ts';
export { countDecisions } from './count-decisions.ts';
