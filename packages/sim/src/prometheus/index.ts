/**
 * The simulated Prometheus: the real instant-query HTTP API over series that follow the simulated cluster's
 * traffic, and simulated pod HTTP endpoints for probes.
 */
export { startSimPrometheus, HEALTHY, type SimPrometheus, type SimPrometheusOptions, type SimMetricsService, type VersionProfile } from './sim-prometheus.ts';
export { parsePromQL, PromQLError, type PromExpr } from './parse-promql.ts';
export { evaluatePromQL, type PromValue, type RateSeries, type SeriesSource } from './evaluate-promql.ts';
