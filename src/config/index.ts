export { loadConfig, loadConfigText, DEFAULT_CONFIG_PATH } from './load.ts';
export { formatConfigProblems } from './format-config-problems.ts';
export { ENVIRONMENT_SOURCE } from './problem.ts';
export type { ConfigProblem, LoadResult } from './problem.ts';
export type { EnvSource } from './read-env-vars.ts';
export { parseDuration } from './duration.ts';
export type { Config, ConfigFile, Service, ServiceEnvironment, Chat, SlackChat, Groups, People, Approvals, Sandbox, SandboxService, Runtime, LogLevel } from './schema.ts';
export type { Analysis, AnalysisCheck, BlueGreen, Canary, CanaryTraffic, Probe, SandboxProfile } from './schema.ts';
export { secretsOf } from './secrets-of.ts';
