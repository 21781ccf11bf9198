export { createLogger, type Logger } from './logger.ts';
export { createMetrics, type Metrics, type DeployOutcome, type PolicyResult, type ApiTarget, type ChatPlatform, type QueueCounts } from './metrics.ts';
export { createSecretMask } from './create-secret-mask.ts';
export { maskProcessOutput } from './mask-process-output.ts';
export { installFinalHandler, type FinalHandlerOptions } from './install-final-handler.ts';
export { apiTargetOf } from './api-target-of.ts';
export { deployOutcomeOf } from './deploy-outcome-of.ts';
