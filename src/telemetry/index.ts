export { createLogger, type Logger } from './logger.ts';
export { createMetrics, type Metrics, type DeployOutcome, type PolicyResult, type ApiTarget, type ChatPlatform, type QueueCounts } from './metrics.ts';
