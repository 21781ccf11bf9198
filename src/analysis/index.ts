export { assess, type Assessment, type CheckResult, type CheckStatus, type Verdict } from './assess.ts';
export { measureChecks } from './measure-checks.ts';
export { createPrometheusProvider, renderQuery } from './prometheus-provider.ts';
export { createProbeProvider, type ProbePod } from './probe-provider.ts';
export type { AnalysisProvider, AnalysisProviders, AnalysisTarget, CheckSpec, CheckUnit, Measurement } from './types.ts';
