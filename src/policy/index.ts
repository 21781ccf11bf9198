export { Decision, DenyReason, PolicyInput } from './schema.ts';
export type { PolicyBackend } from './types.ts';
export { createEmbeddedBackend, readPolicyDir, type PolicyBundle } from './embedded-backend.ts';
export { createOpaHttpBackend } from './opa-http-backend.ts';
export { decisionPath } from './decision-path.ts';
export { serveDataApi } from './serve-data-api.ts';
