/**
 * The simulated Prometheus: the real instant-query HTTP API over series that follow the simulated cluster's
 * traffic, and simulated pod HTTP endpoints for probes and for a real Prometheus to scrape (`/metrics`).
 */
export { startSimPrometheus, HEALTHY, type SimPrometheus, type SimPrometheusOptions, type SimMetricsService, type VersionProfile, type ScrapeTargetGroup } from './sim-prometheus.ts';
export { startFileSdWriter, type FileSdWriter } from './file-sd-writer.ts';
export { EXPOSITION_CONTENT_TYPE } from './pod-metrics.ts';
export { parsePromQL, PromQLError, type PromExpr } from './parse-promql.ts';
export { evaluatePromQL, type PromValue, type RateSeries, type SeriesSource } from './evaluate-promql.ts';
